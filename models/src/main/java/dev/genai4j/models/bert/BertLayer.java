package dev.genai4j.models.bert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Activation;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Norms;
import dev.genai4j.tensor.kernels.VectorMath;

/**
 * One post-LN transformer encoder layer (arXiv 1810.04805; HF {@code BertLayer}):
 * {@code x = LN(x + Attn(x)); x = LN(x + W2·act(W1·x))}. Under {@link NoGrad} the residual adds,
 * LayerNorms and GELU run as fused kernels on dense arrays; with gradients, as tensor ops.
 */
final class BertLayer extends Module {
    /**
     * Elements per thread below which GELU and the residual add stay on the calling thread: at 8x128
     * tokens both had run on one thread while the GEMMs around them used two (~10 % of a forward).
     */
    private static final int PARALLEL_MIN_FLOATS = 1 << 15;
    private final BertSelfAttention attention;    // attention.self.{query,key,value}, attention.output.dense
    private final LayerNorm attentionNorm;        // attention.output.LayerNorm
    private final Linear intermediate;            // intermediate.dense [I, H]
    private final Linear output;                  // output.dense [H, I]
    private final LayerNorm outputNorm;           // output.LayerNorm
    private final Activation act;

    private BertLayer(BertConfig c, BertSelfAttention attention, LayerNorm attentionNorm, Linear intermediate,
                      Linear output, LayerNorm outputNorm) {
        this.act = c.hiddenAct();
        this.attention = child("attention", attention);
        this.attentionNorm = child("attention.output.LayerNorm", attentionNorm);
        this.intermediate = child("intermediate.dense", intermediate);
        this.output = child("output.dense", output);
        this.outputNorm = child("output.LayerNorm", outputNorm);
    }

    static BertLayer load(Weights w, BertConfig c) {
        return new BertLayer(c,
                BertSelfAttention.load(w.sub("attention"), c),
                LayerNorm.load(w.sub("attention").sub("output").sub("LayerNorm"), c.hiddenSize(), c.layerNormEps(), true),
                Linear.load(w.sub("intermediate").sub("dense"), c.hiddenSize(), c.intermediateSize(), true),
                Linear.load(w.sub("output").sub("dense"), c.intermediateSize(), c.hiddenSize(), true),
                LayerNorm.load(w.sub("output").sub("LayerNorm"), c.hiddenSize(), c.layerNormEps(), true));
    }

    /** x: [B, T, H] → [B, T, H]; {@code keyMask} [B·T] (true = token) and {@code mask} [B, T] are null without padding. */
    Tensor forward(Tensor x, boolean[] keyMask, Tensor mask) {
        Tensor a = attention.forward(x, keyMask, mask);                 // [B, T, H]
        if (NoGrad.isGradEnabled()) {
            x = attentionNorm.forward(x.add(a));
            return outputNorm.forward(x.add(output.forward(act.apply(intermediate.forward(x)))));
        }
        x = addNorm(x, a, attentionNorm);
        Tensor h = intermediate.forward(x);                             // [B, T, I], a fresh array only we hold
        if (act == Activation.GELU && h.isContiguous()) {
            float[] d = h.data();                                        // in place: saves an [B, T, I] array
            Parallel.forChunks(d.length, PARALLEL_MIN_FLOATS, (from, to) -> VectorMath.geluErf(d, from, d, from, to - from));
        } else {
            h = act.apply(h);
        }
        return addNorm(x, output.forward(h), outputNorm);
    }

    /** LN(x + y) in two kernel passes, one new array. */
    private static Tensor addNorm(Tensor x, Tensor y, LayerNorm ln) {
        int n = x.numel(), dim = ln.dim();
        float[] sum = new float[n];
        float[] xd = x.contiguous().data(), yd = y.contiguous().data();
        Parallel.forChunks(n, PARALLEL_MIN_FLOATS, (from, to) -> VectorMath.add(xd, from, yd, from, sum, from, to - from));
        float[] out = new float[n];
        Norms.layerNorm(sum, 0, n / dim, dim, ln.weight().value().data(), ln.bias().value().data(), ln.eps(), out, 0, null, null);
        return Tensor.of(out, x.shape());
    }
}
