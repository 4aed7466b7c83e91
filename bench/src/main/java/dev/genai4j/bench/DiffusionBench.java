package dev.genai4j.bench;

import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.UNetConfig;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.GradClip;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * The diffusion UNet's sampling and training throughput at 32 × 32, batch 16, measured exactly as
 * {@code scripts/bench/diffusion_unet_torch.py} measures the same UNet in PyTorch:
 * sampling images/s of a {@code steps}-step classifier-free-guided sampler (one no-grad forward
 * of the 2B conditional + unconditional batch per step) and training steps/s (MSE on ε, backward,
 * clipping, AdamW). Best of {@code iters} after {@code warmup} untimed runs of each, in wall time and
 * in this thread's CPU time (on a shared machine the CPU time is the fairer one-thread measure).
 * The JVM is still compiling the backward's kernels over the first ~15 training steps (C2 took
 * GemmSmallM's dot at step ~20 in one trace), which two warm-up steps left inside the timed ones.
 *
 * <pre>{@code
 * DiffusionBench.run("fashion", 1, 16, 20, 10, 12);
 * // diffusion side=ours config=fashion threads=1 params=1149361 batch=16 steps=20 sample_images_s=… train_steps_s=…
 * }</pre>
 */
public final class DiffusionBench {
    private DiffusionBench() {}

    public static UNetConfig config(String name) {
        return switch (name) {
            case "fashion" -> UNetConfig.fashionMnist();
            case "wide" -> UNetConfig.fashionMnistWide();
            default -> throw new IllegalArgumentException("diffusion bench: unknown config '" + name + "'; expected fashion or wide");
        };
    }

    public static String run(String configName, int threads, int batch, int steps, int warmup, int iters) {
        if (warmup < 0 || iters < 1) {
            throw new IllegalArgumentException("diffusion bench: warm-up runs must be ≥ 0 and timed runs ≥ 1, got " + warmup + " and " + iters);
        }
        String[] out = new String[1];
        Parallel.withThreads(threads, () -> out[0] = measure(configName, threads, batch, steps, warmup, iters));
        return out[0];
    }

    private static String measure(String configName, int threads, int b, int steps, int warmup, int iters) {
        UNetConfig c = config(configName);
        UNet unet = new UNet(c, new Rng(0));
        Rng r = new Rng(1);
        Tensor x = Tensor.randn(r, b, c.inChannels(), 32, 32), text = Tensor.randn(r, b, 16, c.crossAttentionDim());
        float[] t = new float[b];
        for (int i = 0; i < b; i++) t[i] = r.nextInt(1000);
        Tensor x2 = Tensor.cat(List.of(x, x), 0), text2 = Tensor.cat(List.of(Tensor.zeros(text.shape()), text), 0);
        float[] t2 = new float[2 * b];
        System.arraycopy(t, 0, t2, 0, b);
        System.arraycopy(t, 0, t2, b, b);
        double[] fwd;
        try (var g = NoGrad.enter()) {
            for (int i = 0; i < warmup; i++) unet.forward(x2, t2, text2);
            fwd = timed(iters, () -> unet.forward(x2, t2, text2));
        }
        unet.trainable();
        AdamW opt = new AdamW(unet.parameters(), 1e-4);
        Runnable trainStep = () -> {
            Tensor eps = Tensor.randn(r, x.shape());
            Tensor loss = unet.forward(x.add(eps), t, text).sub(eps).square().mean();
            loss.backward();
            GradClip.clipGlobalNorm(unet.parameters(), 1.0);
            opt.step();
            opt.zeroGrad();
        };
        for (int i = 0; i < warmup; i++) trainStep.run();
        double[] tr = timed(iters, trainStep);
        return String.format(Locale.ROOT, "diffusion side=ours config=%s threads=%d params=%d batch=%d steps=%d warmup=%d iters=%d sample_images_s=%.3f "
                        + "sample_images_cpu_s=%.3f train_steps_s=%.3f train_steps_cpu_s=%.3f forward_2B_ms=%.1f train_step_ms=%.1f",
                configName, threads, unet.parameterCount(), b, steps, warmup, iters, b / (fwd[0] * steps), b / (fwd[1] * steps), 1 / tr[0], 1 / tr[1],
                fwd[0] * 1e3, tr[0] * 1e3);
    }

    /** Best wall seconds and best CPU seconds (this thread plus the pool's, when threads = 1 only this thread works) over n runs. */
    private static double[] timed(int n, Runnable body) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double wall = Double.MAX_VALUE, cpu = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long w0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
            body.run();
            wall = Math.min(wall, (System.nanoTime() - w0) / 1e9);
            cpu = Math.min(cpu, (mx.getCurrentThreadCpuTime() - c0) / 1e9);
        }
        return new double[]{wall, cpu};
    }
}
