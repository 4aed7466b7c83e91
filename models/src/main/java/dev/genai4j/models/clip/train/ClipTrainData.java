package dev.genai4j.models.clip.train;

import dev.genai4j.data.images.Emoji;
import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.data.images.Twemoji;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mixed image–caption stream CLIP trains on: Fashion-MNIST training images (the standard
 * split's train part, held-out classes removed) with templated class captions, and Twemoji
 * training emoji (the standard split's 80 %) with captions from their names, short names and
 * categories. Every caption lives once in {@link #captions()}; batches refer to it by index so a
 * text side can tokenize or embed each caption once. {@link #shapes(ShapeClipPairs)} makes a stream
 * of point-cloud renders and shape captions instead (no Fashion-MNIST or Twemoji).
 *
 * <p>Images come out as [3, 32, 32] in [-1, 1] (mean = std = 0.5 normalization): Fashion-MNIST
 * grey 28 × 28 padded to 32 and copied to three channels (background −1), emoji box-averaged from
 * 64 × 64 over white (background +1).
 *
 * <pre>{@code
 * ClipTrainData d = ClipTrainData.build(FashionMnist.load(), Twemoji.load(), 0.8, new int[0]);
 * ClipTrainData.Batch b = d.sample(128, new Rng(step));
 * }</pre>
 */
public final class ClipTrainData {
    public static final int SIDE = 32;
    public static final int PAD = (SIDE - FashionMnist.SIDE) / 2;
    /** Group ids of emoji start here; Fashion-MNIST classes are groups 0..9. */
    public static final int EMOJI_GROUP_BASE = 10;
    static final Augment FASHION_AUGMENT = new Augment(2f, 0.1f, true);
    static final Augment EMOJI_AUGMENT = new Augment(2f, 0.1f, false);

    /** A batch: pixels [B, 3, 32, 32], a caption index and a group per pair. */
    public record Batch(Tensor pixels, int[] captions, int[] groups) {}

    private final FashionMnist fashion;          // null without Fashion-MNIST
    private final int[] fashionTrain;            // image indices, held-out classes removed
    private final int[][] fashionCaptions;       // per class: caption indices (empty for held-out classes)
    private final float[] emojiPixels;           // [E, 3, 32, 32]
    private final int[][] emojiCaptions;         // per training emoji: caption indices
    private final double fashionShare;
    private final int[] heldOut;
    private final List<String> captions = new ArrayList<>();
    private final Map<String, Integer> captionIds = new LinkedHashMap<>();
    private final ShapeClipPairs shapes;          // non-null: the stream is shape pairs only

    /** The shape stream: every pair from {@code shapes} (Fashion-MNIST and Twemoji off). */
    private ClipTrainData(ShapeClipPairs shapes) {
        this.shapes = shapes;
        this.fashion = null;
        this.fashionTrain = new int[0];
        this.fashionCaptions = new int[FashionMnist.CLASS_NAMES.size()][];
        this.emojiPixels = new float[0];
        this.emojiCaptions = new int[0][];
        this.fashionShare = 0;
        this.heldOut = new int[0];
        captions.addAll(shapes.captions());
    }

    private ClipTrainData(FashionMnist fashion, int[] fashionCandidates, Twemoji twemoji, List<Emoji> emojiCandidates,
                          double fashionShare, int[] heldOut) {
        if (fashion == null && twemoji == null) throw new IllegalArgumentException("ClipTrainData: no data source (Fashion-MNIST and Twemoji both off)");
        if (!(fashionShare >= 0 && fashionShare <= 1)) throw new IllegalArgumentException("fashion share must be in [0, 1], got " + fashionShare);
        this.shapes = null;
        this.fashion = fashion;
        this.heldOut = heldOut.clone();
        this.fashionShare = fashion == null ? 0 : twemoji == null ? 1 : fashionShare;
        this.fashionCaptions = new int[FashionMnist.CLASS_NAMES.size()][];
        if (fashion != null) {
            for (int c = 0; c < fashionCaptions.length; c++) {
                fashionCaptions[c] = isHeldOut(c) ? new int[0] : captionIds(FashionCaptions.captionsOf(c));
            }
            this.fashionTrain = java.util.Arrays.stream(fashionCandidates).filter(i -> !isHeldOut(fashion.label(i))).toArray();
        } else {
            this.fashionTrain = new int[0];
        }
        if (twemoji != null) {
            List<Emoji> kept = new ArrayList<>();
            for (Emoji e : emojiCandidates) {
                if (e.captions().stream().noneMatch(c -> FashionCaptions.mentions(c, heldOut))) kept.add(e);
            }
            this.emojiPixels = twemoji.images(kept, SIDE, -1f, 1f).toFloatArray();
            this.emojiCaptions = new int[kept.size()][];
            for (int i = 0; i < kept.size(); i++) emojiCaptions[i] = captionIds(emojiCaptions(kept.get(i)));
        } else {
            this.emojiPixels = new float[0];
            this.emojiCaptions = new int[0][];
        }
    }

    /**
     * @param fashionShare probability that a pair comes from Fashion-MNIST when both sources are on
     * @param heldOut      Fashion-MNIST classes removed from images and captions (and emoji whose captions name them)
     */
    public static ClipTrainData build(FashionMnist fashion, Twemoji twemoji, double fashionShare, int[] heldOut) {
        return new ClipTrainData(fashion, fashion == null ? null : fashion.standardSplit().train(),
                twemoji, twemoji == null ? null : twemoji.standardSplit().train(), fashionShare, heldOut);
    }

    /** As {@link #build(FashionMnist, Twemoji, double, int[])} on given training images and emoji (tests, other splits). */
    public static ClipTrainData build(FashionMnist fashion, int[] fashionTrain, Twemoji twemoji, List<Emoji> emojiTrain,
                                      double fashionShare, int[] heldOut) {
        return new ClipTrainData(fashion, fashionTrain, twemoji, emojiTrain, fashionShare, heldOut);
    }

    /** Pairs from point clouds only ({@link ShapeClipPairs}: splat renders of a shape set's training clouds and their captions). */
    public static ClipTrainData shapes(ShapeClipPairs pairs) {
        return new ClipTrainData(java.util.Objects.requireNonNull(pairs, "pairs"));
    }

    /** The training captions of one emoji: its {@link Emoji#captions()} and "an emoji of …". */
    public static List<String> emojiCaptions(Emoji e) {
        List<String> out = new ArrayList<>(e.captions());
        out.add("an emoji of " + e.name().toLowerCase(Locale.ROOT));
        return out;
    }

    private boolean isHeldOut(int c) {
        for (int h : heldOut) if (h == c) return true;
        return false;
    }

    private int[] captionIds(List<String> texts) {
        int[] out = new int[texts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = captionIds.computeIfAbsent(texts.get(i), t -> {
                captions.add(t);
                return captions.size() - 1;
            });
        }
        return out;
    }

    /** Every caption the stream can produce, indexed as batches refer to them. */
    public List<String> captions() { return captions; }

    /** Fashion-MNIST training images in the stream (held-out classes removed). */
    public int[] fashionTrainImages() { return fashionTrain.clone(); }

    public int emojiCount() { return emojiCaptions.length; }

    /** {@code n} random pairs, augmented; the same {@code rng} state gives the same batch. */
    public Batch sample(int n, Rng rng) {
        if (shapes != null) return shapes.sample(n, rng);
        int plane = SIDE * SIDE;
        float[] px = new float[n * 3 * plane];
        int[] cap = new int[n], grp = new int[n];
        float[] grey = new float[FashionMnist.PIXELS];
        for (int b = 0; b < n; b++) {
            int off = b * 3 * plane;
            boolean fromFashion = emojiCaptions.length == 0 || (fashionTrain.length > 0 && rng.uniform() < fashionShare);
            if (fromFashion) {
                int img = fashionTrain[rng.nextInt(fashionTrain.length)];
                int label = fashion.label(img);
                greyInto(fashion, img, grey);
                FASHION_AUGMENT.apply(grey, 0, 1, FashionMnist.SIDE, FashionMnist.SIDE, px, off, SIDE, -1f, rng);
                System.arraycopy(px, off, px, off + plane, plane);
                System.arraycopy(px, off, px, off + 2 * plane, plane);
                int[] options = fashionCaptions[label];
                cap[b] = options[rng.nextInt(options.length)];
                grp[b] = label;
            } else {
                int e = rng.nextInt(emojiCaptions.length);
                EMOJI_AUGMENT.apply(emojiPixels, e * 3 * plane, 3, SIDE, SIDE, px, off, SIDE, 1f, rng);
                int[] options = emojiCaptions[e];
                cap[b] = options[rng.nextInt(options.length)];
                grp[b] = EMOJI_GROUP_BASE + e;
            }
        }
        return new Batch(Tensor.of(px, n, 3, SIDE, SIDE), cap, grp);
    }

    /** Fashion-MNIST image {@code i} in [-1, 1], 28 × 28. */
    static void greyInto(FashionMnist fm, int i, float[] out) {
        for (int y = 0; y < FashionMnist.SIDE; y++) {
            for (int x = 0; x < FashionMnist.SIDE; x++) out[y * FashionMnist.SIDE + x] = fm.pixel(i, y, x) / 127.5f - 1f;
        }
    }

    /** Fashion-MNIST images as the models see them at test time: [B, 3, 32, 32], padded, no augmentation. */
    public static Tensor fashionPixels(FashionMnist fm, int[] indices) {
        Tensor grey = fm.images(indices, PAD, -1f, 1f);                     // [B, 1, 32, 32]
        return grey.expand(indices.length, 3, SIDE, SIDE).contiguous();
    }
}
