package dev.genai4j.models.diffusion.reward;

import dev.genai4j.tensor.Tensor;

/**
 * The computable "style" behind the preference reward's labels. We have no human ratings, so
 * the stand-in for ImageReward / the aesthetic score is a property with a known ground truth:
 * <b>brightness</b>, the mean grey level of the image in [0, 1]. An image is "preferred" (label
 * 1) when its brightness is above the median of the images the MLP is trained on. Because the
 * rule is known, we can check both that the MLP learned it (held-out accuracy) and that an RL
 * run on the learned reward actually made images brighter — and by how much it drifted from
 * the prompted class while doing so.
 *
 * <pre>{@code
 * double[] s = PreferenceLabels.brightness(images);      // [B] in [0, 1]
 * float[] y = PreferenceLabels.aboveMedian(s);           // 1 = preferred
 * }</pre>
 */
public final class PreferenceLabels {
    private PreferenceLabels() {}

    /** Written into the preference model's config.json. */
    public static final String RULE = "preferred = mean grey level ((x + 1) / 2, averaged over all pixels and channels)"
            + " above the median of the training images";

    /** Mean of (x + 1) / 2 per image of [B, C, H, W] in [−1, 1]. */
    public static double[] brightness(Tensor images) {
        int b = images.size(0), per = images.numel() / Math.max(1, b);
        float[] d = images.data();
        double[] out = new double[b];
        for (int i = 0; i < b; i++) {
            double s = 0;
            for (int k = 0; k < per; k++) s += (d[i * per + k] + 1) * 0.5;
            out[i] = s / per;
        }
        return out;
    }

    /** The median of {@code values} (mean of the two middle ones for an even count). */
    public static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /** 1 where the value is above the median of all of them, else 0. */
    public static float[] aboveMedian(double[] values) {
        double m = median(values);
        float[] y = new float[values.length];
        for (int i = 0; i < y.length; i++) y[i] = values[i] > m ? 1f : 0f;
        return y;
    }
}
