package dev.genai4j.models.diffusion;

import dev.genai4j.io.CheckpointException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The shipped Fashion-MNIST text-to-image model: the files under the class-path folder
 * {@code dev/genai4j/models/diffusion/default/} (written by {@link #TRAIN_COMMAND}, see the NOTES.md
 * there), copied once into {@code ~/.cache/genai4j/models/diffusion-fashion-mnist-<crc32>} so the
 * loader can memory-map them.
 */
public final class DefaultDiffusionModel {
    static final String RESOURCE = "/dev/genai4j/models/diffusion/default/";
    static final List<String> FILES = List.of(UNet.CONFIG_FILE, UNet.WEIGHTS_FILE, NoiseSchedule.CONFIG_FILE, DiffusionPipeline.TEXT_ENCODER_FILE);
    /** The command that trains the default model (the shipped files are its checkpoint folder). */
    public static final String TRAIN_COMMAND = "genai4j train diffusion --output runs/diffusion --threads 1";

    private DefaultDiffusionModel() {}

    /** True when the jar carries the default model. */
    public static boolean shipped() { return DefaultDiffusionModel.class.getResource(RESOURCE + UNet.WEIGHTS_FILE) != null; }

    /** The folder holding the default model. @throws DiffusionException when none is shipped */
    public static Path folder() {
        var weights = DefaultDiffusionModel.class.getResource(RESOURCE + UNet.WEIGHTS_FILE);
        if (weights == null) {
            throw new DiffusionException("no default diffusion model is shipped in this build; train one with '" + TRAIN_COMMAND
                    + "' and pass --model runs/diffusion/checkpoint");
        }
        try (InputStream in = new java.util.zip.CheckedInputStream(weights.openStream(), new java.util.zip.CRC32())) {
            // keyed by the weights' CRC-32: a retrained model of the same size gets a folder of its own
            long size = in.transferTo(java.io.OutputStream.nullOutputStream());
            long crc = ((java.util.zip.CheckedInputStream) in).getChecksum().getValue();
            Path dir = Path.of(System.getProperty("user.home"), ".cache", "genai4j", "models", String.format("diffusion-fashion-mnist-%08x", crc));
            if (Files.isRegularFile(dir.resolve(UNet.WEIGHTS_FILE)) && Files.size(dir.resolve(UNet.WEIGHTS_FILE)) == size) return dir;
            Path tmp = Files.createDirectories(dir.getParent()).resolve("." + dir.getFileName() + ".tmp-" + System.nanoTime());
            Files.createDirectories(tmp);
            for (String f : FILES) {
                try (InputStream s = DefaultDiffusionModel.class.getResourceAsStream(RESOURCE + f)) {
                    if (s == null) throw new CheckpointException("default diffusion model: the jar lacks " + RESOURCE + f);
                    Files.copy(s, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            DiffusionCheckpoint.deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new CheckpointException("default diffusion model: cannot unpack it into the cache: " + e, e);
        }
    }
}
