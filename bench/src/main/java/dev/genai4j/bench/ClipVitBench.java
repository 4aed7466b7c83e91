package dev.genai4j.bench;

import dev.genai4j.io.Weights;
import dev.genai4j.models.clip.ClipVisionConfig;
import dev.genai4j.models.clip.ClipVisionTransformer;
import dev.genai4j.models.clip.train.ClipInit;
import dev.genai4j.nn.Activation;
import dev.genai4j.nn.Linear;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Images per second encoding with a ViT-B/32-shaped CLIP image tower (224², patch 32, width 768,
 * 12 layers, 12 heads, MLP 3072, QuickGELU, projection to 512) with random weights from
 * {@link ClipInit}: pixels → pooled class token → projection. {@code scripts/bench/clip_vit_bench.sh}
 * runs this and the same architecture in PyTorch ({@code clip_vit_torch.py}) and prints the ratios.
 *
 * <pre>{@code
 * ClipVitBench.run(new int[]{1, 2}, new int[]{1, 32}, 3);
 * // clipvit batch=1 threads=1 img_s=… ms_per_batch=…
 * }</pre>
 */
public final class ClipVitBench {
    public static final ClipVisionConfig VIT_B32 = new ClipVisionConfig(768, 3072, 12, 12, 3, 224, 32, Activation.QUICK_GELU, 1e-5f);
    public static final int PROJECTION = 512;

    private ClipVitBench() {}

    /** Prints one line per (batch, threads): the best of {@code reps} timed runs after one warmup. */
    public static void run(int[] threads, int[] batches, int reps) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        Rng rng = new Rng(0);
        ClipInit.vision(w, "vision_model.", VIT_B32, rng);
        w.put("visual_projection.weight", Tensor.randn(rng, PROJECTION, VIT_B32.hiddenSize()).mul(0.036f).contiguous());
        Weights weights = Weights.ofMap(w);
        ClipVisionTransformer tower = ClipVisionTransformer.load(weights.sub("vision_model"), VIT_B32);
        Linear proj = Linear.load(weights.sub("visual_projection"), VIT_B32.hiddenSize(), PROJECTION, false);
        tower.eval();
        for (int b : batches) {
            Tensor pixels = Tensor.randn(new Rng(b), b, 3, 224, 224).contiguous();
            for (int t : threads) {
                double[] best = {Double.MAX_VALUE};
                Parallel.withThreads(t, () -> {
                    try (var g = NoGrad.enter()) {
                        for (int r = 0; r <= reps; r++) {
                            long t0 = System.nanoTime();
                            Tensor out = proj.forward(tower.forward(pixels).pooled());
                            out.toFloatArray();
                            double s = (System.nanoTime() - t0) / 1e9;
                            if (r > 0) best[0] = Math.min(best[0], s);   // run 0 warms the JIT
                        }
                    }
                });
                System.out.printf(Locale.ROOT, "clipvit impl=genai4j batch=%d threads=%d img_s=%.2f ms_per_batch=%.1f%n",
                        b, t, b / best[0], best[0] * 1e3);
                System.out.flush();
            }
        }
    }
}
