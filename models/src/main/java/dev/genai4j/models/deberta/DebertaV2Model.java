package dev.genai4j.models.deberta;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.MissingWeightException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DeBERTa-v2 / v3 encoder (arXiv 2006.03654, DeBERTa-v3: arXiv 2111.09543), matching HF
 * {@code modeling_deberta_v2.DebertaV2Model} in eval mode: embeddings (no absolute positions in v3),
 * post-LN layers of disentangled attention (c2p + p2c against shared, log-bucketed relative
 * embeddings normalized by {@code encoder.LayerNorm}), HF's attention-mask semantics. Returns the
 * last hidden state. Loads {@code model_type: deberta-v2} checkpoints by their HF names, with or
 * without a leading {@code deberta.} (as in {@code DebertaV2ForMaskedLM} checkpoints). The
 * DeBERTa-v2-xlarge convolution layer ({@code conv_kernel_size}) is refused by the config.
 *
 * <pre>{@code
 * try (DebertaV2Model m = DebertaV2Model.load(Path.of("models/deberta-v3-small"));
 *      var g = NoGrad.enter()) {
 *     Tensor h = m.forward(ids, mask, null);             // [B, T, 768]
 * }
 * }</pre>
 */
public final class DebertaV2Model extends Module implements AutoCloseable {
    private static final String REL_EMBEDDINGS = "encoder.rel_embeddings.weight";

    private final DebertaV2Config config;
    private final DebertaV2Embeddings embeddings;
    private final List<DebertaV2Layer> layers = new ArrayList<>();
    private final RelativeEmbeddings relEmbeddings;   // encoder.rel_embeddings (+ encoder.LayerNorm), or null
    private final AutoCloseable resources;            // the memory-mapped weights, or null

    /** {@code encoder.rel_embeddings} [2·span, H] and the optional {@code encoder.LayerNorm} applied to it. */
    private static final class RelativeEmbeddings extends Module {
        final dev.genai4j.nn.Parameter table;   // [2·span, H]
        final LayerNorm norm;                    // null unless norm_rel_ebd has layer_norm

        RelativeEmbeddings(Tensor table, LayerNorm norm) {
            this.table = param("weight", table);
            this.norm = norm;
        }

        Tensor normalized() { return norm == null ? table.value() : norm.forward(table.value()); }
    }

    private DebertaV2Model(DebertaV2Config config, Weights w, AutoCloseable resources) {
        this.config = config;
        this.resources = resources;
        this.embeddings = child("embeddings", DebertaV2Embeddings.load(w.sub("embeddings"), config));
        Weights enc = w.sub("encoder");
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(child("encoder.layer." + i, DebertaV2Layer.load(enc.sub("layer." + i), config)));
        }
        if (config.relativeAttention()) {
            if (!w.has("encoder.rel_embeddings.weight")) {
                throw new MissingWeightException(w.source() + ": tensor '" + w.prefix() + REL_EMBEDDINGS + "' is missing; config has"
                        + " relative_attention true, which needs the relative position embeddings [" + config.relEmbeddingRows()
                        + ", " + config.hiddenSize() + "]");
            }
            Tensor table = enc.sub("rel_embeddings").get("weight", config.relEmbeddingRows(), config.hiddenSize());
            LayerNorm norm = config.normRelEmbedding() ? LayerNorm.load(enc.sub("LayerNorm"), config.hiddenSize(), config.layerNormEps(), true) : null;
            if (norm != null) child("encoder.LayerNorm", norm);
            this.relEmbeddings = child("encoder.rel_embeddings", new RelativeEmbeddings(table, norm));
        } else {
            this.relEmbeddings = null;
        }
        eval();
    }

    /** Builds the model from {@code w} (HF names, optional {@code deberta.} prefix). The weights stay owned by the caller. */
    public static DebertaV2Model load(Weights w, DebertaV2Config config) {
        return new DebertaV2Model(config, root(w), null);
    }

    /** Loads {@code config.json} and the weights from an HF folder; close the model to unmap them. */
    public static DebertaV2Model load(Path folder) {
        CheckpointFolder f = CheckpointFolder.open(folder);
        String type = f.config().getString("model_type", "");
        if (!type.equals("deberta-v2")) {
            throw new CheckpointException(folder.resolve("config.json") + ": model_type is '" + type + "', expected 'deberta-v2'");
        }
        DebertaV2Config c = DebertaV2Config.from(f.config());
        SafetensorsWeights w = f.openWeights();
        try {
            return new DebertaV2Model(c, root(w), w);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    private static Weights root(Weights w) {
        return !w.has("embeddings.word_embeddings.weight") && w.has("deberta.embeddings.word_embeddings.weight") ? w.sub("deberta") : w;
    }

    public DebertaV2Config config() { return config; }

    /**
     * Last hidden state.
     *
     * @param inputIds      [B, T] token ids (as floats)
     * @param attentionMask [B, T] 1 for tokens, 0 for padding; null means all tokens
     * @param tokenTypeIds  [B, T] segment ids (read only when type_vocab_size &gt; 0); null means all 0
     * @return [B, T, H]; rows of padded tokens are what HF computes for them (their attention is empty)
     */
    public Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds) {
        if (inputIds.dim() != 2) throw ShapeException.of("DebertaV2Model.forward", "input_ids [B, T]", inputIds.shape());
        int b = inputIds.size(0), t = inputIds.size(1);
        if (config.positionBiasedInput() && t > config.maxPositionEmbeddings()) {
            throw new ShapeException("DebertaV2Model.forward: sequence of " + t + " tokens exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings() + "; truncate the input");
        }
        checkSame("attention_mask", attentionMask, b, t);
        checkSame("token_type_ids", tokenTypeIds, b, t);
        Tensor types = tokenTypeIds != null ? tokenTypeIds : Tensor.zeros(b, t);
        Tensor mask = attentionMask == null || allOnes(attentionMask) ? null : attentionMask;
        Tensor x = embeddings.forward(inputIds, types, mask);                     // [B, T, H]
        Tensor rel = relEmbeddings == null ? null : relEmbeddings.normalized();   // [2·span, H]
        RelativePositions.Columns cols = rel == null ? null : RelativePositions.Columns.of(t, config);
        for (DebertaV2Layer layer : layers) x = layer.forward(x, rel, cols, mask);
        return x;
    }

    private static void checkSame(String name, Tensor t, int b, int len) {
        if (t != null && (t.dim() != 2 || t.size(0) != b || t.size(1) != len)) {
            throw ShapeException.of("DebertaV2Model.forward: " + name, "[" + b + ", " + len + "] like input_ids", t.shape());
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
            throw new CheckpointException("DebertaV2Model: cannot release weights: " + e, e);
        }
    }
}
