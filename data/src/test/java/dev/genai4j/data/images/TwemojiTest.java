package dev.genai4j.data.images;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genai4j.data.DataException;
import dev.genai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwemojiTest {
    @TempDir Path dir;

    private void writePackage() throws Exception {
        Path img = Files.createDirectories(dir.resolve("img/twitter/64"));
        BufferedImage red = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                // left half opaque red, right half transparent (white after compositing)
                red.setRGB(x, y, x < 32 ? 0xFFFF0000 : 0x00000000);
            }
        }
        ImageIO.write(red, "png", img.resolve("a.png").toFile());
        ImageIO.write(red, "png", img.resolve("b.png").toFile());
        Files.writeString(dir.resolve("emoji.json"), """
                [{"name": "RED THING", "unified": "1F534", "image": "a.png", "short_name": "red_thing",
                  "short_names": ["red_thing", "rt"], "category": "Symbols", "subcategory": "geometric", "has_img_twitter": true},
                 {"name": null, "unified": "1F535", "image": "b.png", "short_name": "no_name",
                  "short_names": ["no_name"], "category": "Symbols", "subcategory": "geometric", "has_img_twitter": true},
                 {"name": "NOT DRAWN", "unified": "1F536", "image": "c.png", "short_name": "x",
                  "short_names": ["x"], "category": "Symbols", "subcategory": "geometric", "has_img_twitter": false},
                 {"name": "FILE MISSING", "unified": "1F537", "image": "d.png", "short_name": "y",
                  "short_names": ["y"], "category": "Symbols", "subcategory": "geometric", "has_img_twitter": true}]
                """);
    }

    @Test
    void readsEmojiCaptionsAndCompositesOverWhite() throws Exception {
        writePackage();
        Twemoji tw = Twemoji.load(dir);
        assertEquals(2, tw.all().size());
        Emoji first = tw.all().get(0);
        assertEquals(List.of("red thing", "rt", "red thing, symbols"), first.captions());
        assertEquals("no name", tw.all().get(1).name());

        Tensor x = tw.images(List.of(first), 32, 0f, 1f); // [1, 3, 32, 32]
        assertArrayEquals(new int[] {1, 3, 32, 32}, x.shape());
        float[] v = x.toFloatArray();
        assertEquals(1f, v[0], 1e-6f);              // red channel, red half
        assertEquals(0f, v[32 * 32], 1e-6f);        // green channel, red half
        assertEquals(1f, v[32 * 32 + 20], 1e-6f);   // green channel, transparent half → white
        assertThrows(IllegalArgumentException.class, () -> tw.images(List.of(first), 24, 0f, 1f));
    }

    @Test
    void splitHoldsOutAFixedFraction() throws Exception {
        writePackage();
        Twemoji tw = Twemoji.load(dir);
        Twemoji.Split s = tw.split(1, 0.5);
        assertEquals(1, s.test().size());
        assertEquals(1, s.train().size());
        assertNotEquals(s.test().get(0), s.train().get(0));
    }

    @Test
    void missingAndMalformedIndexAreNamed() throws Exception {
        assertThrows(MissingImageDataException.class, () -> Twemoji.load(dir));
        writePackage();
        Files.writeString(dir.resolve("emoji.json"), "{\"not\": \"an array\"}");
        DataException e = assertThrows(DataException.class, () -> Twemoji.load(dir));
        assertTrue(e.getMessage().contains("emoji.json"), e.getMessage());
    }

    @Test
    void realPackageHasTheBaseEmoji() {
        Path pkg = ImageData.packageDir(Twemoji.PACKAGE);
        assumeTrue(Files.isRegularFile(pkg.resolve("emoji.json")), "Twemoji not fetched (bash scripts/fetch-images.sh)");
        Twemoji tw = Twemoji.load(pkg);
        assertTrue(tw.all().size() >= 1_900, "base emoji: " + tw.all().size());
        Twemoji.Split s = tw.standardSplit();
        assertEquals(Math.round(0.2 * tw.all().size()), s.test().size());
        Tensor x = tw.images(s.test().subList(0, 4), 32, -1f, 1f);
        assertArrayEquals(new int[] {4, 3, 32, 32}, x.shape());
    }
}
