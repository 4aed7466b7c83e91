package dev.genai4j.models.bert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Activation;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Norms;
import dev.genai4j.tensor.kernels.VectorMath;

/**
 * One post-LN transformer encoder layer (arXiv 1810.04805; HF {@code BertLayer}):
 * {@code x = LN(x + Attn(x)); x = LN(x + W2·act(W1·x))}. Inference ({@link #forwardInto}) runs the
 * residual adds, LayerNorms and GELU as fused kernels on {@link BertBuffers}' reused arrays; with
 * gradients ({@link #forward}) the layer is tensor ops.
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

    /** With autograd: x [B, T, H] → [B, T, H]; {@code keyMask} [B·T] (true = token) and {@code mask} [B, T] are null without padding. */
    Tensor forward(Tensor x, boolean[] keyMask, Tensor mask) {
        Tensor a = attention.forward(x, keyMask, mask);                 // [B, T, H]
        x = attentionNorm.forward(x.add(a));
        return outputNorm.forward(x.add(output.forward(act.apply(intermediate.forward(x)))));
    }

    /**
     * Inference on dense arrays: x [B·T, H] → {@code out} [B·T, H], every intermediate in {@code s}.
     * {@code out} may be {@code x} itself (x is dead once the first residual sum is taken) but no other array of {@code s}.
     */
    void forwardInto(float[] x, int b, int t, boolean[] keyMask, BertBuffers s, float[] out) {
        int rows = b * t;
        attention.forwardInto(x, b, t, keyMask, s);                           // s.projection
        addNormInto(x, s.projection, rows, attentionNorm, s.sum, s.mid);
        intermediate.forwardInto(s.mid, rows, s.inner);                       // [B·T, I]
        if (act == Activation.GELU) {
            float[] d = s.inner;
            int n = rows * intermediate.outFeatures();
            Parallel.forChunks(n, PARALLEL_MIN_FLOATS, (from, to) -> VectorMath.geluErf(d, from, d, from, to - from));
        } else {
            int n = rows * intermediate.outFeatures();
            float[] a = act.apply(Tensor.of(java.util.Arrays.copyOf(s.inner, n), n)).contiguous().data();
            System.arraycopy(a, 0, s.inner, 0, n);
        }
        output.forwardInto(s.inner, rows, s.projection);
        addNormInto(s.mid, s.projection, rows, outputNorm, s.sum, out);
    }

    /** out = LN(x + y) over the first {@code rows} rows, through {@code sum}. */
    private static void addNormInto(float[] x, float[] y, int rows, LayerNorm ln, float[] sum, float[] out) {
        int dim = ln.dim(), n = rows * dim;
        Parallel.forChunks(n, PARALLEL_MIN_FLOATS, (from, to) -> VectorMath.add(x, from, y, from, sum, from, to - from));
        Norms.layerNorm(sum, 0, rows, dim, ln.weight().value().data(), ln.bias().value().data(), ln.eps(), out, 0, null, null);
    }
}
