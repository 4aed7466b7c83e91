package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code genai4j train pointe}: the conditioning and loss settings of new runs, and their errors. */
class TrainPointECommandTest {
    /** Four single-object scenes of 128 points with 16 × 16 renders, in dir/set. */
    private static Path tinyShapeSet(Path dir) {
        int[] rc = new int[1];
        Path set = dir.resolve("set");
        String[] r = CliRun.outErr(rc, "pointe", "data", "-n", "4", "-o", set.toString(), "--points", "128", "--image-size", "16", "--seed", "2", "--pair-rate", "0");
        assertEquals(0, rc[0], r[1]);
        return set;
    }

    @Test
    void aShortRunStoresPositionFeaturesNoiseAndTheSnrWeightCap(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Path set = tinyShapeSet(dir), run = dir.resolve("run");
        String[] r;
        r = CliRun.outErr(rc, "train", "pointe", "--data", set.toString(), "-o", run.toString(), "--steps", "2", "--points", "64", "--width", "32",
                "--layers", "1", "--heads", "2", "--image-size", "16", "--patch", "8", "--hold-out", "1", "--threads", "1", "-q");
        assertEquals(0, rc[0], r[1]);
        JsonNode model = new ObjectMapper().readTree(run.resolve("model/config.json").toFile());
        assertEquals(3 * 8 * 8 + 16, model.get("grid_feature_dim").asInt(), "16 position features by default: " + model);
        assertEquals(16, model.get("conditioning").get("position_features").asInt());
        JsonNode state = new ObjectMapper().readTree(run.resolve("checkpoint/trainer_state.json").toFile());
        String saved = state.toString();
        assertTrue(saved.contains("\"snr_weight_cap\":20.0") && saved.contains("\"image_noise\":0.05"), saved);
    }

    @Test
    void pixelSettingsWithAClipGridAreRefusedNamingBoth(@TempDir Path dir) {
        int[] rc = new int[1];
        String[] r = CliRun.outErr(rc, "train", "pointe", "--data", dir.toString(), "-o", dir.resolve("run").toString(), "--clip", dir.toString(),
                "--image-noise", "0.1");
        assertEquals(2, rc[0], r[0]);
        assertTrue(r[1].contains("image noise") && r[1].contains("CLIP"), r[1]);
        r = CliRun.outErr(rc, "train", "pointe", "--data", dir.toString(), "-o", dir.resolve("run2").toString(), "--snr-weight-cap", "0.5");
        assertEquals(2, rc[0], r[0]);
        assertTrue(r[1].contains("train pointe") && r[1].contains("SNR weight cap 0.5 (must be >= 1)"), r[1]);
        String help = CliRun.outErr(rc, "train", "pointe", "--help")[0];
        assertTrue(help.contains("--position-features") && help.contains("--image-noise") && help.contains("--snr-weight-cap"), help);
    }

    @Test
    void anUpsamplerRunWithPointFrequenciesStoresThemAndOutOfRangeIsRefused(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Path set = tinyShapeSet(dir), run = dir.resolve("up");
        String[] r;
        r = CliRun.outErr(rc, "train", "pointe", "--upsample", "--low-res", "16", "--points", "48", "--point-frequencies", "2", "--data", set.toString(),
                "-o", run.toString(), "--steps", "2", "--width", "32", "--layers", "1", "--heads", "2", "--image-size", "16", "--patch", "8",
                "--hold-out", "1", "--threads", "1", "-q");
        assertEquals(0, rc[0], r[1]);
        JsonNode model = new ObjectMapper().readTree(run.resolve("model/config.json").toFile());
        assertEquals(2, model.get("point_frequencies").asInt(), model.toString());
        assertEquals(16, model.get("cond_ctx").asInt(), model.toString());
        Path png = dir.resolve("up.png");
        r = CliRun.outErr(rc, "pointe", "upsample-check", "--upsampler", run.toString(), "--data", set.toString(), "--hold-out", "1",
                "--scenes", "1", "--guidance", "1", "--threads", "1", "--preview", png.toString());
        assertEquals(0, rc[0], r[1]);
        assertTrue(r[0].contains("mean over 1 held-out scenes (guidance 1.0): low-res 16 ") && r[0].contains("upsampled 64 ")
                && r[0].contains("jittered copies 64 ") && r[0].contains("truth subset 64 "), r[0]);
        assertTrue(Files.size(png) > 0, "preview written");
        r = CliRun.outErr(rc, "pointe", "upsample-check", "--upsampler", run.toString(), "--data", set.toString(), "--hold-out", "1", "--scenes", "2");
        assertEquals(2, rc[0], r[0]);
        assertTrue(r[1].contains("--scenes must be 1..1"), r[1]);
        r = CliRun.outErr(rc, "train", "pointe", "--upsample", "--point-frequencies", "17", "--data", set.toString(), "-o", dir.resolve("bad").toString());
        assertEquals(2, rc[0], r[0]);
        assertTrue(r[1].contains("train pointe") && r[1].contains("invalid settings") && r[1].contains("point frequencies 17 (0..16)"), r[1]);
        String help = CliRun.outErr(rc, "train", "pointe", "--help")[0];
        assertTrue(help.contains("--point-frequencies"), help);
    }
}
