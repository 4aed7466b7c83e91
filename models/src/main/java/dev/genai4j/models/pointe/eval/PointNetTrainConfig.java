package dev.genai4j.models.pointe.eval;

import java.nio.file.Path;

/**
 * Settings of {@link PointNetTrainer}: every step draws {@code batch} fresh single-primitive
 * clouds of {@code points} points from the generator (seed {@code seed}); the held-out set is
 * {@code evalPerClass} clouds per primitive from a different seed, each sampled with
 * {@code evalCloudPoints} points (1,024: the size of Point-E's base output) and subsampled.
 * Each training cloud gets Gaussian noise of a standard deviation drawn uniformly from
 * [0, {@code maxNoise}] scene units, so the classifier also names the imperfect clouds a
 * diffusion model makes.
 */
public record PointNetTrainConfig(Path outputDir, int steps, int batch, int points, double lr, long seed, int evalPerClass,
                                  int evalCloudPoints, int logEvery, double maxNoise) {
    public PointNetTrainConfig {
        if (steps <= 0 || batch <= 0 || points <= 0 || !(lr > 0) || evalPerClass <= 0 || evalCloudPoints <= 0 || logEvery <= 0 || !(maxNoise >= 0)) {
            throw new IllegalArgumentException("PointNetTrainConfig: steps, batch, points, lr, eval-per-class, eval cloud points and log-every must be positive and max noise ≥ 0, got "
                    + this);
        }
    }

    /** 600 steps of 32 clouds × 256 points at lr 1e-3, noise up to 0.03; 100 held-out clouds per class. */
    public static PointNetTrainConfig defaults(Path outputDir) {
        return new PointNetTrainConfig(outputDir, 600, 32, 256, 1e-3, 0, 100, 1024, 50, 0.03);
    }
}
