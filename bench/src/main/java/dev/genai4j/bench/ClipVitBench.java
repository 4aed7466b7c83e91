package dev.genai4j.bench;

import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * ClipVitBench.run(new int[]{1, 2}, new int[]{1, 32}, 3, ClipVitBench.WeightSource.CHECKPOINT);
 * // clipvit impl=genai4j weights=checkpoint batch=1 threads=1 img_s=… ms_per_batch=…
 * }</pre>
 */
public final class ClipVitBench {
    public static final ClipVisionConfig VIT_B32 = new ClipVisionConfig(768, 3072, 12, 12, 3, 224, 32, Activation.QUICK_GELU, 1e-5f);
    public static final int PROJECTION = 512;

    private ClipVitBench() {}

    /** Where the tower's weights live: two different GEMM paths. */
    public enum WeightSource {
        /** Heap tensors, as right after init or during training: B is packed on every product (as OpenBLAS does). */
        HEAP,
        /**
         * The same init saved as {@code model.safetensors} and memory-mapped, as a user runs a
         * checkpoint: read-only weights, packed once on first use and kept ({@code GemmPackedB}).
         */
        CHECKPOINT
    }

    /**
     * Prints one line per (batch, threads): the best of {@code reps} timed runs after the JIT has
     * settled ({@link Warmup}).
     */
    public static void run(int[] threads, int[] batches, int reps, WeightSource source) throws IOException {
        Map<String, Tensor> w = new LinkedHashMap<>();
        Rng rng = new Rng(0);
        ClipInit.vision(w, "vision_model.", VIT_B32, rng);
        w.put("visual_projection.weight", Tensor.randn(rng, PROJECTION, VIT_B32.hiddenSize()).mul(0.036f).contiguous());
        if (source == WeightSource.HEAP) {
            run(Weights.ofMap(w), threads, batches, reps, "heap");
            return;
        }
        Path dir = Files.createTempDirectory("genai4j-clipvit");
        Path file = dir.resolve("model.safetensors");
        try {
            SafetensorsWriter.save(file, w);
            w.clear();
            try (SafetensorsWeights mapped = Weights.open(file)) {
                run(mapped, threads, batches, reps, "checkpoint");
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static void run(Weights weights, int[] threads, int[] batches, int reps, String label) {
        ClipVisionTransformer tower = ClipVisionTransformer.load(weights.sub("vision_model"), VIT_B32);
        Linear proj = Linear.load(weights.sub("visual_projection"), VIT_B32.hiddenSize(), PROJECTION, false);
        tower.eval();
        for (int b : batches) {
            Tensor pixels = Tensor.randn(new Rng(b), b, 3, 224, 224).contiguous();
            for (int t : threads) {
                double[] best = {Double.MAX_VALUE};
                Parallel.withThreads(t, () -> {
                    try (var g = NoGrad.enter()) {
                        Runnable pass = () -> proj.forward(tower.forward(pixels).pooled()).toFloatArray();
                        Warmup.untilSteady(pass, false);
                        for (int r = 0; r < reps; r++) {
                            long t0 = System.nanoTime();
                            pass.run();
                            best[0] = Math.min(best[0], (System.nanoTime() - t0) / 1e9);
                        }
                    }
                });
                System.out.printf(Locale.ROOT, "clipvit impl=genai4j weights=%s batch=%d threads=%d img_s=%.2f ms_per_batch=%.1f%n",
                        label, b, t, b / best[0], best[0] * 1e3);
                System.out.flush();
            }
        }
    }
}
