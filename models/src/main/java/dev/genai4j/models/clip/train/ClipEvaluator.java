package dev.genai4j.models.clip.train;

import dev.genai4j.data.images.Emoji;
import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.data.images.Twemoji;
import dev.genai4j.models.clip.ClipModel;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CLIP numbers this project reports, on data never trained on:
 * <ul>
 *   <li>Fashion-MNIST zero-shot top-1 on the 10,000 images of {@link FashionMnist#standardSplit()}:
 *       per class, {@link FashionCaptions#TRAIN_TEMPLATES} filled with the canonical label, embedded,
 *       averaged, renormalized; an image takes the class of highest cosine. Also with
 *       {@link FashionCaptions#EVAL_TEMPLATES}, phrasings never seen in training.</li>
 *   <li>A linear probe ({@link LinearProbe}) on the same image features, fitted on training-split
 *       features (a seeded subset of {@code probeTrain} images).</li>
 *   <li>With held-out classes: zero-shot accuracy on their test images among the held-out classes
 *       only (chance 1/k) and among all ten (chance 1/10).</li>
 *   <li>Twemoji text→image recall@1/@5 over the held-out 20 % of emoji: each emoji's name (lower
 *       case) retrieves among all held-out emoji images.</li>
 * </ul>
 *
 * <pre>{@code
 * Map<String, Object> r = ClipEvaluator.evaluate(towers, FashionMnist.load(), Twemoji.load(), new int[0], 10_000);
 * }</pre>
 */
public final class ClipEvaluator {
    static final int BATCH = 250;
    /** Seed of the probe's training subset. */
    public static final long PROBE_SEED = 7;

    private ClipEvaluator() {}

    /** Every number as a JSON-ready map; {@code fm} or {@code tw} null skips that part. */
    public static Map<String, Object> evaluate(ClipTowers t, FashionMnist fm, Twemoji tw, int[] heldOut, int probeTrain) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("logit_scale", t.logitScale());
        if (fm != null) out.put("fashion_mnist", fashion(t, fm, heldOut, probeTrain));
        if (tw != null) out.put("twemoji", twemoji(t, tw));
        return out;
    }

    static Map<String, Object> fashion(ClipTowers t, FashionMnist fm, int[] heldOut, int probeTrain) {
        FashionMnist.Split split = fm.standardSplit();
        int[] test = split.test(), testY = fm.labels(test);
        float[][] testX = ClipTowers.features(t, ClipTrainData.fashionPixels(fm, test), BATCH);
        List<String> labels = FashionCaptions.canonicalLabels();
        // the ensemble: every training template over the canonical label (the test images, not the
        // prompts, are what is held out); a second ensemble of templates never seen in training
        float[][] classes = classEmbeddings(t, labels, FashionCaptions.TRAIN_TEMPLATES);
        float[][] unseen = classEmbeddings(t, labels, FashionCaptions.EVAL_TEMPLATES);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("test_images", test.length);
        r.put("split_seed", split.seed());
        r.put("templates", FashionCaptions.TRAIN_TEMPLATES);
        int[] pred = zeroShot(testX, classes, null);
        r.put("zero_shot_top1", accuracy(pred, testY, null));
        r.put("unseen_templates", FashionCaptions.EVAL_TEMPLATES);
        r.put("zero_shot_top1_unseen_templates", accuracy(zeroShot(testX, unseen, null), testY, null));
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) perClass.put(labels.get(c), accuracy(pred, testY, c));
        r.put("zero_shot_per_class", perClass);
        if (probeTrain > 0) {
            int[] train = split.train();
            int[] order = permutation(train.length, PROBE_SEED);
            int n = Math.min(probeTrain, train.length);
            int[] sub = new int[n];
            for (int i = 0; i < n; i++) sub[i] = train[order[i]];
            float[][] trainX = ClipTowers.features(t, ClipTrainData.fashionPixels(fm, sub), BATCH);
            LinearProbe probe = LinearProbe.fit(trainX, fm.labels(sub), labels.size(), 1e-4, 300);
            r.put("linear_probe_top1", probe.accuracy(testX, testY));
            r.put("linear_probe_train_images", n);
        }
        if (heldOut.length > 0) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < test.length; i++) for (int h : heldOut) if (testY[i] == h) rows.add(i);
            float[][] x = new float[rows.size()][];
            int[] y = new int[rows.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = testX[rows.get(k)];
                y[k] = testY[rows.get(k)];
            }
            Map<String, Object> h = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (int c : heldOut) names.add(FashionMnist.CLASS_NAMES.get(c));
            h.put("classes", names);
            h.put("images", x.length);
            h.put("accuracy_among_held_out", accuracy(zeroShot(x, classes, heldOut), y, null));
            h.put("chance_among_held_out", 1.0 / heldOut.length);
            h.put("accuracy_among_all_10", accuracy(zeroShot(x, classes, null), y, null));
            h.put("chance_among_all_10", 0.1);
            r.put("held_out_classes", h);
        }
        return r;
    }

    static Map<String, Object> twemoji(ClipTowers t, Twemoji tw) {
        List<Emoji> test = tw.standardSplit().test();
        float[][] img = unit(ClipTowers.features(t, tw.images(test, ClipTrainData.SIDE, -1f, 1f), BATCH));
        List<String> queries = test.stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        float[][] txt = rows(t.textEmbeddings(queries));
        int r1 = 0, r5 = 0;
        for (int q = 0; q < txt.length; q++) {
            float own = dot(txt[q], img[q]);
            int better = 0;
            for (int i = 0; i < img.length; i++) if (i != q && dot(txt[q], img[i]) > own) better++;
            if (better < 1) r1++;
            if (better < 5) r5++;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("held_out_emoji", test.size());
        r.put("query", "the emoji's name, lower case");
        r.put("text_to_image_recall_at_1", (double) r1 / test.size());
        r.put("text_to_image_recall_at_5", (double) r5 / test.size());
        r.put("chance_at_1", 1.0 / test.size());
        r.put("chance_at_5", 5.0 / test.size());
        return r;
    }

    /** Per label: templates filled, embedded, averaged, renormalized (unit rows). */
    static float[][] classEmbeddings(ClipTowers t, List<String> labels, List<String> templates) {
        List<String> prompts = new ArrayList<>();
        for (String l : labels) for (String tp : templates) prompts.add(tp.replace("{}", l));
        Tensor all = t.textEmbeddings(prompts);                                         // [C·K, P]
        int c = labels.size(), k = templates.size(), p = all.size(1);
        return rows(ClipModel.l2Normalize(all.reshape(c, k, p).mean(1, false)).contiguous());
    }

    /** Argmax of cosine over the classes (only those in {@code allowed} when given). */
    static int[] zeroShot(float[][] x, float[][] classes, int[] allowed) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            float[] u = unit(x[i]);
            float best = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes.length; c++) {
                if (allowed != null && !contains(allowed, c)) continue;
                float s = dot(u, classes[c]);
                if (s > best) {
                    best = s;
                    out[i] = c;
                }
            }
        }
        return out;
    }

    /** Fisher–Yates with {@link dev.genai4j.tensor.Rng}: the probe's training subset is the first n of it. */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        var rng = new dev.genai4j.tensor.Rng(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    static double accuracy(int[] pred, int[] y, Integer onlyClass) {
        int right = 0, n = 0;
        for (int i = 0; i < y.length; i++) {
            if (onlyClass != null && y[i] != onlyClass) continue;
            n++;
            if (pred[i] == y[i]) right++;
        }
        return n == 0 ? Double.NaN : (double) right / n;
    }

    static float[][] rows(Tensor t) {
        int n = t.size(0), p = t.size(1);
        float[] d = t.toFloatArray();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(d, i * p, (i + 1) * p);
        return out;
    }

    static float[][] unit(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) out[i] = unit(x[i]);
        return out;
    }

    static float[] unit(float[] v) {
        double s = 0;
        for (float f : v) s += f * f;
        float inv = (float) (1 / Math.sqrt(s));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * inv;
        return out;
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
