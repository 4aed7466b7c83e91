package dev.genai4j.models.diffusion;

/**
 * How to sample: DDPM or DDIM, the number of steps (≤ the schedule length), DDIM's η (0 =
 * deterministic, 1 = DDPM-like variance), the classifier-free guidance weight (0 = unconditional,
 * 1 = conditional, &gt; 1 = guided) and whether x̂_0 is clipped to [−1, 1] (pixel models).
 *
 * <pre>{@code
 * SamplerOptions o = SamplerOptions.ddim(50, 0f, 3f);     // 50 deterministic DDIM steps, guidance 3
 * SamplerOptions rl = SamplerOptions.ddim(20, 1f, 3f);    // η = 1: every step has a log-probability
 * }</pre>
 */
public record SamplerOptions(Kind kind, int steps, float eta, float guidance, boolean clipSample) {
    public enum Kind { DDPM, DDIM }

    /**
     * DDIM steps txt2img, eval diffusion and the image endpoint use unless told otherwise: with the
     * shipped Fashion-MNIST model at guidance 3, 15 stochastic steps drew what the judge recognises
     * in 87–88 % of 1,000 images (two seeds), 10 steps 88 %, 20 steps 79–80 %, and 50 deterministic
     * steps (the earlier default) ~40 % (README, "Diffusion").
     */
    public static final int RECOMMENDED_STEPS = 15;
    /** DDIM η of those defaults: 1, stochastic (deterministic DDIM is this model's worst sampler at guidance 3). */
    public static final float RECOMMENDED_ETA = 1f;

    public SamplerOptions {
        if (kind == null) throw new DiffusionException("sampler: kind must be ddpm or ddim");
        if (steps < 1) throw new DiffusionException("sampler: steps must be ≥ 1, got " + steps);
        if (!(guidance >= 0) || Float.isInfinite(guidance)) throw new DiffusionException("sampler: guidance must be a finite number ≥ 0, got " + guidance);
        if (!(eta >= 0) || Float.isInfinite(eta)) throw new DiffusionException("sampler: eta must be a finite number ≥ 0, got " + eta);
    }

    public static SamplerOptions ddim(int steps, float eta, float guidance) { return new SamplerOptions(Kind.DDIM, steps, eta, guidance, true); }

    public static SamplerOptions ddpm(int steps, float guidance) { return new SamplerOptions(Kind.DDPM, steps, 1f, guidance, true); }

    /** "ddpm" or "ddim" (any case). */
    public static Kind parseKind(String name) {
        return switch (name == null ? "" : name.toLowerCase(java.util.Locale.ROOT)) {
            case "ddpm" -> Kind.DDPM;
            case "ddim" -> Kind.DDIM;
            default -> throw new DiffusionException("sampler: unknown sampler '" + name + "'; expected ddpm or ddim");
        };
    }
}
