package dev.genai4j.bench;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.HalfFloats;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.quant.QuantType;
import dev.genai4j.tensor.quant.QuantizedMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Decode-shaped products {@code y[M, N] = x[M, K] · W[N, K]ᵀ} (M = 1 and a short prefill) with the
 * weight held in fp32, bf16, Q8_0 and Q4_0, timed alternately in one process: the speed-up a
 * quantized model gets for its matrix products, and the bytes each reads. ratio = fp32 time / time.
 *
 * <pre>{@code
 * QuantBench.run(4096, 4096, new int[]{1, 2}, false);
 * // quant 1x4096x4096 threads=1 f32_ms=… bf16_ms=… q8_ms=… q4_ms=… bf16=…x q8=…x q4=…x
 * }</pre>
 */
public final class QuantBench {
    private QuantBench() {}

    public static List<String> run(int n, int k, int[] threads, boolean quick) {
        Tensor w = Tensor.randn(new Rng(1), n, k);
        Tensor wT = w.transpose(0, 1);                                  // [K, N] view: Linear's layout
        MemorySegment seg = Arena.ofAuto().allocate((long) n * k * 2, 64);
        float[] wf = w.toFloatArray();
        for (int i = 0; i < wf.length; i++) seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, HalfFloats.floatToBf16(wf[i]));
        Tensor wBf16T = Tensor.wrap(new SegmentStorage(seg, DType.BF16, false), n, k).transpose(0, 1);
        QuantizedMatrix q8 = QuantizedMatrix.quantize(w, QuantType.Q8_0), q4 = QuantizedMatrix.quantize(w, QuantType.Q4_0);
        List<String> lines = new ArrayList<>();
        for (int m : new int[]{1, 8}) {
            Tensor x = Tensor.randn(new Rng(2), m, k);
            for (int t : threads) {
                Runnable[] bodies = {
                        () -> x.matmul(wT), () -> x.matmul(wBf16T), () -> q8.matmul(x), () -> q4.matmul(x)};
                double[] ms = new double[bodies.length];
                Parallel.withThreads(t, () -> {
                    try (var g = NoGrad.enter()) {
                        double[] r = medians(bodies, quick ? 1.0 : 4.0);
                        System.arraycopy(r, 0, ms, 0, r.length);
                    }
                });
                String line = String.format(Locale.ROOT,
                        "quant %dx%dx%d threads=%d f32_ms=%.3f bf16_ms=%.3f q8_ms=%.3f q4_ms=%.3f bf16=%.2fx q8=%.2fx q4=%.2fx",
                        m, k, n, t, ms[0], ms[1], ms[2], ms[3], ms[0] / ms[1], ms[0] / ms[2], ms[0] / ms[3]);
                System.out.println(line);
                lines.add(line);
            }
        }
        return lines;
    }

    /** Median ms of each body, run in rotation (same machine load for all) after a warm-up of half the budget. */
    private static double[] medians(Runnable[] bodies, double seconds) {
        long w0 = System.nanoTime();
        while (System.nanoTime() - w0 < seconds * 0.5e9) for (Runnable b : bodies) b.run();
        List<double[]> samples = new ArrayList<>();
        long s0 = System.nanoTime();
        while (samples.size() < 5 || (System.nanoTime() - s0 < seconds * 1e9 && samples.size() < 200)) {
            double[] one = new double[bodies.length];
            for (int i = 0; i < bodies.length; i++) {
                long t0 = System.nanoTime();
                bodies[i].run();
                one[i] = (System.nanoTime() - t0) / 1e6;
            }
            samples.add(one);
        }
        double[] med = new double[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            final int j = i;
            double[] col = samples.stream().mapToDouble(s -> s[j]).sorted().toArray();
            med[i] = col[col.length / 2];
        }
        return med;
    }

    public static void main(String[] args) {
        run(4096, 4096, new int[]{1, 2}, Arrays.asList(args).contains("--quick"));
    }
}
