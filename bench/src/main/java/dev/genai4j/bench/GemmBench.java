package dev.genai4j.bench;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.kernels.Gemm;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Our fp32 GEMM against OpenBLAS {@code cblas_sgemm}, side by side in one process on the same
 * inputs. For every shape and thread count it warms both up, then takes interleaved samples (ours,
 * OpenBLAS, ours, …) so that noise from other processes hits both alike, and reports the medians
 * in GFLOP/s, one line per case:
 * <pre>gemm M=1024 N=1024 K=1024 threads=1 ours=123.4 openblas=150.2 ratio=0.82</pre>
 *
 * <pre>{@code
 * GemmBench.run(GemmBench.Options.quick(), System.out::println);
 * }</pre>
 */
public final class GemmBench {

    /** One matrix shape, {@code C[M,N] = A[M,K] · B[K,N]}. */
    public record Shape(int m, int n, int k) {
        /** {@code "1024"} (a cube) or {@code "1x4096x4096"} (M x N x K). */
        public static Shape parse(String s) {
            String[] p = s.trim().toLowerCase(Locale.ROOT).split("x");
            try {
                if (p.length == 1) {
                    int d = Integer.parseInt(p[0]);
                    return new Shape(d, d, d);
                }
                if (p.length == 3) return new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("gemm bench: size '" + s + "' is neither N (a cube) nor MxNxK, e.g. 1x4096x4096");
        }

        double flops() { return 2.0 * m * n * k; }
    }

    /**
     * What to run. {@code transposedB} stores B as {@code [N, K]} (as {@code Linear} weights are)
     * and asks both libraries for {@code A · Bᵀ}. {@code gemvBaseline} times OpenBLAS's
     * {@code cblas_sgemv} instead of {@code cblas_sgemm} on M = 1 shapes (its sgemm does not
     * forward that shape to gemv, so sgemm is the weaker baseline there).
     */
    public record Options(List<Shape> shapes, List<Integer> threads, int samples, double sampleSeconds,
                          boolean transposedB, boolean gemvBaseline) {
        public static Options full() {
            return new Options(List.of(new Shape(256, 256, 256), new Shape(1024, 1024, 1024),
                    new Shape(4096, 4096, 4096), new Shape(1, 4096, 4096)), List.of(1, 2), 7, 0.25, false, false);
        }

        public static Options quick() {
            return new Options(List.of(new Shape(256, 256, 256), new Shape(1024, 1024, 1024),
                    new Shape(1, 4096, 4096)), List.of(1, 2), 3, 0.08, false, false);
        }

        public Options with(List<Shape> newShapes, List<Integer> newThreads, boolean newTransposedB,
                            boolean newGemvBaseline) {
            return new Options(newShapes == null ? shapes : newShapes, newThreads == null ? threads : newThreads,
                    samples, sampleSeconds, newTransposedB, newGemvBaseline);
        }
    }

    /** Result of one case, in GFLOP/s. */
    public record Result(Shape shape, int threads, double ours, double openblas) {
        public double ratio() { return ours / openblas; }

        public String line() {
            return String.format(Locale.ROOT, "gemm M=%d N=%d K=%d threads=%d ours=%.1f openblas=%.1f ratio=%.2f",
                    shape.m, shape.n, shape.k, threads, ours, openblas, ratio());
        }
    }

    private GemmBench() {}

    /**
     * Which OpenBLAS kernel the baseline runs. {@code OPENBLAS_CORETYPE} forces an older core type
     * (some machines here set it to Haswell, i.e. AVX2 kernels), which halves OpenBLAS's speed on
     * an AVX-512 machine and would flatter our ratio: the launcher clears it for {@code bench}.
     */
    public static String openBlasDescription() {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        return "# OpenBLAS 0.3.31 (org.bytedeco openblas_nolapack), kernel chosen "
                + (forced == null ? "by its own CPU detection" : "by OPENBLAS_CORETYPE=" + forced + " (forced: not a fair baseline)");
    }

    /** Runs every case of {@code options}, handing each result line to {@code out} as it is measured. */
    public static List<Result> run(Options options, Consumer<String> out) {
        System.err.println(openBlasDescription());
        warmUpJit(options);
        List<Result> results = new ArrayList<>();
        for (Shape shape : options.shapes()) {
            Operands op = new Operands(shape, options.transposedB(), options.gemvBaseline(), 1234);
            try {
                for (int t : options.threads()) {
                    Result r = measure(op, t, options);
                    results.add(r);
                    out.accept(r.line());
                }
            } finally {
                op.close();
            }
        }
        return results;
    }

