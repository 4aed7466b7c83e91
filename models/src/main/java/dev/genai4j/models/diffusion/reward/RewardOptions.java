package dev.genai4j.models.diffusion.reward;

import java.nio.file.Path;

/**
 * Where the model-based rewards find their models: a CLIP folder ({@code clip}, {@code preference}),
 * the reward classifier folder ({@code classifier}), the preference MLP folder ({@code preference});
 * and the CLIP score's scale (null = the model's {@code exp(logit_scale)}).
 *
 * <pre>{@code
 * RewardOptions o = RewardOptions.none().withClip(Path.of("runs/clip-fashion"));
 * }</pre>
 */
public record RewardOptions(Path clip, Path classifier, Path preference, Float clipScale) {
    public static RewardOptions none() { return new RewardOptions(null, null, null, null); }

    public RewardOptions withClip(Path p) { return new RewardOptions(p, classifier, preference, clipScale); }

    public RewardOptions withClassifier(Path p) { return new RewardOptions(clip, p, preference, clipScale); }

    public RewardOptions withPreference(Path p) { return new RewardOptions(clip, classifier, p, clipScale); }

    public RewardOptions withClipScale(Float s) { return new RewardOptions(clip, classifier, preference, s); }
}
