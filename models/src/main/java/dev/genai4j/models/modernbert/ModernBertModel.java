package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.models.modernbert.ModernBertConfig.LayerType;
import dev.genai4j.nn.Embedding;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Positions;
import dev.genai4j.nn.Rope;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The ModernBERT encoder (Warner et al., "Smarter, Better, Faster, Longer", arXiv 2412.13663;
 * matches HF {@code modeling_modernbert.py} {@code ModernBertModel} in eager mode): token
 * embeddings + norm, layers alternating global and local (±local_attention/2) attention with
 * per-type RoPE θ, GeGLU MLPs, and a final norm. Parameter names are HF's
 * ({@code embeddings.tok_embeddings.weight}, {@code layers.N.attn.Wqkv.weight}, {@code final_norm.weight}).
 *
 * <pre>{@code
 * try (var m = ModernBertModel.load(Path.of("ModernBERT-base"));
 *      var g = NoGrad.enter()) {
 *     Tensor h = m.forward(inputIds, attentionMask);   // [B, T] ids and 0/1 mask → [B, T, 768]
 * }
 * }</pre>
 */
public final class ModernBertModel extends Module implements AutoCloseable {
    private final ModernBertConfig config;
    private final ModernBertEmbeddings embeddings;
    private final List<ModernBertLayer> layers;
    private final LayerNorm finalNorm;                  // [H]
    private final Map<LayerType, Rope> ropes = new EnumMap<>(LayerType.class);
    private AutoCloseable resource;                     // the mapped checkpoint when this model opened it

    private ModernBertModel(ModernBertConfig c, ModernBertEmbeddings embeddings, List<ModernBertLayer> layers, LayerNorm finalNorm) {
        this.config = c;
        this.embeddings = child("embeddings", embeddings);
        this.layers = List.copyOf(layers);
        for (int i = 0; i < layers.size(); i++) child("layers." + i, layers.get(i));
        this.finalNorm = child("final_norm", finalNorm);
        for (LayerType t : LayerType.values()) {
            ropes.put(t, new Rope(c.headDim(), c.maxPositionEmbeddings(), c.ropeTheta(t)));
        }
    }

    /**
     * Builds the encoder from weights scoped at its prefix ({@code w.sub("model")} for a
     * ForMaskedLM checkpoint), in eval mode. {@code rng} drives dropout when fine-tuning with
     * non-zero dropout (may be null when every dropout is 0).
     */
    public static ModernBertModel load(Weights w, ModernBertConfig c, Rng rng) {
        List<ModernBertLayer> layers = new ArrayList<>(c.numHiddenLayers());
        for (int i = 0; i < c.numHiddenLayers(); i++) layers.add(ModernBertLayer.load(w.sub("layers." + i), c, i, rng));
        ModernBertModel m = new ModernBertModel(c, ModernBertEmbeddings.load(w.sub("embeddings"), c, rng), layers,
                LayerNorm.load(w.sub("final_norm"), c.hiddenSize(), c.normEps(), c.normBias()));
        m.eval();
        return m;
    }

    public static ModernBertModel load(Weights w, ModernBertConfig c) { return load(w, c, new Rng(0)); }

    /** A freshly initialized encoder (HF's init, see {@link ModernBertInit}) in training mode, parameters trainable. */
    public static ModernBertModel fresh(ModernBertConfig c, Rng rng) {
        ModernBertModel m = load(Weights.ofMap(ModernBertInit.encoder(c, rng, "", c.initializerRange())), c, rng);
        m.trainable();
        m.train(true);
        return m;
    }

    /**
     * Opens a HF folder ({@code config.json} + {@code model.safetensors}); a checkpoint of a task
     * model (tensors under {@code model.}) gives its encoder. Close the model to unmap the file.
     */
    public static ModernBertModel load(Path dir) {
        ModernBertCheckpoint ckpt = ModernBertCheckpoint.open(dir);
        try {
            ModernBertModel m = load(ckpt.encoderWeights(), ckpt.config());
            m.resource = ckpt;
            return m;
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /** input ids [B, T] → last hidden state [B, T, H], positions 0 … T−1, no padding. */
    public Tensor forward(Tensor inputIds) { return forward(inputIds, null, null); }

    /** input ids [B, T], attention_mask [B, T] (1 token, 0 padding; null = all tokens) → [B, T, H]. */
    public Tensor forward(Tensor inputIds, Tensor attentionMask) { return forward(inputIds, attentionMask, null); }

    /** As {@link #forward(Tensor, Tensor)} with explicit position ids (null: 0 … T−1, HF's default). */
    public Tensor forward(Tensor inputIds, Tensor attentionMask, Positions positions) {
        if (inputIds.dim() != 2) throw ShapeException.of("ModernBertModel", "input_ids [B, T]", inputIds.shape());
        int b = inputIds.size(0), t = inputIds.size(1);
        if (attentionMask != null && (attentionMask.dim() != 2 || attentionMask.size(0) != b || attentionMask.size(1) != t)) {
            throw ShapeException.of("ModernBertModel", "attention_mask [" + b + ", " + t + "] like input_ids", attentionMask.shape());
        }
        Positions pos = positions != null ? positions : Positions.range(0, t);
        Tensor h = embeddings.forward(inputIds);                         // [B, T, H]
        for (ModernBertLayer layer : layers) h = layer.forward(h, attentionMask, ropes.get(layer.type()), pos);
        return finalNorm.forward(h);
    }

    /**
     * Whether attention runs on the fused kernel (true, the default): memory linear in T, a local
     * layer touching only its window, in inference and in training (the kernel's backward is
     * recorded). false: tensor ops that build the T×T scores (HF "eager"). With attention dropout
     * active in training the tensor path is used either way. Returns this.
     */
    public ModernBertModel fusedAttention(boolean on) {
        for (ModernBertLayer l : layers) l.attn().allowFused(on);
        return this;
    }

    public ModernBertConfig config() { return config; }

    /** The token table (the MLM decoder's tied weight). */
    public Embedding tokEmbeddings() { return embeddings.tokEmbeddings(); }

    @Override
    public void close() {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("modernbert: closing the checkpoint failed: " + e, e);
            } finally {
                resource = null;
            }
        }
    }

    /** Takes ownership of the checkpoint a task model opened (closed with this model). */
    void own(AutoCloseable r) { this.resource = r; }
}
