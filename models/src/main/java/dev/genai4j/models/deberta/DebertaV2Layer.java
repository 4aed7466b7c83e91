package dev.genai4j.models.deberta;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Activation;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Norms;
import dev.genai4j.tensor.kernels.VectorMath;

/**
 * One post-LN DeBERTa encoder layer (HF {@code DebertaV2Layer}):
 * {@code x = LN(x + Wo·DisentangledAttn(x)); x = LN(x + W2·act(W1·x))}. Under {@link NoGrad}
 * the residual adds, LayerNorms and exact GELU run as fused kernels on dense arrays.
 */
final class DebertaV2Layer extends Module {
    private final DisentangledSelfAttention attention;   // attention.self.*
    private final Linear attentionOut;                    // attention.output.dense [H, nH·d]
    private final LayerNorm attentionNorm;                // attention.output.LayerNorm
    private final Linear intermediate;                    // intermediate.dense [I, H]
    private final Linear output;                          // output.dense [H, I]
    private final LayerNorm outputNorm;                   // output.LayerNorm
    private final Activation act;

    private DebertaV2Layer(DebertaV2Config c, DisentangledSelfAttention attention, Linear attentionOut, LayerNorm attentionNorm,
                           Linear intermediate, Linear output, LayerNorm outputNorm) {
        this.act = c.hiddenAct();
        this.attention = child("attention.self", attention);
        this.attentionOut = child("attention.output.dense", attentionOut);
        this.attentionNorm = child("attention.output.LayerNorm", attentionNorm);
        this.intermediate = child("intermediate.dense", intermediate);
        this.output = child("output.dense", output);
        this.outputNorm = child("output.LayerNorm", outputNorm);
    }

    static DebertaV2Layer load(Weights w, DebertaV2Config c) {
        int h = c.hiddenSize();
        Weights out = w.sub("attention").sub("output");
        return new DebertaV2Layer(c,
                DisentangledSelfAttention.load(w.sub("attention").sub("self"), c),
                Linear.load(out.sub("dense"), c.allHeadSize(), h, true),
                LayerNorm.load(out.sub("LayerNorm"), h, c.layerNormEps(), true),
                Linear.load(w.sub("intermediate").sub("dense"), h, c.intermediateSize(), true),
                Linear.load(w.sub("output").sub("dense"), c.intermediateSize(), h, true),
                LayerNorm.load(w.sub("output").sub("LayerNorm"), h, c.layerNormEps(), true));
    }

    /** x: [B, T, H] → [B, T, H]; see {@link DisentangledSelfAttention#forward} for the other arguments. */
    Tensor forward(Tensor x, Tensor relEmb, RelativePositions.Columns cols, Tensor mask) {
        Tensor a = attentionOut.forward(attention.forward(x, relEmb, cols, mask));   // [B, T, H]
        if (NoGrad.isGradEnabled()) {
            x = attentionNorm.forward(x.add(a));
            return outputNorm.forward(x.add(output.forward(act.apply(intermediate.forward(x)))));
        }
        x = addNorm(x, a, attentionNorm);
        Tensor h = intermediate.forward(x);                                          // [B, T, I], a fresh array only we hold
        if (act == Activation.GELU && h.isContiguous() && h.offset() == 0) {
            float[] d = h.data();
            VectorMath.geluErf(d, 0, d, 0, d.length);                               // in place: saves a [B, T, I] array
        } else {
            h = act.apply(h);
        }
        return addNorm(x, output.forward(h), outputNorm);
    }

    /** LN(x + y) in two kernel passes, one new array. */
    private static Tensor addNorm(Tensor x, Tensor y, LayerNorm ln) {
        int n = x.numel(), dim = ln.dim();
        float[] sum = new float[n];
        VectorMath.add(x.contiguous().data(), 0, y.contiguous().data(), 0, sum, 0, n);
        Norms.layerNorm(sum, 0, n / dim, dim, ln.weight().value().data(), ln.bias().value().data(), ln.eps(), sum, 0, null, null);
        return Tensor.of(sum, x.shape());
    }
}
