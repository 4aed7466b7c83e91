package dev.genai4j.models.clip;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.AttentionMask;
import dev.genai4j.nn.Embedding;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's text tower (arXiv 2103.00020 §2.4; HF {@code CLIPTextTransformer}): token + learned
 * position embeddings, causal pre-LN encoder (plus the padding mask), {@code final_layer_norm},
 * pooled at the end-of-text token. Pooling follows HF (transformers 4.46): the first position
 * whose id is {@code eos_token_id}, or, when {@code eos_token_id == 2} (configs written before
 * HF PR #24773), the position of the largest id as OpenAI's code does.
 */
final class ClipTextTransformer extends Module {
    private final ClipTextConfig c;
    private final Embedding tokens;       // embeddings.token_embedding [V, D]
    private final Embedding positions;    // embeddings.position_embedding [Tmax, D]
    private final List<ClipEncoderLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;    // final_layer_norm

    private ClipTextTransformer(Weights w, ClipTextConfig c) {
        this.c = c;
        int d = c.hiddenSize();
        this.tokens = child("embeddings.token_embedding", Embedding.load(w.sub("embeddings.token_embedding"), c.vocabSize(), d, null));
        this.positions = child("embeddings.position_embedding",
                Embedding.load(w.sub("embeddings.position_embedding"), c.maxPositionEmbeddings(), d, null));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(child("encoder.layers." + i, ClipEncoderLayer.load(w.sub("encoder.layers." + i), d,
                    c.numAttentionHeads(), c.intermediateSize(), c.hiddenAct(), c.layerNormEps())));
        }
        this.finalNorm = child("final_layer_norm", LayerNorm.load(w.sub("final_layer_norm"), d, c.layerNormEps(), true));
    }

    static ClipTextTransformer load(Weights w, ClipTextConfig c) { return new ClipTextTransformer(w, c); }

    /** ids [B, T] (T ≤ max_position_embeddings), mask [B, T] of 0/1 or null → last hidden state [B, T, D] and pooled [B, D]. */
    ClipModel.TowerOutput forward(Tensor ids, Tensor attentionMask) {
        if (ids.dim() != 2) throw ShapeException.of("ClipTextTransformer.forward: input_ids", "[B, T]", ids.shape());
        int b = ids.size(0), t = ids.size(1);
        if (t > c.maxPositionEmbeddings()) {
            throw new ShapeException("ClipTextTransformer.forward: " + t + " tokens exceed max_position_embeddings "
                    + c.maxPositionEmbeddings() + "; truncate the text (ClipTextBatch does, keeping the end-of-text token)");
        }
        if (attentionMask != null && (attentionMask.dim() != 2 || attentionMask.size(0) != b || attentionMask.size(1) != t)) {
            throw ShapeException.of("ClipTextTransformer.forward: attention_mask", "[" + b + ", " + t + "] like input_ids", attentionMask.shape());
        }
        Tensor x = tokens.forward(ids).add(positions.forward(Tensor.arange(t)));   // [B, T, D]
        AttentionMask mask = AttentionMask.causal();
        if (attentionMask != null) mask = mask.withKeyPadding(attentionMask);
        for (ClipEncoderLayer layer : layers) x = layer.forward(x, mask);
        x = finalNorm.forward(x);
        int[] at = poolPositions(ids);
        Tensor pooled = x.reshape(b * t, c.hiddenSize()).indexSelect(0, rowIndex(at, t));   // [B, D]
        return new ClipModel.TowerOutput(x, pooled);
    }

    /** The pooled position of each row: first {@code eos_token_id}, or argmax of the ids under the legacy rule (first maximum, as torch). */
    int[] poolPositions(Tensor ids) {
        int b = ids.size(0), t = ids.size(1);
        float[] v = ids.toFloatArray();
        int[] out = new int[b];
        for (int i = 0; i < b; i++) {
            int best = 0;
            for (int j = 0; j < t; j++) {
                float id = v[i * t + j];
                if (c.legacyPooling()) {
                    if (id > v[i * t + best]) best = j;
                } else if (id == c.eosTokenId()) {
                    best = j;
                    break;
                }
            }
            out[i] = best;   // no eos in the row: torch's argmax of all zeros, position 0
        }
        return out;
    }

    private static Tensor rowIndex(int[] at, int t) {
        float[] r = new float[at.length];
        for (int i = 0; i < at.length; i++) r[i] = (float) i * t + at[i];
        return Tensor.of(r, at.length);
    }

    ClipTextConfig config() { return c; }
}
