package dev.genai4j.models.bert;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT encoder (arXiv 1810.04805), matching HF {@code modeling_bert.BertModel} in eval mode:
 * embeddings, post-LN layers, exact-erf GELU, key padding mask; returns the last hidden state.
 * Loads MiniLM, BGE, E5 and other {@code model_type: bert} checkpoints by their HF names, with
 * or without a leading {@code bert.} (as in {@code BertForMaskedLM} checkpoints).
 *
 * <pre>{@code
 * try (BertModel m = BertModel.load(Path.of("models/all-minilm-l6-v2"));
 *      var g = NoGrad.enter()) {
 *     Tensor h = m.forward(ids, mask, typeIds);            // [B, T, 384]
 * }
 * }</pre>
 */
public final class BertModel extends Module implements AutoCloseable {
    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers = new ArrayList<>();
    private final AutoCloseable resources;   // the memory-mapped weights, or null

    private BertModel(BertConfig config, Weights w, AutoCloseable resources) {
        this.config = config;
        this.resources = resources;
        this.embeddings = child("embeddings", BertEmbeddings.load(w.sub("embeddings"), config));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(child("encoder.layer." + i, BertLayer.load(w.sub("encoder.layer." + i), config)));
        }
        eval();
    }

    /** Builds the model from {@code w} (HF names, optional {@code bert.} prefix). The weights stay owned by the caller. */
    public static BertModel load(Weights w, BertConfig config) {
        Weights root = !w.has("embeddings.word_embeddings.weight") && w.has("bert.embeddings.word_embeddings.weight") ? w.sub("bert") : w;
        return new BertModel(config, root, null);
    }

    /** Loads {@code config.json} and {@code model.safetensors} from an HF folder; close the model to unmap the weights. */
    public static BertModel load(Path folder) {
        CheckpointFolder f = CheckpointFolder.open(folder);
        String type = f.config().getString("model_type", "bert");
        if (!type.equals("bert")) {
            throw new CheckpointException(folder.resolve("config.json") + ": model_type is '" + type + "', expected 'bert'");
        }
        BertConfig c = BertConfig.from(f.config());
        SafetensorsWeights w = f.openWeights();
        try {
            Weights root = !w.has("embeddings.word_embeddings.weight") && w.has("bert.embeddings.word_embeddings.weight") ? w.sub("bert") : w;
            return new BertModel(c, root, w);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    public BertConfig config() { return config; }

    /**
     * Last hidden state.
     *
     * @param inputIds      [B, T] token ids (as floats)
     * @param attentionMask [B, T] 1 for tokens, 0 for padding; null means all tokens
     * @param tokenTypeIds  [B, T] segment ids; null means all 0
     * @return [B, T, H]
     */
    public Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds) {
        if (inputIds.dim() != 2) throw ShapeException.of("BertModel.forward", "input_ids [B, T]", inputIds.shape());
        int b = inputIds.size(0), t = inputIds.size(1);
        if (t > config.maxPositionEmbeddings()) {
            throw new ShapeException("BertModel.forward: sequence of " + t + " tokens exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings() + "; truncate the input");
        }
        checkSame("attention_mask", attentionMask, b, t);
        checkSame("token_type_ids", tokenTypeIds, b, t);
        Tensor types = tokenTypeIds != null ? tokenTypeIds : Tensor.zeros(b, t);
        Tensor x = embeddings.forward(inputIds, types);                 // [B, T, H]
        Tensor mask = attentionMask == null || allOnes(attentionMask) ? null : attentionMask;
        boolean[] keyMask = null;
        if (mask != null) {
            float[] m = mask.toFloatArray();
            keyMask = new boolean[m.length];
            for (int i = 0; i < m.length; i++) keyMask[i] = m[i] != 0f;
        }
        if (NoGrad.isGradEnabled()) {
            for (BertLayer layer : layers) x = layer.forward(x, keyMask, mask);
            return x;
        }
        if (layers.isEmpty()) return x;
        // inference: activations in reused buffers, only the last layer's output is a new array
        BertBuffers s = BertBuffers.forRows(b * t, config.hiddenSize(), config.intermediateSize());
        float[] in = x.contiguous().data(), out = new float[b * t * config.hiddenSize()];
        for (int i = 0; i < layers.size(); i++) {
            float[] dst = i == layers.size() - 1 ? out : s.hiddenState;
            layers.get(i).forwardInto(in, b, t, keyMask, s, dst);
            in = dst;
        }
        return Tensor.of(out, b, t, config.hiddenSize());
    }

    private static void checkSame(String name, Tensor t, int b, int len) {
        if (t != null && (t.dim() != 2 || t.size(0) != b || t.size(1) != len)) {
            throw ShapeException.of("BertModel.forward: " + name, "[" + b + ", " + len + "] like input_ids", t.shape());
        }
    }

    private static boolean allOnes(Tensor m) {
        for (float v : m.toFloatArray()) if (v != 1f) return false;
        return true;
    }

    @Override
    public void close() {
        if (resources == null) return;
        try {
            resources.close();
        } catch (Exception e) {
            throw new CheckpointException("BertModel: cannot release weights: " + e, e);
        }
    }
}
