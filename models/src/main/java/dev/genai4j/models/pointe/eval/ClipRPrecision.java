package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.DataException;
import dev.genai4j.data.render.Camera;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.train.ClipTowers;
import dev.genai4j.models.clip.train.CloudViews;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * CLIP R-precision of point clouds (Point-E, arXiv 2212.08751, Table 1): each cloud is rendered
 * the way the shape CLIP was trained ({@link CloudViews}: 256 points splatted at 32 × 32, here from
 * the three fixed {@link CloudViews#evalCameras()}, their unit embeddings averaged), and every
 * caption of a candidate pool is ranked by cosine similarity to it; R@1 is the share of clouds
 * whose own caption ranks first. Chance is 1 / pool size.
 *
 * <p>Ties count against the cloud (rank = 1 + candidates at least as similar as the true
 * caption), so a CLIP that gives every caption the same score scores 0, not 1.
 *
 * <pre>{@code
 * try (ClipTowers clip = ClipTowers.open(dir, null)) {
 *     ClipRPrecision judge = ClipRPrecision.of(clip, ClipRPrecision.pool(captions));
 *     int rank = judge.rank(cloud, "a red cube");      // 1 = the true caption ranks first
 * }
 * }</pre>
 */
public final class ClipRPrecision {
    private final ClipTowers clip;
    private final List<String> pool;
    private final float[][] captions;      // [pool, P] unit rows
    private final List<Camera> cameras;

    private ClipRPrecision(ClipTowers clip, List<String> pool, float[][] captions, List<Camera> cameras) {
        this.clip = clip;
        this.pool = pool;
        this.captions = captions;
        this.cameras = cameras;
    }

    /** A judge over {@code pool} (embedded once) with the three evaluation cameras. */
    public static ClipRPrecision of(ClipTowers clip, List<String> pool) {
        if (pool.isEmpty()) throw new DataException("CLIP R-precision: the candidate caption pool is empty");
        return new ClipRPrecision(clip, List.copyOf(pool), rows(clip.textEmbeddings(pool)), CloudViews.evalCameras());
    }

    /** The distinct captions of {@code captions}, in first-seen order: the candidate pool. */
    public static List<String> pool(List<String> captions) { return List.copyOf(new LinkedHashSet<>(captions)); }

    public List<String> pool() { return pool; }

    public int poolSize() { return pool.size(); }

    /** 1 / pool size: R@1 of a judge that picks a caption at random. */
    public double chance() { return 1.0 / pool.size(); }

    public int cameras() { return cameras.size(); }

    /** The rank (1 = first) of {@code trueCaption} among the pool for {@code cloud}. */
    public int rank(PointCloud cloud, String trueCaption) {
        int truth = pool.indexOf(trueCaption);
        if (truth < 0) throw new DataException("CLIP R-precision: the caption \"" + trueCaption + "\" is not in the pool of " + pool.size() + " candidates");
        return rank(imageEmbedding(cloud), captions, truth);
    }

    /** The unit embedding of {@code cloud}: the mean of its per-camera unit image embeddings, re-normalized. */
    public float[] imageEmbedding(PointCloud cloud) {
        Tensor px = CloudViews.evalPixels(List.of(cloud), cameras);               // [V, 3, 32, 32]
        float[][] views = rows(clip.imageFeatures(px));                             // [V, P]
        float[] mean = new float[views[0].length];
        for (float[] v : views) {
            unit(v);
            for (int k = 0; k < mean.length; k++) mean[k] += v[k] / views.length;
        }
        return unit(mean);
    }

    /**
     * 1 + the number of candidates (other than {@code truth}) whose cosine similarity to
     * {@code image} is at least that of candidate {@code truth}. Rows need not be unit length.
     */
    public static int rank(float[] image, float[][] candidates, int truth) {
        if (truth < 0 || truth >= candidates.length) {
            throw new IndexOutOfBoundsException("CLIP R-precision: true caption " + truth + " outside the pool of " + candidates.length);
        }
        for (float[] c : candidates) {
            if (c.length != image.length) throw new DataException("CLIP R-precision: embeddings of width " + image.length + " and " + c.length);
        }
        double t = dev.genai4j.models.bert.Embedder.cosine(image, candidates[truth]);
        int r = 1;
        for (int j = 0; j < candidates.length; j++) if (j != truth && dev.genai4j.models.bert.Embedder.cosine(image, candidates[j]) >= t) r++;
        return r;
    }

    /** Share of ranks equal to 1 (R@1); NaN for none. */
    public static double r1(int[] ranks) {
        if (ranks.length == 0) return Double.NaN;
        int hits = 0;
        for (int r : ranks) if (r == 1) hits++;
        return (double) hits / ranks.length;
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) n += (double) x * x;
        if (n > 0) {
            float inv = (float) (1 / Math.sqrt(n));
            for (int k = 0; k < v.length; k++) v[k] *= inv;
        }
        return v;
    }

    private static float[][] rows(Tensor t) {                // [N, P] → N rows
        int n = t.size(0), p = t.size(1);
        float[] d = t.contiguous().toFloatArray();
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(java.util.Arrays.copyOfRange(d, i * p, (i + 1) * p));
        return out.toArray(new float[0][]);
    }
}
