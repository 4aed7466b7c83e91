package dev.genai4j.models.diffusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The forward-process variances β_t and ᾱ_t = Π(1 − β_s) in float64, as diffusers' schedulers build
 * them: {@code linear} (DDPM, arXiv 2006.11239: β linearly from beta_start to beta_end),
 * {@code scaled_linear} (Stable Diffusion: √β linear) and {@code squaredcos_cap_v2} (the cosine
 * schedule of arXiv 2102.09672: ᾱ(t) = cos²((t/T + 0.008)/1.008 · π/2), β capped at 0.999).
 * Read from / written to {@code scheduler_config.json}.
 *
 * <pre>{@code
 * NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);
 * Tensor xt = s.addNoise(x0, eps, t);           // √ᾱ_t·x0 + √(1−ᾱ_t)·ε, one t per image
 * int[] ts = s.timesteps(50);                   // 999, 979, …, 19 ("trailing" spacing)
 * }</pre>
 */
public final class NoiseSchedule {
    public static final String CONFIG_FILE = "scheduler_config.json";

    private final String name;
    private final double betaStart, betaEnd;
    private final double[] betas, alphasCumprod;   // [T]

    private NoiseSchedule(String name, double betaStart, double betaEnd, double[] betas) {
        this.name = name;
        this.betaStart = betaStart;
        this.betaEnd = betaEnd;
        this.betas = betas;
        alphasCumprod = new double[betas.length];
        double acc = 1;
        for (int i = 0; i < betas.length; i++) {
            acc *= 1 - betas[i];
            alphasCumprod[i] = acc;
        }
    }

    /** diffusers {@code beta_schedule="linear"}: β = linspace(betaStart, betaEnd, T). */
    public static NoiseSchedule linear(int steps, double betaStart, double betaEnd) {
        checkLength(steps);
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) b[i] = betaStart + (betaEnd - betaStart) * i / (steps - 1);
        return new NoiseSchedule("linear", betaStart, betaEnd, b);
    }

    /** diffusers {@code beta_schedule="scaled_linear"}: β = linspace(√betaStart, √betaEnd, T)². */
    public static NoiseSchedule scaledLinear(int steps, double betaStart, double betaEnd) {
        checkLength(steps);
        double[] b = new double[steps];
        double s = Math.sqrt(betaStart), e = Math.sqrt(betaEnd);
        for (int i = 0; i < steps; i++) {
            double r = s + (e - s) * i / (steps - 1);
            b[i] = r * r;
        }
        return new NoiseSchedule("scaled_linear", betaStart, betaEnd, b);
    }

    /** diffusers {@code beta_schedule="squaredcos_cap_v2"} (improved DDPM's cosine schedule). */
    public static NoiseSchedule cosine(int steps) {
        checkLength(steps);
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            b[i] = Math.min(1 - cosineAlphaBar((i + 1.0) / steps) / cosineAlphaBar((double) i / steps), 0.999);
        }
        return new NoiseSchedule("squaredcos_cap_v2", 0, 0, b);
    }

    /** By diffusers name ({@code linear}, {@code scaled_linear}, {@code squaredcos_cap_v2}, or {@code cosine}). */
    public static NoiseSchedule of(String name, int steps, double betaStart, double betaEnd) {
        return switch (name) {
            case "linear" -> linear(steps, betaStart, betaEnd);
            case "scaled_linear" -> scaledLinear(steps, betaStart, betaEnd);
            case "squaredcos_cap_v2", "cosine" -> cosine(steps);
            default -> throw new ConfigException("noise schedule: unknown beta_schedule '" + name
                    + "'; expected linear, scaled_linear or squaredcos_cap_v2 (cosine)");
        };
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    private static void checkLength(int steps) {
        if (steps < 2) throw new ConfigException("noise schedule: num_train_timesteps must be ≥ 2, got " + steps);
    }

    public String name() { return name; }

    /** T, the number of training timesteps. */
    public int length() { return betas.length; }

    public double beta(int t) { return betas[t]; }

    /** ᾱ_t; ᾱ_{−1} = 1 (what DDPM steps toward at the end; DDIM uses ᾱ_0 instead, see {@link DenoisingStep}). */
    public double alphaCumprod(int t) { return t < 0 ? 1.0 : alphasCumprod[t]; }

    /**
     * Sampling timesteps, diffusers' "trailing" spacing (arXiv 2305.08891): rint(T − k·T/S) − 1 for
     * k = 0 … S−1, so sampling starts at T−1 and, with fewer steps than T, the last step starts
     * above 0 (its DDIM σ is then positive too).
     *
     * @throws DiffusionException when steps is not in 1..T
     */
    public int[] timesteps(int steps) {
        if (steps < 1 || steps > length()) {
            throw new DiffusionException("sampling steps must lie in 1.." + length() + " (the schedule's num_train_timesteps), got " + steps);
        }
        double ratio = (double) length() / steps;
        int[] out = new int[steps];
        for (int k = 0; k < steps; k++) out[k] = (int) Math.rint(length() - k * ratio) - 1;
        return out;
    }

    /** x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε with one timestep per image; x0 and eps [B, …]. */
    public Tensor addNoise(Tensor x0, Tensor eps, int[] t) {
        int b = x0.size(0);
        if (t.length != b) throw new DiffusionException("addNoise: " + t.length + " timesteps for a batch of " + b);
        float[] a = new float[b], s = new float[b];
        for (int i = 0; i < b; i++) {
            a[i] = (float) Math.sqrt(alphaCumprod(t[i]));
            s[i] = (float) Math.sqrt(1 - alphaCumprod(t[i]));
        }
        int[] bShape = new int[x0.dim()];
        java.util.Arrays.fill(bShape, 1);
        bShape[0] = b;
        return x0.mul(Tensor.of(a, bShape)).add(eps.mul(Tensor.of(s, bShape)));
    }

    /** diffusers {@code scheduler_config.json} keys. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_class_name", "DDIMScheduler");
        m.put("num_train_timesteps", length());
        m.put("beta_schedule", name);
        m.put("beta_start", betaStart);
        m.put("beta_end", betaEnd);
        m.put("prediction_type", "epsilon");
        m.put("clip_sample", true);
        m.put("set_alpha_to_one", false);
        m.put("steps_offset", 0);
        m.put("timestep_spacing", "trailing");
        return m;
    }

    public static NoiseSchedule fromJson(JsonConfig j) {
        String p = j.getString("prediction_type", "epsilon");
        if (!p.equals("epsilon")) throw new ConfigException(j.file() + ": prediction_type '" + p + "' is not supported; only epsilon");
        return of(j.getString("beta_schedule", "linear"), j.getInt("num_train_timesteps", 1000),
                j.getDouble("beta_start", 1e-4), j.getDouble("beta_end", 0.02));
    }

    public static NoiseSchedule read(Path file) {
        if (!Files.isRegularFile(file)) throw new CheckpointException("noise schedule: " + file + " does not exist");
        return fromJson(JsonConfig.read(file));
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(toMap()));
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + file + ": " + e, e);
        }
    }
}
