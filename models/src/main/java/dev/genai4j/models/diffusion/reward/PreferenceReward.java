package dev.genai4j.models.diffusion.reward;

import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * The learned preference reward: the {@link PreferenceMlp} logit of the image's CLIP embedding
 * (the stand-in for ImageReward / the LAION aesthetic score; prompts are not used, as the
 * aesthetic predictor). The CLIP must be the one the MLP was trained on.
 *
 * <pre>{@code
 * Reward r = new PreferenceReward(clip, PreferenceMlp.load(Path.of("runs/preference")));
 * }</pre>
 */
public final class PreferenceReward implements Reward {
    public static final String NAME = "preference";

    private final ClipPipeline clip;
    private final PreferenceMlp mlp;

    public PreferenceReward(ClipPipeline clip, PreferenceMlp mlp) {
        int p = clip.model().config().projectionDim();
        if (p != mlp.config().embeddingDim()) {
            throw new IllegalArgumentException("preference reward: the MLP takes " + mlp.config().embeddingDim()
                    + "-d CLIP embeddings but this CLIP gives " + p + "-d (it was trained on " + mlp.config().clipModel() + ")");
        }
        this.clip = clip;
        this.mlp = mlp;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public float[] score(Tensor images, List<String> prompts) {
        Reward.checkInputs(NAME, images, prompts);
        Tensor e = ClipScoreReward.imageEmbeddings(clip, images);
        try (var g = NoGrad.enter()) {
            return mlp.forward(e).toFloatArray();
        }
    }
}
