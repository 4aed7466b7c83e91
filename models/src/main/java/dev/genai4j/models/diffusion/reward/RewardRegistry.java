package dev.genai4j.models.diffusion.reward;

import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.models.diffusion.eval.FashionClassifier;
import dev.genai4j.models.diffusion.eval.ShippedClassifier;

import java.nio.file.Path;
import java.util.List;

/**
 * Rewards by name, as the CLI's {@code --reward} takes them:
 * <ul>
 *   <li>{@code jpeg} — {@link JpegCompressibilityReward}, needs nothing;</li>
 *   <li>{@code clip} — {@link ClipScoreReward}, needs a CLIP folder;</li>
 *   <li>{@code classifier} — {@link ClassifierReward}, on the <i>reward</i> classifier folder given, else the
 *       shipped {@link ShippedClassifier#REWARD} (never the evaluator);</li>
 *   <li>{@code classifier-p} — the same classifier's probability of the prompted class (bounded in [0, 1]);</li>
 *   <li>{@code preference} — {@link PreferenceReward}, needs a CLIP folder and the preference MLP folder;</li>
 *   <li>{@code noise} — {@link NoiseReward}, a control with no signal (a normal draw per image), needs nothing.</li>
 * </ul>
 * An unknown name fails with {@link UnknownRewardException} listing these; a missing model
 * folder fails naming the option that supplies it. Rewards holding a CLIP are {@link AutoCloseable}
 * through {@link Loaded}.
 *
 * <pre>{@code
 * try (RewardRegistry.Loaded r = RewardRegistry.create("clip", RewardOptions.none().withClip(dir))) {
 *     float[] s = r.reward().score(images, prompts);
 * }
 * }</pre>
 */
public final class RewardRegistry {
    private RewardRegistry() {}

    /** Every registered name, in the order help texts list them. */
    public static final List<String> NAMES = List.of(JpegCompressibilityReward.NAME, ClipScoreReward.NAME, ClassifierReward.NAME,
            ClassifierReward.PROBABILITY_NAME, PreferenceReward.NAME, NoiseReward.NAME);

    /** A reward and what must be closed with it (a memory-mapped CLIP), or nothing. */
    public record Loaded(Reward reward, AutoCloseable resources) implements AutoCloseable {
        @Override
        public void close() {
            if (resources == null) return;
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("reward " + reward.name() + ": cannot release its model: " + e.getMessage(), e);
            }
        }
    }

    /** Fails with {@link UnknownRewardException} unless {@code name} is registered; returns it. */
    public static String check(String name) {
        if (name == null || !NAMES.contains(name)) throw new UnknownRewardException(String.valueOf(name), NAMES);
        return name;
    }

    /** Builds the reward {@code name} from the folders in {@code options}. */
    public static Loaded create(String name, RewardOptions options) {
        check(name);
        return switch (name) {
            case JpegCompressibilityReward.NAME -> new Loaded(new JpegCompressibilityReward(), null);
            case NoiseReward.NAME -> new Loaded(new NoiseReward(), null);
            case ClipScoreReward.NAME -> {
                ClipPipeline clip = ClipPipeline.load(require(options.clip(), name, "--clip DIR (a CLIP model folder)"));
                yield new Loaded(options.clipScale() == null ? new ClipScoreReward(clip) : new ClipScoreReward(clip, options.clipScale()), clip);
            }
            case ClassifierReward.NAME, ClassifierReward.PROBABILITY_NAME -> {
                boolean probability = name.equals(ClassifierReward.PROBABILITY_NAME);
                if (options.classifier() != null) yield new Loaded(new ClassifierReward(FashionClassifier.load(options.classifier()), probability), null);
                if (!ShippedClassifier.REWARD.available()) {
                    throw new IllegalArgumentException("reward '" + name + "' needs --reward-classifier DIR (a classifier trained apart from"
                            + " the evaluator; this build ships none): " + ShippedClassifier.REWARD.command());
                }
                yield new Loaded(new ClassifierReward(ShippedClassifier.REWARD.load(), probability), null);
            }
            case PreferenceReward.NAME -> {
                Path mlp = require(options.preference(), name, "--preference DIR (from 'genai4j train preference')");
                ClipPipeline clip = ClipPipeline.load(require(options.clip(), name, "--clip DIR (the CLIP the preference MLP was trained on)"));
                try {
                    yield new Loaded(new PreferenceReward(clip, PreferenceMlp.load(mlp)), clip);
                } catch (RuntimeException e) {
                    clip.close();
                    throw e;
                }
            }
            default -> throw new UnknownRewardException(name, NAMES);
        };
    }

    private static Path require(Path p, String reward, String option) {
        if (p == null) throw new IllegalArgumentException("reward '" + reward + "' needs " + option);
        return p;
    }
}
