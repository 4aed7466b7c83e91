package dev.genai4j.models.mixtral;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.AttentionMask;
import dev.genai4j.nn.Embedding;
import dev.genai4j.nn.KvCache;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Positions;
import dev.genai4j.nn.RMSNorm;
import dev.genai4j.nn.Rope;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The Mixtral decoder stack (arXiv 2401.04088; HF {@code MixtralModel}, eager attention): token
 * embeddings, {@code num_hidden_layers} {@link MixtralDecoderLayer}s sharing one RoPE table, final
 * RMSNorm. Loads HF Hub names under {@code model.} (see {@link MixtralWeightLayout} for the others).
 *
 * <pre>{@code
 * MixtralModel m = MixtralModel.load(hub.sub("model"), config, Rope.Layout.ROTATE_HALF);
 * MixtralModel.Output o = m.forward(ids, null, null, null);   // ids [B, T] → hidden [B, T, H]
 * }</pre>
 */
public final class MixtralModel extends Module {
    /** Final hidden states [B, T, H] and each layer's routing (router logits [B·T, E]). */
    public record Output(Tensor hidden, List<TopKRouter.Routing> routings) {}

    private final MixtralConfig config;
    private final Embedding embed;                     // [V, H]
    private final List<MixtralDecoderLayer> layers;
    private final RMSNorm norm;                        // [H]
    private final Rope rope;

    private MixtralModel(MixtralConfig config, Embedding embed, List<MixtralDecoderLayer> layers, RMSNorm norm, Rope rope) {
        this.config = config;
        this.embed = child("embed_tokens", embed);
        this.layers = List.copyOf(layers);
        for (int i = 0; i < layers.size(); i++) child("layers." + i, layers.get(i));
        this.norm = child("norm", norm);
        this.rope = rope;
    }

    /** Loads from HF Hub names under {@code w} (the {@code model.} prefix of a ForCausalLM checkpoint). */
    public static MixtralModel load(Weights w, MixtralConfig c, Rope.Layout ropeLayout) { return load(w, c, ropeLayout, null); }

    /** As above, the experts block-quantized layer by layer when {@code quantize} is not null. */
    public static MixtralModel load(Weights w, MixtralConfig c, Rope.Layout ropeLayout, dev.genai4j.tensor.quant.QuantType quantize) {
        Rope rope = new Rope(c.headDim(), c.headDim(), c.maxPositionEmbeddings(), c.ropeTheta(), ropeLayout);
        List<MixtralDecoderLayer> layers = new ArrayList<>(c.numHiddenLayers());
        for (int i = 0; i < c.numHiddenLayers(); i++) layers.add(MixtralDecoderLayer.load(w.sub("layers." + i), c, rope, quantize));
        MixtralModel m = new MixtralModel(c, Embedding.load(w.sub("embed_tokens"), c.vocabSize(), c.hiddenSize(), null), layers,
                RMSNorm.load(w.sub("norm"), c.hiddenSize(), c.rmsNormEps(), false), rope);
        m.eval();
        return m;
    }

    /**
     * ids: [B, T] token ids → hidden [B, T, H].
     *
     * @param attentionMask HF {@code attention_mask} [B, cached + T] of 1 (token) / 0 (padding), or null for none
     * @param positions     RoPE position ids (null: cache length + 0 … T−1)
     * @param caches        one KV cache per layer, or null
     */
    public Output forward(Tensor ids, Tensor attentionMask, Positions positions, KvCache[] caches) {
        if (ids.dim() != 2) throw ShapeException.of("MixtralModel", "input_ids [B, T]", ids.shape());
        if (caches != null && caches.length != layers.size()) {
            throw new IllegalArgumentException("MixtralModel: " + caches.length + " KV caches for " + layers.size() + " layers");
        }
        AttentionMask mask = config.slidingWindow() == null ? AttentionMask.causal() : AttentionMask.causalWindow(config.slidingWindow());
        if (attentionMask != null) mask = mask.withKeyPadding(attentionMask);
        Tensor x = embed.forward(ids);                                   // [B, T, H]
        List<TopKRouter.Routing> routings = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            MixtralDecoderLayer.Output o = layers.get(i).forward(x, mask, positions, caches == null ? null : caches[i]);
            x = o.hidden();
            routings.add(o.routing());
        }
        return new Output(norm.forward(x), routings);
    }

    public MixtralConfig config() { return config; }

    public List<MixtralDecoderLayer> layers() { return layers; }

    public Embedding embedTokens() { return embed; }

    public Rope rope() { return rope; }
}
