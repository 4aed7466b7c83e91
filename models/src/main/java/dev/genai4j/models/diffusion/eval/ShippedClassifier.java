package dev.genai4j.models.diffusion.eval;

import dev.genai4j.io.CheckpointException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The two Fashion-MNIST classifiers this build ships (each ~0.6 MB or less, in the models jar
 * with the command that reproduces it):
 * <ul>
 *   <li>{@link #EVALUATOR} — the independent judge of generated samples (accuracy on prompted
 *       classes, features for the Fréchet distance and diversity); never used as a reward;</li>
 *   <li>{@link #REWARD} — the separately seeded, narrower classifier behind the {@code classifier} reward.</li>
 * </ul>
 *
 * <pre>{@code
 * FashionClassifier judge = ShippedClassifier.EVALUATOR.load();
 * }</pre>
 */
public enum ShippedClassifier {
    EVALUATOR("evaluator", "genai4j train fashion-classifier -o DIR --width 16 --epochs 4 --max-shift 1 --seed 1 --threads 1"),
    REWARD("reward-classifier", "genai4j train fashion-classifier -o DIR --width 8 --features 64 --epochs 2 --max-shift 1 --seed 2 --threads 1");

    private static final String ROOT = "/dev/genai4j/models/diffusion/eval/";
    private static final String[] FILES = {"config.json", "model.safetensors", "eval.json"};

    private final String folder;
    private final String command;

    ShippedClassifier(String folder, String command) {
        this.folder = folder;
        this.command = command;
    }

    /** The command that trained the shipped weights. */
    public String command() { return command; }

    /** Whether this build carries the weights. */
    public boolean available() { return ShippedClassifier.class.getResource(ROOT + folder + "/model.safetensors") != null; }

    /** Copies the shipped folder out of the jar into a temporary folder (deleted at exit) and loads it. */
    public FashionClassifier load() {
        if (!available()) {
            throw new CheckpointException("this build ships no " + folder + " (resource " + ROOT + folder + "/); train one with: " + command);
        }
        try {
            Path dir = Files.createTempDirectory("genai4j-" + folder);
            dir.toFile().deleteOnExit();
            for (String f : FILES) {
                try (InputStream in = ShippedClassifier.class.getResourceAsStream(ROOT + folder + "/" + f)) {
                    if (in == null) continue;
                    Path target = dir.resolve(f);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                }
            }
            return FashionClassifier.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the shipped " + folder + ": " + e.getMessage(), e);
        }
    }
}
