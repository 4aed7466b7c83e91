package dev.genai4j.models.diffusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text-to-image model folder: {@code config.json} + {@code diffusion_pytorch_model.safetensors}
 * (the UNet), {@code scheduler_config.json} (the noise schedule) and {@code text_encoder.json}
 * (which frozen encoder, how many tokens). Loading opens the encoder; close the pipeline after use.
 *
 * <pre>{@code
 * try (DiffusionPipeline p = DiffusionPipeline.load(dir)) {
 *     Tensor images = p.generate(List.of("a photo of a sneaker"), SamplerOptions.ddim(50, 0f, 3f), 42);
 * }
 * }</pre>
 */
public final class DiffusionPipeline implements AutoCloseable {
    public static final String TEXT_ENCODER_FILE = "text_encoder.json";

    private final UNet unet;
    private final NoiseSchedule schedule;
    private final PromptCache prompts;

    public DiffusionPipeline(UNet unet, NoiseSchedule schedule, PromptEncoder encoder) {
        if (encoder.dim() != unet.config().crossAttentionDim()) {
            throw new DiffusionException("pipeline: the text encoder gives " + encoder.dim() + "-wide states, the UNet's cross_attention_dim is "
                    + unet.config().crossAttentionDim());
        }
        this.unet = unet;
        this.schedule = schedule;
        this.prompts = new PromptCache(encoder);
    }

    public static DiffusionPipeline load(Path dir) {
        if (!Files.isDirectory(dir)) throw new CheckpointException("diffusion model: " + dir + " is not a folder");
        UNet unet = UNet.load(dir);
        NoiseSchedule schedule = NoiseSchedule.read(dir.resolve(NoiseSchedule.CONFIG_FILE));
        JsonConfig te = readTextEncoder(dir);
        PromptEncoder enc = MiniLmPromptEncoder.load(te.getString("name"), te.getInt("max_length"));
        return new DiffusionPipeline(unet, schedule, enc);
    }

    static JsonConfig readTextEncoder(Path dir) {
        Path f = dir.resolve(TEXT_ENCODER_FILE);
        if (!Files.isRegularFile(f)) throw new CheckpointException("diffusion model: " + dir + " has no " + TEXT_ENCODER_FILE);
        return JsonConfig.read(f);
    }

    /** Writes {@code text_encoder.json} naming the frozen encoder. */
    static void writeTextEncoder(Path dir, PromptEncoder enc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", enc.name());
        m.put("max_length", enc.length());
        m.put("hidden_size", enc.dim());
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(TEXT_ENCODER_FILE), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(m));
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + dir.resolve(TEXT_ENCODER_FILE) + ": " + e, e);
        }
    }

    public UNet unet() { return unet; }

    public NoiseSchedule schedule() { return schedule; }

    public PromptCache prompts() { return prompts; }

    public DiffusionSampler sampler() { return new DiffusionSampler(unet, schedule); }

    /** One image per prompt, [B, C, S, S] in [−1, 1]; the same seed gives the same images. */
    public Tensor generate(List<String> prompts, SamplerOptions o, long seed) { return generate(prompts, o, seed, done -> {}); }

    /** As {@link #generate(List, SamplerOptions, long)}; {@code stepsDone} hears the count after each denoising step. */
    public Tensor generate(List<String> prompts, SamplerOptions o, long seed, java.util.function.IntConsumer stepsDone) {
        if (prompts.isEmpty()) throw new DiffusionException("generate: no prompts");
        for (String p : prompts) {
            if (p == null || p.isBlank()) throw new DiffusionException("prompt is empty; give a text such as \"a photo of a sneaker\"");
        }
        if (o.steps() > schedule.length()) {
            throw new DiffusionException("sampling steps must lie in 1.." + schedule.length() + " (the schedule's num_train_timesteps), got " + o.steps());
        }
        return sampler().sample(this.prompts.batch(prompts), o, new Rng(seed), stepsDone);
    }

    /** {@code n} images of one prompt, generated in batches of at most {@code batch}. */
    public Tensor generate(String prompt, int n, SamplerOptions o, long seed, int batch) { return generate(prompt, n, o, seed, batch, done -> {}); }

    /**
     * As {@link #generate(String, int, SamplerOptions, long, int)}; {@code stepsDone} hears the running count of
     * denoising steps over all batches: {@code ceil(n / batch) * o.steps()} in all.
     */
    public Tensor generate(String prompt, int n, SamplerOptions o, long seed, int batch, java.util.function.IntConsumer stepsDone) {
        List<Tensor> parts = new ArrayList<>();
        for (int start = 0; start < n; start += batch) {
            int b = Math.min(batch, n - start), before = start / batch * o.steps();
            parts.add(generate(java.util.Collections.nCopies(b, prompt), o, seed + start, done -> stepsDone.accept(before + done)));
        }
        return parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0);
    }

    @Override
    public void close() { prompts.encoder().close(); }
}
