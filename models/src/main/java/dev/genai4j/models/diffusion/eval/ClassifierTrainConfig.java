package dev.genai4j.models.diffusion.eval;

import dev.genai4j.io.JsonConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of one {@link FashionClassifierTrainer} run. The defaults train the evaluator of the
 * diffusion Must-show (≥ 90 % on the 10,000 held-out test images) in about half an hour on one
 * thread; {@code --width 16 --seed 2} gives the independently trained reward classifier.
 *
 * <pre>{@code
 * ClassifierTrainConfig c = ClassifierTrainConfig.defaults(Path.of("runs/fashion-classifier"));
 * }</pre>
 */
public record ClassifierTrainConfig(Path output, int width, int featureDim, int epochs, int batchSize, double lr,
                                    double weightDecay, int maxShift, long seed, int logEvery, int checkpointEvery,
                                    int limitTrain) {
    public ClassifierTrainConfig {
        if (width <= 0 || featureDim <= 0) throw new IllegalArgumentException("width and feature dim must be positive, got " + width + ", " + featureDim);
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        if (weightDecay < 0) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (maxShift < 0) throw new IllegalArgumentException("max shift must be >= 0, got " + maxShift);
        if (logEvery <= 0 || checkpointEvery <= 0) throw new IllegalArgumentException("log/checkpoint intervals must be positive");
        if (limitTrain < 0) throw new IllegalArgumentException("limit-train must be >= 0 (0 = all), got " + limitTrain);
    }

    public static ClassifierTrainConfig defaults(Path output) {
        return new ClassifierTrainConfig(output, 16, 128, 4, 64, 2e-3, 1e-4, 1, 1, 100, 300, 0);
    }

    public FashionClassifierConfig modelConfig() { return FashionClassifierConfig.fashionMnist(width, featureDim); }

    /** The settings as stored in a checkpoint (the output folder is not stored: it is where the checkpoint lives). */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", width);
        m.put("feature_dim", featureDim);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("lr", lr);
        m.put("weight_decay", weightDecay);
        m.put("max_shift", maxShift);
        m.put("seed", seed);
        m.put("log_every", logEvery);
        m.put("checkpoint_every", checkpointEvery);
        m.put("limit_train", limitTrain);
        return m;
    }

    static ClassifierTrainConfig fromJson(Path output, JsonConfig j) {
        return new ClassifierTrainConfig(output, j.getInt("width"), j.getInt("feature_dim"), j.getInt("epochs"), j.getInt("batch_size"),
                j.getDouble("lr"), j.getDouble("weight_decay"), j.getInt("max_shift"), j.getLong("seed"), j.getInt("log_every"),
                j.getInt("checkpoint_every"), j.getInt("limit_train"));
    }
}
