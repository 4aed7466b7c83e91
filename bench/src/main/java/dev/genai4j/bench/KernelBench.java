package dev.genai4j.bench;

import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.kernels.AttentionOperand;
import dev.genai4j.tensor.kernels.AttentionOptions;
import dev.genai4j.tensor.kernels.KernelPaths;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Times each Vector API kernel against its scalar twin in one JVM, on one thread, and prints
 * the thread CPU time per call of both (best of several rounds) and their ratio. Not a test: the figures depend on the machine
 * and its load. Run after {@code mvn -q -o -pl core,bench compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp core/target/classes:bench/target/classes \
 *      dev.genai4j.bench.KernelBench [--quick] [name filter, e.g. attn]
 * </pre>
 */
public final class KernelBench {
    private KernelBench() {}

    private static double roundSeconds = 0.15;
    private static int rounds = 5;

    private static String only = "";

    /** Arguments: {@code --quick} for shorter rounds; any other word runs only kernels whose name contains it. */
    public static void main(String[] args) {
        for (String a : args) {
            if (a.equals("--quick")) { roundSeconds = 0.05; rounds = 3; } else only = a;
        }
        System.out.printf("%-44s %12s %12s %8s%n", "kernel (1 thread)", "vector", "scalar", "speedup");
        Parallel.withThreads(1, KernelBench::runAll);
    }

    private static void runAll() {
        Random r = new Random(42);
        int n = 4096;
        float[] a = gaussian(r, n), b = gaussian(r, n), c = gaussian(r, n), out = new float[n];
        pair("add n=4096", v -> KernelPaths.add(v, a, b, out, n));
        pair("mul n=4096", v -> KernelPaths.mul(v, a, b, out, n));
        pair("fma n=4096", v -> KernelPaths.fma(v, a, b, c, out, n));
        pair("scale n=4096", v -> KernelPaths.scale(v, a, 0.5f, out, n));
        pair("axpy n=4096", v -> KernelPaths.axpy(v, 1e-3f, a, out, n));
        pair("dot n=4096", v -> sink += KernelPaths.dot(v, a, b, n));
        pair("sum n=4096", v -> sink += KernelPaths.sum(v, a, n));
        pair("exp: lanewise(EXP) vs Math.exp n=4096", v -> exp(v, a, out, n));
        pair("silu n=4096", v -> KernelPaths.silu(v, a, out, n));
        pair("gelu (erf) n=4096", v -> KernelPaths.geluErf(v, a, out, n));
        pair("gelu (tanh) n=4096", v -> KernelPaths.geluTanh(v, a, out, n));

        for (int len : new int[]{1000, 32_000}) {
            float[] row = gaussian(r, len), work = new float[len];
            pair("softmax row n=" + len, v -> { System.arraycopy(row, 0, work, 0, len); KernelPaths.softmaxRow(v, work, 0, len); });
            pair("log-softmax row n=" + len, v -> { System.arraycopy(row, 0, work, 0, len); KernelPaths.logSoftmaxRow(v, work, 0, len); });
        }

        int rows = 64, h = 768;
        float[] x = gaussian(r, rows * h), y = new float[rows * h], dy = gaussian(r, rows * h), dx = new float[rows * h];
        float[] g = gaussian(r, h), be = gaussian(r, h), mean = new float[rows], rstd = new float[rows], dg = new float[h], db = new float[h];
        pair("layerNorm fwd [64, 768]", v -> KernelPaths.layerNorm(v, x, rows, h, g, be, 1e-5f, y, mean, rstd));
        pair("layerNorm bwd [64, 768]", v -> KernelPaths.layerNormBackward(v, dy, x, rows, h, g, mean, rstd, dx, dg, db));
        pair("rmsNorm fwd [64, 768]", v -> KernelPaths.rmsNorm(v, x, rows, h, g, 1e-6f, y, rstd));
        pair("rmsNorm bwd [64, 768]", v -> KernelPaths.rmsNormBackward(v, dy, x, rows, h, g, rstd, dx, dg));

        attention(r, "attn causal B1 H8 T512 D64", 8, 8, 512, 512, 64, AttentionOptions.defaults().causal(0), true);
        attention(r, "attn full B1 H12 T256 D64 (BERT)", 12, 12, 256, 256, 64, AttentionOptions.defaults(), false);
        attention(r, "attn local w128 B1 H4 T2048 D64", 4, 4, 2048, 2048, 64, AttentionOptions.defaults().localWindow(128), false);
        attention(r, "attn decode GQA 32/8 Tk4096 D128", 32, 8, 1, 4096, 128, AttentionOptions.defaults().causal(4095), false);
        System.out.printf("(sink %.3g)%n", sink);
    }

    private static void attention(Random r, String name, int hq, int hkv, int tq, int tk, int d, AttentionOptions opt,
                                  boolean backward) {
        AttentionOperand q = AttentionOperand.bhtd(gaussian(r, hq * tq * d), hq, tq, d);
        AttentionOperand k = AttentionOperand.bhtd(gaussian(r, hkv * tk * d), hkv, tk, d);
        AttentionOperand v = AttentionOperand.bhtd(gaussian(r, hkv * tk * d), hkv, tk, d);
        AttentionOperand o = AttentionOperand.bhtd(new float[hq * tq * d], hq, tq, d);
        float[] lse = new float[hq * tq];
        pair(name + " fwd", vec -> KernelPaths.attention(vec, 1, hq, hkv, tq, tk, d, q, k, v, o, opt, lse));
        if (!backward) return;
        AttentionOperand dOut = AttentionOperand.bhtd(gaussian(r, hq * tq * d), hq, tq, d);
        AttentionOperand dq = AttentionOperand.bhtd(new float[hq * tq * d], hq, tq, d);
        AttentionOperand dk = AttentionOperand.bhtd(new float[hkv * tk * d], hkv, tk, d);
        AttentionOperand dv = AttentionOperand.bhtd(new float[hkv * tk * d], hkv, tk, d);
        pair(name + " bwd", vec -> KernelPaths.attentionBackward(vec, 1, hq, hkv, tq, tk, d, q, k, v, o, dOut, lse, opt, dq, dk, dv));
    }

    private static double sink;

    /** The exp the softmax and attention kernels use (lanewise EXP, SVML on x86) against Math.exp. */
    private static void exp(boolean vector, float[] x, float[] out, int n) {
        var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        int i = 0;
        if (vector)
            for (int bound = species.loopBound(n); i < bound; i += species.length())
                jdk.incubator.vector.FloatVector.fromArray(species, x, i)
                        .lanewise(jdk.incubator.vector.VectorOperators.EXP).intoArray(out, i);
        for (; i < n; i++) out[i] = (float) Math.exp(x[i]);
    }

    private static void pair(String name, Consumer<Boolean> body) {
        if (!name.contains(only)) return;
        double vector = nanosPerCall(() -> body.accept(true));
        double scalar = nanosPerCall(() -> body.accept(false));
        System.out.printf("%-44s %12s %12s %7.1fx%n", name, format(vector), format(scalar), scalar / vector);
    }

    /** Best of {@link #rounds} rounds after a warm-up, each round about {@link #roundSeconds} long. */
    private static double nanosPerCall(Runnable body) {
        long calls = 1, start = System.nanoTime(), warm = 0;
        // Warm-up by count as well as time: C2 compiles after ~10⁴ calls, and on a loaded machine
        // a fixed time may not reach them; until then Vector API code runs boxed and slow.
        for (long e; (e = System.nanoTime() - start) < 2 * roundSeconds * 1e9 || (warm < 20_000 && e < 4e9); warm++) body.run();
        for (long t; (t = time(body, calls)) < roundSeconds * 1e9 / 4; ) calls = calls * 2 + (t == 0 ? 1 : 0);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) best = Math.min(best, (double) time(body, calls) / calls);
        return best;
    }

    /**
     * CPU time of this thread for {@code calls} calls. Everything runs on this thread (one-thread
     * limit), and CPU time, unlike wall time, does not count the slices other processes take on
     * a shared machine.
     */
    private static long time(Runnable body, long calls) {
        long t0 = CPU.getCurrentThreadCpuTime();
        for (long i = 0; i < calls; i++) body.run();
        return CPU.getCurrentThreadCpuTime() - t0;
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private static String format(double ns) {
        if (ns < 1e3) return String.format("%.0f ns", ns);
        if (ns < 1e6) return String.format("%.2f µs", ns / 1e3);
        return String.format("%.2f ms", ns / 1e6);
    }

    private static float[] gaussian(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }
}
