package dev.genai4j.models.clip;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** A runnable CLIP folder for task tests: the eos_rule_fp32 fixture plus the test tokenizer. */
final class ClipTestModel {
    private ClipTestModel() {}

    static Path folder(Path dir) throws IOException {
        Path src = ClipFixturesTest.ROOT.resolve("eos_rule_fp32");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.copy(Path.of("src/test/resources/clip/tokenizer.json"), dir.resolve("tokenizer.json"));
        return dir;
    }

    /** A seeded random-noise PNG of {@code w × h}. */
    static Path noisePng(Path file, int w, int h, long seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, r.nextInt(1 << 24));
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
