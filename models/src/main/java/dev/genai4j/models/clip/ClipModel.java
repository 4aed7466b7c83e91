package dev.genai4j.models.clip;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;

/**
 * CLIP (arXiv 2103.00020), matching HF {@code modeling_clip.CLIPModel} in eval mode: a ViT image
 * tower and a causal text tower, each pooled, projected without bias into one space, compared by
 * cosine similarity times {@code exp(logit_scale)}. Loads HF folders and OpenAI-named state
 * dicts ({@code visual.*}, {@code transformer.resblocks.*}, see {@link OpenAiClipWeights}); a
 * ResNet image tower fails with {@link UnsupportedClipException}.
 *
 * <pre>{@code
 * try (ClipModel m = ClipModel.load(Path.of("models/clip-vit-b32")); var g = NoGrad.enter()) {
 *     ClipModel.Output o = m.forward(pixels, ids, mask);   // pixels [N, 3, 224, 224], ids [M, T]
 *     Tensor probs = o.logitsPerImage().softmax(-1);       // [N, M]
 * }
 * }</pre>
 */
public final class ClipModel extends Module implements AutoCloseable {
    /** A tower's last hidden state [B, T, D] and pooled output [B, D] (HF {@code BaseModelOutputWithPooling}). */
    public record TowerOutput(Tensor lastHiddenState, Tensor pooled) {}

    /** HF {@code CLIPOutput}: L2-normalized embeddings [N, P] / [M, P] and scaled cosine logits. */
    public record Output(Tensor imageEmbeds, Tensor textEmbeds, Tensor logitsPerImage, Tensor logitsPerText,
                         TowerOutput vision, TowerOutput text) {}

    private final ClipConfig config;
    private final ClipTextTransformer textModel;
    private final ClipVisionTransformer visionModel;
    private final Linear visualProjection;   // [P, Dv], no bias
    private final Linear textProjection;     // [P, Dt], no bias
    private final Parameter logitScale;      // 0-d, log of the temperature's inverse
    private final AutoCloseable resources;   // memory-mapped weights, or null

    private ClipModel(ClipConfig c, Weights w, AutoCloseable resources) {
        this.config = c;
        this.resources = resources;
        this.textModel = child("text_model", ClipTextTransformer.load(w.sub("text_model"), c.text()));
        this.visionModel = child("vision_model", ClipVisionTransformer.load(w.sub("vision_model"), c.vision()));
        this.visualProjection = child("visual_projection",
                Linear.load(w.sub("visual_projection"), c.vision().hiddenSize(), c.projectionDim(), false));
        this.textProjection = child("text_projection",
                Linear.load(w.sub("text_projection"), c.text().hiddenSize(), c.projectionDim(), false));
        Tensor scale = w.get("logit_scale");
        if (scale.numel() != 1) throw new CheckpointException("tensor 'logit_scale' in " + w.source() + " must hold one value, has shape "
                + java.util.Arrays.toString(scale.shape()));
        this.logitScale = param("logit_scale", scale);
        eval();
    }

    /** Builds the model from HF- or OpenAI-named weights; the weights stay owned by the caller. */
    public static ClipModel load(Weights w, ClipConfig config) {
        return new ClipModel(config, hfView(w), null);
    }

    /**
     * Loads a folder: {@code model.safetensors} (or a sharded index) with HF or OpenAI names, and
     * {@code config.json} when present; an OpenAI-named checkpoint without one gets the config
     * {@link ClipConfig#fromOpenAiWeights} infers. Close the model to unmap the weights.
     */
    public static ClipModel load(Path folder) {
        CheckpointFolder f = CheckpointFolder.open(folder);
        SafetensorsWeights w = f.openWeights();
        try {
            ClipConfig c;
            if (f.hasFile(CheckpointFolder.CONFIG_FILE)) {
                c = ClipConfig.from(f.config());
            } else if (OpenAiClipWeights.isOpenAi(w)) {
                c = ClipConfig.fromOpenAiWeights(w);
            } else {
                throw new CheckpointException(folder.resolve(CheckpointFolder.CONFIG_FILE) + " is missing; an HF CLIP folder needs its config.json"
                        + " (only OpenAI-named checkpoints can do without one)");
            }
            return new ClipModel(c, hfView(w), w);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    private static Weights hfView(Weights w) {
        if (OpenAiClipWeights.isOpenAi(w)) return OpenAiClipWeights.toHf(w);
        if (!w.has("logit_scale") && w.has("clip.logit_scale")) return w.sub("clip");
        return w;
    }

    public ClipConfig config() { return config; }

    /** The image tower: pixels [N, C, S, S] → last hidden state [N, 1 + G², Dv] and post-LN class token [N, Dv]. */
    public TowerOutput vision(Tensor pixels) { return visionModel.forward(pixels); }

    /** The text tower: ids [M, T] (as floats), mask [M, T] or null → final-LN hidden state [M, T, Dt] and pooled [M, Dt]. */
    public TowerOutput text(Tensor ids, Tensor attentionMask) { return textModel.forward(ids, attentionMask); }

    /** Projected, not normalized image features [N, P] (HF {@code get_image_features}). */
    public Tensor imageFeatures(Tensor pixels) { return visualProjection.forward(vision(pixels).pooled()); }

    /** Projected, not normalized text features [M, P] (HF {@code get_text_features}). */
    public Tensor textFeatures(Tensor ids, Tensor attentionMask) { return textProjection.forward(text(ids, attentionMask).pooled()); }

    /** {@code exp(logit_scale)}, the multiplier of cosine similarities (100 for OpenAI's trained models). */
    public float logitScale() { return (float) Math.exp(logitScale.value().toFloatArray()[0]); }

    /** Both towers, normalized embeddings and the logits of every image against every text. */
    public Output forward(Tensor pixels, Tensor ids, Tensor attentionMask) {
        TowerOutput v = vision(pixels), t = text(ids, attentionMask);
        Tensor img = l2Normalize(visualProjection.forward(v.pooled()));          // [N, P]
        Tensor txt = l2Normalize(textProjection.forward(t.pooled()));            // [M, P]
        Tensor logitsPerText = txt.matmul(img.mT()).mul(logitScale.value().reshape(1, 1).exp());   // [M, N]
        return new Output(img, txt, logitsPerText.mT(), logitsPerText, v, t);
    }

    /** x / ‖x‖₂ along the last axis (HF divides by {@code sum(x²)^0.5}). */
    public static Tensor l2Normalize(Tensor x) {
        return x.div(x.square().sum(-1, true).sqrt());
    }

    @Override
    public void close() {
        if (resources == null) return;
        try {
            resources.close();
        } catch (Exception e) {
            throw new CheckpointException("ClipModel: cannot release weights: " + e, e);
        }
    }
}
