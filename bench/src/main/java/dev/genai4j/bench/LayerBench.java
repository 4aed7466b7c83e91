package dev.genai4j.bench;

import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.MultiHeadAttention;
import dev.genai4j.nn.Parameter;
import dev.genai4j.nn.functional.AttentionOp;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.Unary;
import dev.genai4j.tensor.kernels.AttentionOptions;

import java.util.function.Supplier;

/**
 * Wall-clock time of whole layers, old path against new path in one JVM where the old path can
 * still be written with public ops (composed LayerNorm, composed attention, per-element GELU),
 * plus the full MultiHeadAttention layer on whichever path the JVM was started with
 * ({@code -Dgenai4j.attention.dense=true} forces the dense tensor-op path). Best of several
 * rounds. Not a test: figures depend on the machine and its load.
 * <pre>
 * mvn -q -o -pl core,bench compile
 * java --add-modules jdk.incubator.vector -cp core/target/classes:bench/target/classes dev.genai4j.bench.LayerBench
 * java --add-modules jdk.incubator.vector -Dgenai4j.attention.dense=true -cp … dev.genai4j.bench.LayerBench mha
 * </pre>
 */
public final class LayerBench {
    private LayerBench() {}

    private static final int ROUNDS = 7;
    private static double sink;

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static boolean wall;

    /**
     * Arguments: {@code --wall} times wall-clock over all threads (default: this thread's CPU time
     * with parallel loops limited to one thread, which stays stable on a loaded machine); any
     * other word runs only the lines whose name contains it.
     */
    public static void main(String[] args) {
        String only = "";
        for (String a : args) if (a.equals("--wall")) wall = true; else only = a;
        String filter = only;
        if (wall) run(filter); else Parallel.withThreads(1, () -> run(filter));
    }

    private static void run(String only) {
        System.out.println(wall ? "wall-clock, all threads, best of " + ROUNDS : "CPU time of one thread, best of " + ROUNDS);
        System.out.printf("%-52s %10s %10s %8s%n", "layer", "old ms", "new ms", "speedup");
        Rng rng = new Rng(1);
        int b = 8, t = 128, heads = 12, d = 32, hidden = heads * d;

        if ("layernorm".contains(only) || only.isEmpty()) {
            Tensor x = Tensor.randn(rng, b * t, hidden);
            LayerNorm ln = new LayerNorm(hidden, 1e-5f, true);
            Tensor w = ln.weight().value(), bias = ln.bias().value();
            try (var g = NoGrad.enter()) {
                line("layernorm [1024, 384] forward (NoGrad)",
                        () -> composedLayerNorm(x, w, bias), () -> ln.forward(x));
            }
            ln.parameters().forEach(Parameter::trainable);
            Tensor xg = x.detach().requiresGrad(true);
            line("layernorm [1024, 384] forward+backward",
                    () -> backward(composedLayerNorm(xg, ln.weight().value(), ln.bias().value())), () -> backward(ln.forward(xg)));
        }

        if ("attention".contains(only) || only.isEmpty()) {
            Tensor q = Tensor.randn(rng, b, heads, t, d), k = Tensor.randn(rng, b, heads, t, d), v = Tensor.randn(rng, b, heads, t, d);
            AttentionOptions opt = AttentionOptions.defaults();
            try (var g = NoGrad.enter()) {
                line("attention core B=8 H=12 T=128 D=32 forward (NoGrad)",
                        () -> composedAttention(q, k, v), () -> AttentionOp.attention(q, k, v, opt));
            }
            Tensor qg = q.detach().requiresGrad(true), kg = k.detach().requiresGrad(true), vg = v.detach().requiresGrad(true);
            line("attention core forward+backward",
                    () -> backward(composedAttention(qg, kg, vg)), () -> backward(AttentionOp.attention(qg, kg, vg, opt)));
        }

        if ("mha".contains(only) || only.isEmpty()) {
            MultiHeadAttention mha = new MultiHeadAttention(MultiHeadAttention.Config.of(hidden, heads), null, new Rng(2));
            Tensor x = Tensor.randn(rng, b, t, hidden);
            String path = Boolean.getBoolean("genai4j.attention.dense") ? "dense path" : "fused path";
            try (var g = NoGrad.enter()) {
                line("MHA layer B=8 T=128 H=12 D=32 forward (NoGrad), " + path, null, () -> mha.forward(x));
            }
            mha.parameters().forEach(Parameter::trainable);
            Tensor xg = x.detach().requiresGrad(true);
            line("MHA layer forward+backward, " + path, null, () -> backward(mha.forward(xg)));
        }

        if ("gelu".contains(only) || only.isEmpty()) {
            Tensor x = Tensor.randn(rng, b * t, 1536);
            try (var g = NoGrad.enter()) {
                line("gelu (erf) [1024, 1536] forward", () -> perElementGelu(x), x::gelu);
                line("gelu (tanh) [1024, 1536] forward", () -> perElement(x, Unary.GELU_TANH), x::geluTanh);
                line("silu [1024, 1536] forward", () -> perElement(x, Unary.SILU), x::silu);
                Tensor y = Tensor.randn(rng, b * t, 1536);
                line("add [1024, 1536]", () -> perElementAdd(x, y), () -> x.add(y));
            }
        }
    }

    /** The previous LayerNorm.forward: six tensor ops. */
    private static Tensor composedLayerNorm(Tensor x, Tensor w, Tensor b) {
        Tensor centered = x.sub(x.mean(-1, true));
        Tensor var = centered.square().mean(-1, true);
        return centered.mul(var.add(1e-5f).rsqrt()).mul(w).add(b);
    }

    /** The previous attention: scores [B, H, T, T], softmax, · v, then the [B, T, H·D] layout. */
    private static Tensor composedAttention(Tensor q, Tensor k, Tensor v) {
        Tensor p = q.matmul(k.mT()).mul((float) (1 / Math.sqrt(q.size(3)))).softmax(-1);
        return p.matmul(v).transpose(1, 2).reshape(q.size(0), q.size(2), -1);
    }

    /** The previous Elementwise.unary loop: one thread, the scalar double-precision formula. */
    private static Tensor perElementGelu(Tensor x) { return perElement(x, Unary.GELU_ERF); }

    private static Tensor perElement(Tensor x, Unary fn) {
        float[] d = x.data(), o = new float[d.length];
        for (int i = 0; i < d.length; i++) o[i] = fn.apply(d[i]);
        return Tensor.of(o, x.shape());
    }

    private static Tensor perElementAdd(Tensor x, Tensor y) {
        float[] a = x.data(), b = y.data(), o = new float[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i] + b[i];
        return Tensor.of(o, x.shape());
    }

    private static Tensor backward(Tensor y) {
        y.sum().backward();
        return y;
    }

    private static void line(String name, Supplier<Tensor> old, Supplier<Tensor> now) {
        double o = old == null ? Double.NaN : best(old), n = best(now);
        System.out.printf("%-52s %10s %10.3f %8s%n", name, old == null ? "-" : String.format("%.3f", o), n,
                old == null ? "-" : String.format("%.2fx", o / n));
    }

    private static double best(Supplier<Tensor> f) {
        for (int i = 0; i < 3; i++) sink += f.get().numel();       // warm-up (JIT)
        double best = Double.MAX_VALUE;
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = wall ? System.nanoTime() : CPU.getCurrentThreadCpuTime();
            sink += f.get().numel();
            best = Math.min(best, ((wall ? System.nanoTime() : CPU.getCurrentThreadCpuTime()) - t0) / 1e6);
        }
        return best;
    }
}
