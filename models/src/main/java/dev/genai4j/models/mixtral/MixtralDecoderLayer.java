package dev.genai4j.models.mixtral;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.AttentionMask;
import dev.genai4j.nn.KvCache;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.MultiHeadAttention;
import dev.genai4j.nn.Positions;
import dev.genai4j.nn.RMSNorm;
import dev.genai4j.nn.Rope;
import dev.genai4j.tensor.Tensor;

/**
 * One Mixtral decoder layer (arXiv 2401.04088; HF {@code MixtralDecoderLayer}), pre-norm:
 * {@code h = x + attn(rms(x))}, {@code out = h + moe(rms(h))}. Attention is grouped-query with RoPE,
 * causal and, when the config has one, a sliding window.
 *
 * <pre>{@code
 * MixtralDecoderLayer layer = MixtralDecoderLayer.load(hub.sub("model.layers.0"), config, rope);
 * MixtralDecoderLayer.Output o = layer.forward(x, AttentionMask.causal(), null, cache);   // x [B, T, H]
 * }</pre>
 */
public final class MixtralDecoderLayer extends Module {
    /** The layer output [B, T, H] and its router logits [B·T, E]. */
    public record Output(Tensor hidden, TopKRouter.Routing routing) {}

    private final RMSNorm inputNorm;          // [H]
    private final MultiHeadAttention attn;    // q [nH·hd, H], k/v [nKv·hd, H], o [H, nH·hd]
    private final RMSNorm postAttnNorm;       // [H]
    private final MixtralSparseMoe moe;

    private MixtralDecoderLayer(RMSNorm inputNorm, MultiHeadAttention attn, RMSNorm postAttnNorm, MixtralSparseMoe moe) {
        this.inputNorm = child("input_layernorm", inputNorm);
        this.attn = child("self_attn", attn);
        this.postAttnNorm = child("post_attention_layernorm", postAttnNorm);
        this.moe = child("block_sparse_moe", moe);
    }

    /** Loads one layer from HF Hub names under {@code w} ({@code model.layers.N}). */
    public static MixtralDecoderLayer load(Weights w, MixtralConfig c, Rope rope) { return load(w, c, rope, null); }

    /** As above, the experts block-quantized when {@code quantize} is not null. */
    public static MixtralDecoderLayer load(Weights w, MixtralConfig c, Rope rope, dev.genai4j.tensor.quant.QuantType quantize) {
        var cfg = new MultiHeadAttention.Config(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(),
                false, false, MultiHeadAttention.Names.LLAMA, 0f, (float) (1.0 / Math.sqrt(c.headDim())));
        return new MixtralDecoderLayer(
                RMSNorm.load(w.sub("input_layernorm"), c.hiddenSize(), c.rmsNormEps(), false),
                MultiHeadAttention.load(w.sub("self_attn"), cfg, rope),
                RMSNorm.load(w.sub("post_attention_layernorm"), c.hiddenSize(), c.rmsNormEps(), false),
                MixtralSparseMoe.load(w.sub("block_sparse_moe"), c, quantize));
    }

    /**
     * x: [B, T, H] → [B, T, H].
     *
     * @param mask      causal (+ window, + key padding over all cached keys)
     * @param positions RoPE positions (null: cache length + 0 … T−1)
     * @param cache     this layer's KV cache, or null
     */
    public Output forward(Tensor x, AttentionMask mask, Positions positions, KvCache cache) {
        Tensor h = x.add(attn.forward(inputNorm.forward(x), mask, positions, cache));
        MixtralSparseMoe.Output m = moe.forward(postAttnNorm.forward(h));
        return new Output(h.add(m.y()), m.routing());
    }

    public MixtralSparseMoe moe() { return moe; }

    public MultiHeadAttention attention() { return attn; }
}