    /**
     * Our kernels run in C1 code (the Vector API unintrinsified, ~100× slower) until C2 has
     * compiled them, which takes a few hundred calls; get that done before the first sample.
     */
    private static void warmUpJit(Options options) {
        try (Operands op = new Operands(new Shape(192, 200, 256), false, false, 1);
             Operands decode = new Operands(new Shape(1, 2048, 512), false, false, 2)) {
            long until = System.nanoTime() + (long) (options.sampleSeconds() * 8e9);
            int calls = (int) Math.min(200, options.sampleSeconds() * 2000);     // tiny runs (tests) skip most
            for (int t : options.threads()) {
                Parallel.withThreads(t, () -> {
                    for (int i = 0; i < calls || System.nanoTime() < until; i++) {
                        op.ours();
                        decode.ours();
                    }
                });
            }
        }
    }

    /** The same inputs on the Java heap (ours) and in native memory (OpenBLAS). */
    static final class Operands implements AutoCloseable {
        final Shape shape;
        final boolean transposedB, gemv;
        final float[] a, b, c;
        final FloatPointer na, nb, nc;

        Operands(Shape shape, boolean transposedB, boolean gemvBaseline, long seed) {
            Loader.load(openblas_nolapack.class);          // FloatPointer needs JavaCPP's natives loaded
            this.shape = shape;
            this.transposedB = transposedB;
            this.gemv = gemvBaseline && shape.m == 1;
            Random rnd = new Random(seed);
            a = new float[Math.multiplyExact(shape.m, shape.k)];
            b = new float[Math.multiplyExact(shape.k, shape.n)];
            c = new float[Math.multiplyExact(shape.m, shape.n)];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() * 2 - 1;
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() * 2 - 1;
            na = new FloatPointer(a);
            nb = new FloatPointer(b);
            nc = new FloatPointer(c.length);
        }

        void ours() {
            int m = shape.m, n = shape.n, k = shape.k;
            if (transposedB) {        // B stored [N, K]: element (p, j) at j·K + p
                Gemm.sgemm(m, n, k, new FloatStorage(a), 0, k, 1, new FloatStorage(b), 0, 1, k, c, 0, n, false);
            } else {
                Gemm.sgemm(m, n, k, new FloatStorage(a), 0, k, 1, new FloatStorage(b), 0, n, 1, c, 0, n, false);
            }
        }

        void openblas() {
            int m = shape.m, n = shape.n, k = shape.k;
            if (gemv) {               // y[N] = Bᵀ x for B [K, N]; y = W x for W = B stored [N, K]
                if (transposedB) {
                    openblas_nolapack.cblas_sgemv(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                            n, k, 1f, nb, k, na, 1, 0f, nc, 1);
                } else {
                    openblas_nolapack.cblas_sgemv(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans,
                            k, n, 1f, nb, n, na, 1, 0f, nc, 1);
                }
                return;
            }
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    transposedB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                    m, n, k, 1f, na, k, nb, transposedB ? k : n, 0f, nc, n);
        }

        /** OpenBLAS's C, copied back to the heap. */
        float[] openblasResult() {
            float[] out = new float[c.length];
            nc.get(out);
            return out;
        }

        @Override
        public void close() {
            na.close();
            nb.close();
            nc.close();
        }
    }

    private static Result measure(Operands op, int threads, Options options) {
        openblas_nolapack.blas_set_num_threads(threads);
        double[] ours = new double[options.samples()], blas = new double[options.samples()];
        Parallel.withThreads(threads, () -> {
            int oursIters = calibrate(op::ours, options.sampleSeconds());
            int blasIters = calibrate(op::openblas, options.sampleSeconds());
            for (int s = 0; s < options.samples(); s++) {
                if (threads > 1) letWorkersGoIdle();
                ours[s] = op.shape.flops() * oursIters / seconds(op::ours, oursIters) / 1e9;
                if (threads > 1) letWorkersGoIdle();
                blas[s] = op.shape.flops() * blasIters / seconds(op::openblas, blasIters) / 1e9;
            }
        });
        return new Result(op.shape, threads, median(ours), median(blas));
    }

    /**
     * OpenBLAS's worker threads busy-wait for a while after each call (OPENBLAS_THREAD_TIMEOUT,
     * about 0.1 s by default), ours spin briefly too; measured right after, one side's threads
     * would share the cores with the other's. Each side's sample therefore starts from idle.
     */
    private static void letWorkersGoIdle() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Warms {@code body} up (≥ 3 calls and ≥ one sample's time), returns calls per sample. */
    private static int calibrate(Runnable body, double sampleSeconds) {
        long start = System.nanoTime();
        int calls = 0;
        double one = Double.MAX_VALUE;
        while (calls < 3 || (System.nanoTime() - start) < sampleSeconds * 1e9) {
            long t0 = System.nanoTime();
            body.run();
            one = Math.min(one, (System.nanoTime() - t0) / 1e9);
            calls++;
        }
        return (int) Math.max(1, Math.ceil(sampleSeconds / one));
    }

    private static double seconds(Runnable body, int iters) {
        long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) body.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** {@code java dev.genai4j.bench.GemmBench [--quick]} (the CLI's {@code genai4j bench gemm} is the usual way in). */
    public static void main(String[] args) {
        run(Arrays.asList(args).contains("--quick") ? Options.quick() : Options.full(), System.out::println);
    }
}
