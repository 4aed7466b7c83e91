package dev.genai4j.models.diffusion.rl;

import java.util.Locale;

/**
 * What one RL epoch measured (one row of {@code rewards.csv}).
 *
 * @param epoch        1-based epoch number
 * @param rewardMean   mean training reward of the epoch's samples (after TextNorm when it is on)
 * @param rewardStd    its standard deviation
 * @param baseReward   mean of the un-normalized reward when TextNorm is on, else NaN
 * @param loss         mean policy loss of the epoch's minibatches
 * @param kl           mean per-step KL bound to the frozen base per image (DPOK), NaN where not computed
 * @param clipFraction share of importance ratios outside the clip range (DDPO-IS, DPOK), NaN otherwise
 * @param seconds      wall-clock seconds of the epoch
 */
public record EpochStats(int epoch, double rewardMean, double rewardStd, double baseReward, double loss, double kl, double clipFraction,
                         double seconds) {
    public static final String CSV_HEADER = "epoch,reward_mean,reward_std,base_reward_mean,loss,kl_per_step,clip_fraction,seconds";

    public String csvRow() {
        return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%.1f", epoch, rewardMean, rewardStd, baseReward, loss, kl, clipFraction, seconds);
    }

    public static EpochStats parse(String row) {
        String[] f = row.split(",");
        return new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]));
    }
}
