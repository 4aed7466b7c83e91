package dev.genai4j.models.diffusion;

import java.nio.file.Path;

/**
 * Settings of a base diffusion training run ({@code genai4j train diffusion}).
 *
 * @param outputDir          run folder: {@code checkpoint/} (a loadable model folder plus optimizer state) and {@code samples/}
 * @param data               {@code fashion-mnist}
 * @param batchSize          images per step
 * @param steps              length of the warmup + cosine learning-rate schedule
 * @param minutes            wall-clock budget; the run stops with a checkpoint when it is spent (0 = none)
 * @param lr                 peak AdamW learning rate
 * @param warmup             warmup steps
 * @param weightDecay        AdamW weight decay
 * @param emaDecay           maximum EMA decay (diffusers schedule)
 * @param gradClip           global gradient-norm clip
 * @param condDropout        share of images trained with the null condition (classifier-free guidance)
 * @param checkpointMinutes  checkpoint at least this often
 * @param sampleEvery        write a sample grid (EMA weights) every N steps (0 = never)
 * @param logEvery           progress line every N steps
 * @param seed               initialization, batch order, noise
 * @param textLength         token states per prompt
 * @param schedule           beta schedule name ({@code linear}, {@code squaredcos_cap_v2})
 * @param trainTimesteps     T
 * @param stopAt             stop with a checkpoint at this step, schedule unchanged (0 = never): reproduces a shipped checkpoint
 */
public record DiffusionTrainConfig(Path outputDir, String data, int batchSize, int steps, double minutes, double lr, int warmup,
                                   double weightDecay, double emaDecay, double gradClip, double condDropout, double checkpointMinutes,
                                   int sampleEvery, int logEvery, long seed, int textLength, String schedule, int trainTimesteps, int stopAt) {
    public DiffusionTrainConfig {
        if (batchSize < 1 || steps < 1 || warmup < 0 || warmup > steps) {
            throw new DiffusionException("train diffusion: need batch ≥ 1, steps ≥ 1 and 0 ≤ warmup ≤ steps, got batch " + batchSize
                    + ", steps " + steps + ", warmup " + warmup);
        }
        if (!(condDropout >= 0 && condDropout < 1)) throw new DiffusionException("train diffusion: cond dropout must lie in [0, 1), got " + condDropout);
        if (!(lr > 0)) throw new DiffusionException("train diffusion: lr must be > 0, got " + lr);
        if (stopAt < 0) throw new DiffusionException("train diffusion: stop-at must be ≥ 0, got " + stopAt);
        if (logEvery < 1) throw new DiffusionException("train diffusion: log-every must be ≥ 1, got " + logEvery);
    }

    /** Defaults sized for the shipped Fashion-MNIST model at one thread. */
    public static DiffusionTrainConfig defaults(Path out) {
        return new DiffusionTrainConfig(out, "fashion-mnist", 16, 2600, 0, 5e-4, 100, 0.0, 0.999, 1.0, 0.1, 10, 250, 25, 0, 16,
                "linear", 1000, 0);
    }
}
