package dev.genai4j.nn.functional;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Storage;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.TensorException;
import dev.genai4j.tensor.kernels.Gemm;
import dev.genai4j.tensor.kernels.VectorSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The recurrent half of one LSTM layer in one direction (Hochreiter &amp; Schmidhuber 1997;
 * equations and gate order i, f, g, o as {@code torch.nn.LSTM}): given the input projections
 * for every step it runs the cell over time and returns every hidden and cell state. Fused
 * into one op so that backpropagation through time costs O(T) instead of one full-size
 * gradient per step slice; the input projection {@code x·W_ihᵀ + b} stays an ordinary matmul.
 *
 * <p>Variable lengths follow {@code pack_padded_sequence}: sequence b only sees steps
 * t &lt; lengths[b]; the reverse direction starts at its last real step; outputs past the length
 * are zero, as {@code pad_packed_sequence} returns.
 *
 * <pre>{@code
 * Tensor hc = LstmScanOp.scan(xProj, wHh, h0, c0, lengths, false);   // [T, B, 2H]
 * Tensor h = hc.narrow(2, 0, H), c = hc.narrow(2, H, H);
 * }</pre>
 */
public final class LstmScanOp {
    private LstmScanOp() {}

    /**
     * @param gatesX  [T, B, 4H] input projections x_t·W_ihᵀ + b_ih + b_hh (gate blocks i, f, g, o)
     * @param wHh     [4H, H] recurrent weight
     * @param h0      [B, H] initial hidden state
     * @param c0      [B, H] initial cell state
     * @param lengths per-sequence lengths in [1, T], or null when all are T
     * @param reverse run from each sequence's last real step back to step 0
     * @return [T, B, 2H]: h_t in the first H columns, c_t in the last H; zero where t ≥ length
     */
    public static Tensor scan(Tensor gatesX, Tensor wHh, Tensor h0, Tensor c0, int[] lengths, boolean reverse) {
        if (gatesX.dim() != 3) throw ShapeException.of("lstm scan input projections", "[T, B, 4H]", gatesX.shape());
        int steps = gatesX.size(0), batch = gatesX.size(1), g4 = gatesX.size(2), hid = g4 / 4;
        if (g4 % 4 != 0 || !Arrays.equals(wHh.shape(), new int[]{g4, hid})) {
            throw ShapeException.of("lstm scan weight_hh", "[" + g4 + ", " + hid + "] for projections " + Arrays.toString(gatesX.shape()), wHh.shape());
        }
        int[] bh = {batch, hid};
        if (!Arrays.equals(h0.shape(), bh)) throw ShapeException.of("lstm scan h0", Arrays.toString(bh), h0.shape());
        if (!Arrays.equals(c0.shape(), bh)) throw ShapeException.of("lstm scan c0", Arrays.toString(bh), c0.shape());
        int[] len = checkedLengths(lengths, batch, steps);

        float[] gx = gatesX.data();
        float[] h = h0.toFloatArray(), c = c0.toFloatArray();
        // W_hh is read where it lies (e.g. memory-mapped): copying it to an array on every call cost
        // as much as the recurrence itself at batch 1; backward copies it when it runs
        Tensor wDense = wHh.contiguous();
        Storage ws = wDense.storage();
        long wOff = wDense.offset();
        float[] out = new float[steps * batch * 2 * hid];
        float[] acts = new float[steps * batch * g4];      // activated gates i, f, g, o per step
        float[] hPrev = new float[steps * batch * hid];    // state entering each step
        float[] cPrev = new float[steps * batch * hid];
        float[] a = new float[batch * g4];
        FloatStorage hs = new FloatStorage(h);
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            // a [B, 4H] = h [B, H] · W_hhᵀ
            Gemm.sgemm(batch, g4, hid, hs, 0, hid, 1, ws, wOff, 1, hid, a, 0, g4, false);
            System.arraycopy(h, 0, hPrev, t * batch * hid, batch * hid);
            System.arraycopy(c, 0, cPrev, t * batch * hid, batch * hid);
            for (int b = 0; b < batch; b++) {
                if (t >= len[b]) continue;   // padding: state passes through untouched, output stays 0
                int ga = b * g4, gi = (t * batch + b) * g4, hb = b * hid, ob = (t * batch + b) * 2 * hid;
                if (VECTOR) cellVector(a, ga, gx, gi, c, h, hb, out, ob, acts, hid);
                else cellScalar(a, ga, gx, gi, c, h, hb, out, ob, acts, hid, 0);
            }
        }
        Tensor result = Tensor.of(out, steps, batch, 2 * hid);
        if (Autograd.recording(gatesX, wHh, h0, c0)) {
            Autograd.record(result, new GradFn("lstm_scan", gatesX, wHh, h0, c0) {
                @Override public Tensor[] backward(Tensor grad) {
                    return backwardThroughTime(grad.data(), out, acts, hPrev, cPrev, wDense.data(), len, steps, batch, hid, reverse,
                            needs(1));
                }
            });
        }
        return result;
    }

    private static Tensor[] backwardThroughTime(float[] dOut, float[] out, float[] acts, float[] hPrev, float[] cPrev,
                                                float[] w, int[] len, int steps, int batch, int hid, boolean reverse,
                                                boolean wantWeight) {
        int g4 = 4 * hid;
        float[] dh = new float[batch * hid], dc = new float[batch * hid];   // d loss / d state after the step
        float[] dA = new float[steps * batch * g4];                         // d loss / d gate pre-activations
        float[] dhPrev = new float[batch * hid];
        FloatStorage ws = new FloatStorage(w), dAs = new FloatStorage(dA);
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            for (int b = 0; b < batch; b++) {
                if (t >= len[b]) continue;
                int gi = (t * batch + b) * g4, hb = b * hid, ob = (t * batch + b) * 2 * hid, pb = (t * batch + b) * hid;
                for (int j = 0; j < hid; j++) {
                    float i = acts[gi + j], f = acts[gi + hid + j], g = acts[gi + 2 * hid + j], o = acts[gi + 3 * hid + j];
                    float tc = (float) Math.tanh(out[ob + hid + j]);
                    float dht = dh[hb + j] + dOut[ob + j];
                    float dct = dc[hb + j] + dOut[ob + hid + j] + dht * o * (1f - tc * tc);
                    dA[gi + j] = dct * g * i * (1f - i);
                    dA[gi + hid + j] = dct * cPrev[pb + j] * f * (1f - f);
                    dA[gi + 2 * hid + j] = dct * i * (1f - g * g);
                    dA[gi + 3 * hid + j] = dht * tc * o * (1f - o);
                    dc[hb + j] = dct * f;
                }
            }
            // dh_prev [B, H] = dA_t [B, 4H] · W_hh [4H, H] for the sequences that took this step
            Gemm.sgemm(batch, hid, g4, dAs, (long) t * batch * g4, g4, 1, ws, 0, hid, 1, dhPrev, 0, hid, false);
            for (int b = 0; b < batch; b++) {
                if (t < len[b]) System.arraycopy(dhPrev, b * hid, dh, b * hid, hid);
            }
        }
        Tensor dW = null;
        if (wantWeight) {
            // dW_hh [4H, H] = Σ_t dA_tᵀ · h_{t-1}: one GEMM over all steps (padding rows of dA are 0)
            float[] dw = new float[g4 * hid];
            Gemm.sgemm(g4, hid, steps * batch, dAs, 0, 1, g4, new FloatStorage(hPrev), 0, hid, 1, dw, 0, hid, false);
            dW = Tensor.of(dw, g4, hid);
        }
        return new Tensor[]{Tensor.of(dA, steps, batch, g4), dW, Tensor.of(dh, batch, hid), Tensor.of(dc, batch, hid)};
    }

    private static int[] checkedLengths(int[] lengths, int batch, int steps) {
        if (lengths == null) {
            int[] all = new int[batch];
            Arrays.fill(all, steps);
            return all;
        }
        if (lengths.length != batch) {
            throw new ShapeException("lstm: " + lengths.length + " lengths given for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > steps) {
                throw new TensorException("lstm: length " + lengths[b] + " of sequence " + b + " outside [1, " + steps
                        + "] (pack_padded_sequence rejects empty sequences too)");
            }
        }
        return lengths.clone();
    }

    /** Vector gate math ({@link #cellVector}) unless {@code -Dgenai4j.kernels.scalar=true} asks for the scalar twin. */
    static final boolean VECTOR = VectorSupport.ENABLED;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * One cell update for one sequence: gates from the recurrent part {@code a[ga..]} plus the
     * input part {@code gx[gi..]}, for units {@code from..hid-1}; writes c and h in place, h and c to {@code out[ob..]} and the
     * activated gates to {@code acts[gi..]} (what backward needs).
     */
    static void cellScalar(float[] a, int ga, float[] gx, int gi, float[] c, float[] h, int hb, float[] out, int ob,
                           float[] acts, int hid, int from) {
        for (int j = from; j < hid; j++) {
            float i = sigmoid(a[ga + j] + gx[gi + j]);
            float f = sigmoid(a[ga + hid + j] + gx[gi + hid + j]);
            float g = (float) Math.tanh(a[ga + 2 * hid + j] + gx[gi + 2 * hid + j]);
            float o = sigmoid(a[ga + 3 * hid + j] + gx[gi + 3 * hid + j]);
            float cn = f * c[hb + j] + i * g;
            float hn = o * (float) Math.tanh(cn);
            c[hb + j] = cn;
            h[hb + j] = hn;
            out[ob + j] = hn;
            out[ob + hid + j] = cn;
            acts[gi + j] = i;
            acts[gi + hid + j] = f;
            acts[gi + 2 * hid + j] = g;
            acts[gi + 3 * hid + j] = o;
        }
    }

    /** {@link #cellScalar} with the Vector API's EXP and TANH (one vector of units at a time), scalar tail. */
    static void cellVector(float[] a, int ga, float[] gx, int gi, float[] c, float[] h, int hb, float[] out, int ob,
                           float[] acts, int hid) {
        int bound = S.loopBound(hid), j = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; j < bound; j += S.length()) {
            FloatVector i = sigmoid(FloatVector.fromArray(S, a, ga + j).add(FloatVector.fromArray(S, gx, gi + j)), one);
            FloatVector f = sigmoid(FloatVector.fromArray(S, a, ga + hid + j).add(FloatVector.fromArray(S, gx, gi + hid + j)), one);
            FloatVector g = FloatVector.fromArray(S, a, ga + 2 * hid + j).add(FloatVector.fromArray(S, gx, gi + 2 * hid + j))
                    .lanewise(VectorOperators.TANH);
            FloatVector o = sigmoid(FloatVector.fromArray(S, a, ga + 3 * hid + j).add(FloatVector.fromArray(S, gx, gi + 3 * hid + j)), one);
            FloatVector cn = f.mul(FloatVector.fromArray(S, c, hb + j)).add(i.mul(g));
            FloatVector hn = o.mul(cn.lanewise(VectorOperators.TANH));
            cn.intoArray(c, hb + j);
            hn.intoArray(h, hb + j);
            hn.intoArray(out, ob + j);
            cn.intoArray(out, ob + hid + j);
            i.intoArray(acts, gi + j);
            f.intoArray(acts, gi + hid + j);
            g.intoArray(acts, gi + 2 * hid + j);
            o.intoArray(acts, gi + 3 * hid + j);
        }
        cellScalar(a, ga, gx, gi, c, h, hb, out, ob, acts, hid, j);   // the tail, as the scalar twin does it
    }

    private static FloatVector sigmoid(FloatVector x, FloatVector one) {
        return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
    }

    private static float sigmoid(float x) {
        return x >= 0 ? (float) (1.0 / (1.0 + Math.exp(-x))) : (float) (Math.exp(x) / (1.0 + Math.exp(x)));
    }
}
