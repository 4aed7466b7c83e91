package dev.genai4j.models.mixtral;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Activation;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.quant.QuantType;
import dev.genai4j.tensor.quant.QuantizedMatrix;

/**
 * One Mixtral expert, {@code w2(act(w1·x) · w3·x)}, with its three weights block-quantized
 * ({@link QuantType#Q8_0} / {@link QuantType#Q4_0}) at load: the model's {@code --quantize} path.
 * Inference only (no parameters, no gradients). Each weight is quantized straight from the mapped
 * checkpoint a few rows at a time and its mapped pages are then released, so loading never holds
 * more than the quantized experts plus one chunk of fp32 rows per thread.
 *
 * <pre>{@code
 * QuantizedExpert e = QuantizedExpert.load(w.sub("experts.0"), 4096, 14336, Activation.SILU, QuantType.Q8_0);
 * Tensor y = e.forward(x);   // x [n, 4096] → y [n, 4096]
 * }</pre>
 */
public final class QuantizedExpert extends Module {
    private final int hidden, intermediate;
    private final Activation act;
    private final QuantizedMatrix w1, w3, w2;   // gate [I, H], up [I, H], down [H, I]

    private QuantizedExpert(int hidden, int intermediate, Activation act, QuantizedMatrix w1, QuantizedMatrix w3, QuantizedMatrix w2) {
        this.hidden = hidden;
        this.intermediate = intermediate;
        this.act = act;
        this.w1 = w1;
        this.w3 = w3;
        this.w2 = w2;
    }

    /** Quantizes {@code w1/w3/w2.weight} under {@code w} (HF Hub expert names). */
    public static QuantizedExpert load(Weights w, int hidden, int intermediate, Activation act, QuantType type) {
        return new QuantizedExpert(hidden, intermediate, act,
                quantize(w.get("w1.weight", intermediate, hidden), type),
                quantize(w.get("w3.weight", intermediate, hidden), type),
                quantize(w.get("w2.weight", hidden, intermediate), type));
    }

    /**
     * Quantizes a weight and hands its mapped pages back to the OS: they are clean file pages, so the
     * kernel could evict them anyway, but they would count as resident until it needed to.
     */
    static QuantizedMatrix quantize(Tensor weight, QuantType type) {
        QuantizedMatrix q = QuantizedMatrix.quantize(weight, type);
        if (weight.storage() instanceof SegmentStorage s && s.segment().isMapped()) s.segment().unload();
        return q;
    }

    /** x: [..., H] → [..., H]. */
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != hidden) {
            throw ShapeException.of("QuantizedExpert(hidden=" + hidden + ", intermediate=" + intermediate + ")", "input [..., " + hidden + "]", x.shape());
        }
        Tensor h = act.apply(w1.matmul(x)).mul(w3.matmul(x));   // [..., I]
        return w2.matmul(h);                                     // [..., H]
    }

    /** Bytes of the three quantized weights. */
    public long bytes() { return w1.bytes() + w2.bytes() + w3.bytes(); }

    public QuantType type() { return w1.type(); }
}
