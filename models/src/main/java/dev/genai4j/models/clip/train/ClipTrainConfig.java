package dev.genai4j.models.clip.train;

import dev.genai4j.models.clip.ClipConfig;
import dev.genai4j.models.clip.ClipTextConfig;
import dev.genai4j.models.clip.ClipVisionConfig;
import dev.genai4j.nn.Activation;

/**
 * Everything a CLIP training run needs; written into the checkpoint so {@code --resume} continues
 * with the same settings.
 *
 * @param textSide      "scratch" (our text transformer + caption BPE) or "minilm" (LiT: frozen all-MiniLM-L6-v2)
 * @param fashionShare  probability a pair comes from Fashion-MNIST when Twemoji is also on
 * @param holdOut       Fashion-MNIST classes removed from images and captions
 * @param steps         optimizer steps the schedule spans (warmup + cosine to 10 %)
 * @param shapes        a {@code genai4j pointe data} folder: train on splat renders of its clouds instead
 *                      ({@link ShapeClipPairs}; Fashion-MNIST and Twemoji must then be off); null = off
 * @param shapesHoldOut scenes at the end of {@code shapes} never trained on (as {@code train pointe --hold-out})
 */
public record ClipTrainConfig(String textSide, boolean fashion, boolean twemoji, double fashionShare, int[] holdOut,
                              int steps, int batch, double lr, int warmup, double weightDecay, long seed,
                              int visionWidth, int visionLayers, int visionHeads, int textWidth, int textLayers,
                              int textHeads, int projectionDim, int vocabSize, int maxTokens, String shapes, int shapesHoldOut) {

    public ClipTrainConfig {
        if (!textSide.equals("scratch") && !textSide.equals("minilm")) {
            throw new IllegalArgumentException("text side must be 'scratch' or 'minilm', got '" + textSide + "'");
        }
        if (shapes != null && (fashion || twemoji)) {
            throw new IllegalArgumentException("shape pairs are not mixed with Fashion-MNIST or Twemoji: turn both off with --shapes");
        }
        if (shapes == null && !fashion && !twemoji) throw new IllegalArgumentException("no data: enable Fashion-MNIST and/or Twemoji, or give --shapes");
        if (shapes != null && shapesHoldOut < 0) throw new IllegalArgumentException("shape hold-out must be ≥ 0, got " + shapesHoldOut);
        if (steps <= 0 || batch < 2 || warmup < 0 || warmup > steps) {
            throw new IllegalArgumentException("need steps > 0, batch ≥ 2, 0 ≤ warmup ≤ steps; got steps " + steps + ", batch " + batch + ", warmup " + warmup);
        }
        holdOut = holdOut.clone();
    }

    /** The README run: ~1 h at one (shared) thread, ~114k parameters (see the README's CLIP section). */
    public static ClipTrainConfig defaults(String textSide) {
        return new ClipTrainConfig(textSide, true, true, 0.85, new int[0], 1900, 96, 2e-3, 100, 0.1, 1,
                48, 2, 2, 32, 1, 1, 64, 1024, 40, null, 0);
    }

    /** The same run with the schedule stretched to {@code total} steps (continuing past the end: a warm restart down the cosine). */
    public ClipTrainConfig withSteps(int total) {
        return new ClipTrainConfig(textSide, fashion, twemoji, fashionShare, holdOut, total, batch, lr, warmup, weightDecay, seed,
                visionWidth, visionLayers, visionHeads, textWidth, textLayers, textHeads, projectionDim, vocabSize, maxTokens, shapes, shapesHoldOut);
    }

    /** The same run on the shape pairs of {@code dir} (Fashion-MNIST and Twemoji off), the last {@code holdOut} scenes left out. */
    public ClipTrainConfig withShapes(String dir, int holdOut) {
        return new ClipTrainConfig(textSide, false, false, fashionShare, holdOut(), steps, batch, lr, warmup, weightDecay, seed,
                visionWidth, visionLayers, visionHeads, textWidth, textLayers, textHeads, projectionDim, vocabSize, maxTokens, dir, holdOut);
    }

    public boolean lit() { return textSide.equals("minilm"); }

    /** The image tower: patch 4 on 32 × 32 (64 patches + class token), MLP 4×. */
    public ClipVisionConfig visionConfig() {
        return new ClipVisionConfig(visionWidth, 4 * visionWidth, visionLayers, visionHeads, 3, ClipTrainData.SIDE, 4,
                Activation.QUICK_GELU, 1e-5f);
    }

    /** The CLIP config; for LiT the text config is a placeholder never built (the text side is MiniLM). */
    public ClipConfig clipConfig(int vocab) {
        ClipTextConfig t = new ClipTextConfig(vocab, textWidth, 4 * textWidth, textLayers, textHeads, maxTokens,
                Activation.QUICK_GELU, 1e-5f, CaptionTokenizer.BOS, CaptionTokenizer.EOS, CaptionTokenizer.PAD);
        return new ClipConfig(t, visionConfig(), projectionDim, ClipInit.LOGIT_SCALE_INIT);
    }
}
