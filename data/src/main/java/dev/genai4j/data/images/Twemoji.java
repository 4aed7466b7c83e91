package dev.genai4j.data.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.data.DataException;
import dev.genai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The Twemoji set as the npm package {@code emoji-datasource-twitter@16.0.0} ships it: {@code
 * emoji.json} (names, short names, categories) and {@code img/twitter/64/*.png}. Only the base
 * emoji are read (skin-tone variations are skipped): 1,911 images. The art is Twitter's Twemoji,
 * CC-BY 4.0 — attribute it wherever images or models trained on it are shown.
 *
 * <pre>{@code
 * Twemoji tw = Twemoji.load();
 * Twemoji.Split split = tw.standardSplit();                  // 80 % train / 20 % held-out emoji
 * Tensor x = tw.images(split.test(), 32, -1f, 1f);           // [B, 3, 32, 32] over white
 * }</pre>
 */
public final class Twemoji {
    public static final String PACKAGE = "emoji-datasource-twitter-16.0.0";
    public static final String ATTRIBUTION = "Twemoji graphics by Twitter, Inc. and other contributors, CC-BY 4.0";
    public static final int SOURCE_SIDE = 64;
    /** The seed of {@link #standardSplit()}. */
    public static final long STANDARD_SPLIT_SEED = 20_240_202L;

    private final List<Emoji> emoji;

    private Twemoji(List<Emoji> emoji) { this.emoji = List.copyOf(emoji); }

    /** Train and held-out emoji. */
    public record Split(List<Emoji> train, List<Emoji> test, long seed) {}

    /** Reads the package from {@link ImageData#root()}. */
    public static Twemoji load() { return load(ImageData.packageDir(PACKAGE)); }

    /** Reads {@code emoji.json} and checks each listed twitter image exists under {@code packageDir}. */
    public static Twemoji load(Path packageDir) {
        Path index = ImageData.require("Twemoji index (npm " + PACKAGE + ")", packageDir.resolve("emoji.json"));
        Path images = ImageData.require("Twemoji images", packageDir.resolve("img").resolve("twitter").resolve("64"));
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new DataException("Twemoji: cannot parse " + index + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) throw new DataException("Twemoji: " + index + " is not a JSON array of emoji");
        List<Emoji> out = new ArrayList<>();
        for (JsonNode e : root) {
            if (!e.path("has_img_twitter").asBoolean(false)) continue;
            String file = e.path("image").asText("");
            Path png = images.resolve(file);
            if (file.isEmpty() || !Files.isRegularFile(png)) continue;
            List<String> shortNames = new ArrayList<>();
            e.path("short_names").forEach(s -> shortNames.add(s.asText()));
            String shortName = e.path("short_name").asText("");
            String name = e.hasNonNull("name") ? e.get("name").asText() : shortName.replace('_', ' ');
            out.add(new Emoji(e.path("unified").asText(), name, shortNames, e.path("category").asText(""),
                    e.path("subcategory").asText(""), png));
        }
        if (out.isEmpty()) throw new DataException("Twemoji: no images found under " + images);
        return new Twemoji(out);
    }

    /** All base emoji in the index's order. */
    public List<Emoji> all() { return emoji; }

    /** 20 % of the emoji, chosen by a {@link SeededShuffle} with {@link #STANDARD_SPLIT_SEED}, are held out. */
    public Split standardSplit() { return split(STANDARD_SPLIT_SEED, 0.2); }

    /** The first {@code round(testFraction · n)} of a seeded shuffle are test emoji; both lists keep index order. */
    public Split split(long seed, double testFraction) {
        if (!(testFraction >= 0 && testFraction <= 1)) throw new IllegalArgumentException("testFraction must be in [0, 1], got " + testFraction);
        int[] order = SeededShuffle.permutation(emoji.size(), seed);
        boolean[] isTest = new boolean[emoji.size()];
        int nTest = (int) Math.round(testFraction * emoji.size());
        for (int k = 0; k < nTest; k++) isTest[order[k]] = true;
        List<Emoji> train = new ArrayList<>();
        List<Emoji> test = new ArrayList<>();
        for (int i = 0; i < emoji.size(); i++) (isTest[i] ? test : train).add(emoji.get(i));
        return new Split(train, test, seed);
    }

    /**
     * The images as {@code [B, 3, side, side]}: alpha composited over white, box-averaged from 64
     * × 64 down to {@code side} (which must divide 64), 0..255 mapped to {@code lo..hi}.
     */
    public Tensor images(List<Emoji> which, int side, float lo, float hi) {
        if (side <= 0 || SOURCE_SIDE % side != 0) {
            throw new IllegalArgumentException("Twemoji side must divide " + SOURCE_SIDE + " (1, 2, 4, … 64), got " + side);
        }
        int f = SOURCE_SIDE / side;
        float[] out = new float[which.size() * 3 * side * side];
        float scale = (hi - lo) / 255f / (f * f);
        for (int b = 0; b < which.size(); b++) {
            int[] argb = readArgb(which.get(b).image());
            int base = b * 3 * side * side;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    float r = 0, g = 0, bl = 0;
                    for (int dy = 0; dy < f; dy++) {
                        for (int dx = 0; dx < f; dx++) {
                            int p = argb[(y * f + dy) * SOURCE_SIDE + x * f + dx];
                            float a = (p >>> 24) / 255f;
                            // over white: c·a + 255·(1 − a)
                            r += ((p >> 16) & 0xFF) * a + 255f * (1 - a);
                            g += ((p >> 8) & 0xFF) * a + 255f * (1 - a);
                            bl += (p & 0xFF) * a + 255f * (1 - a);
                        }
                    }
                    int o = y * side + x;
                    out[base + o] = lo + r * scale;
                    out[base + side * side + o] = lo + g * scale;
                    out[base + 2 * side * side + o] = lo + bl * scale;
                }
            }
        }
        return Tensor.of(out, which.size(), 3, side, side);
    }

    private static int[] readArgb(Path png) {
        BufferedImage img;
        try {
            img = ImageIO.read(png.toFile());
        } catch (IOException e) {
            throw new DataException("Twemoji: cannot read " + png + ": " + e.getMessage(), e);
        }
        if (img == null) throw new DataException("Twemoji: " + png + " is not a readable PNG");
        if (img.getWidth() != SOURCE_SIDE || img.getHeight() != SOURCE_SIDE) {
            throw new DataException("Twemoji: " + png + " is " + img.getWidth() + "x" + img.getHeight() + ", expected 64x64");
        }
        return img.getRGB(0, 0, SOURCE_SIDE, SOURCE_SIDE, null, 0, SOURCE_SIDE);
    }
}
