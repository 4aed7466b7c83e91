package dev.genai4j.models.diffusion.reward;

import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CLIP score (arXiv 2103.00020; as a text-image alignment reward in DPOK arXiv 2305.16381):
 * {@code scale · cos(image embedding, prompt embedding)} from our {@link ClipPipeline}. By default
 * the scale is the model's own {@code exp(logit_scale)} — 100 for OpenAI's trained CLIPs, i.e.
 * the familiar "cosine × 100" — so the score is the logit CLIP itself would assign the pair.
 * Grey images are repeated into three channels; the pipeline's image processor resizes them to
 * the model's image size (bicubic shortest edge + centre crop, as HF). Prompt embeddings are
 * cached, since RL batches repeat a few prompts.
 *
 * <pre>{@code
 * try (ClipPipeline clip = ClipPipeline.load(Path.of("runs/clip-fashion"))) {
 *     float[] s = new ClipScoreReward(clip).score(samples, prompts);
 * }
 * }</pre>
 */
public final class ClipScoreReward implements Reward {
    public static final String NAME = "clip";

    private final ClipPipeline clip;
    private final float scale;
    private final Map<String, float[]> textCache = new HashMap<>();

    /** Scale = the model's {@code exp(logit_scale)}. */
    public ClipScoreReward(ClipPipeline clip) { this(clip, clip.logitScale()); }

    public ClipScoreReward(ClipPipeline clip, float scale) {
        if (!(scale > 0)) throw new IllegalArgumentException("clip reward: scale must be positive, got " + scale);
        this.clip = clip;
        this.scale = scale;
    }

    @Override
    public String name() { return NAME; }

    /** The multiplier of the cosine. */
    public float scale() { return scale; }

    @Override
    public float[] score(Tensor images, List<String> prompts) {
        Reward.checkInputs(NAME, images, prompts);
        Tensor img = imageEmbeddings(clip, images);                    // [B, P], unit rows
        int p = img.size(1);
        float[] e = img.data();
        float[] out = new float[prompts.size()];
        for (int b = 0; b < out.length; b++) {
            float[] t = textEmbedding(prompts.get(b));
            double dot = 0;
            for (int k = 0; k < p; k++) dot += e[b * p + k] * t[k];
            out[b] = (float) (scale * dot);
        }
        return out;
    }

    /** Unit-norm CLIP embedding of a prompt (cached). */
    public synchronized float[] textEmbedding(String prompt) {
        float[] t = textCache.get(prompt);
        if (t == null) {
            t = clip.embedTexts(List.of(prompt)).embeddings().toFloatArray();
            textCache.put(prompt, t);
        }
        return t;
    }

    /** Unit-norm CLIP image embeddings [B, P] of images [B, C, H, W] in [−1, 1]. */
    public static Tensor imageEmbeddings(ClipPipeline clip, Tensor images) {
        List<RgbImage> pics = new ArrayList<>(images.size(0));
        for (int b = 0; b < images.size(0); b++) pics.add(ImageBytes.toRgb(images, b));
        return clip.embedImages(pics);
    }
}
