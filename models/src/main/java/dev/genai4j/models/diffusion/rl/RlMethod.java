package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.DiffusionException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fine-tuning methods of {@code genai4j rl --method}:
 * <ul>
 *   <li>{@code sft} — DPOK's supervised baseline (arXiv 2305.16381 §5): reward-weighted denoising
 *       MSE on a fixed set of samples drawn once from the base model, plus β × the pretraining loss;</li>
 *   <li>{@code ddpo-sf} — DDPO with the score-function (REINFORCE) estimator (arXiv 2305.13301 §4.2);</li>
 *   <li>{@code ddpo-is} — DDPO with the importance-sampled, PPO-clipped estimator;</li>
 *   <li>{@code dpok} — policy gradient with the per-step KL bound to the frozen pretrained UNet,
 *       a value-function baseline and a replay buffer (arXiv 2305.16381 Algorithm 1).</li>
 * </ul>
 *
 * <pre>{@code
 * RlMethod m = RlMethod.parse("ddpo-is");   // DDPO_IS
 * }</pre>
 */
public enum RlMethod {
    SFT("sft", "reward-weighted denoising on fixed base-model samples + beta x pretraining loss"),
    DDPO_SF("ddpo-sf", "DDPO score function: REINFORCE on per-step log-probs"),
    DDPO_IS("ddpo-is", "DDPO importance sampling: PPO-clipped ratio to the sampling policy"),
    DPOK("dpok", "policy gradient + beta x per-step KL to the frozen base, value baseline, replay buffer");

    private final String cliName, summary;

    RlMethod(String cliName, String summary) {
        this.cliName = cliName;
        this.summary = summary;
    }

    /** The name {@code --method} takes. */
    public String cliName() { return cliName; }

    /** One line for help texts. */
    public String summary() { return summary; }

    /** Every {@code --method} name, in help order. */
    public static List<String> names() { return Arrays.stream(values()).map(RlMethod::cliName).toList(); }

    /** By CLI name (any case); an unknown one fails listing the valid names. */
    public static RlMethod parse(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (RlMethod m : values()) if (m.cliName.equals(n)) return m;
        throw new DiffusionException("rl: unknown method '" + name + "'; valid methods: " + String.join(", ", names()));
    }

    /** Whether the method samples trajectories online and trains on their log-probabilities. */
    public boolean online() { return this != SFT; }
}
