package dev.genai4j.models.clip.train;

import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;

/**
 * What {@link ClipTrainer} trains: an image tower, a text side that embeds captions of the
 * training table by index, and the learnable {@code logit_scale}. Features are projected and not
 * yet normalized. Implemented by {@link ScratchTextClip} (our CLIP text transformer from scratch)
 * and {@link LitClip} (frozen all-MiniLM-L6-v2 + learned projection).
 */
public interface ContrastiveModel {
    /** pixels [B, 3, 32, 32] → [B, P]. */
    Tensor imageFeatures(Tensor pixels);

    /** caption indices into the training table → [B, P]. */
    Tensor textFeatures(int[] captions);

    /** The log-multiplier of the cosines (0-d or [1]). */
    Parameter logitScale();

    /** The module holding every trainable parameter, under checkpoint names. */
    Module module();

    /** Writes a loadable model folder (weights, configs, tokenizer or text-encoder reference) into {@code dir}. */
    void saveFolder(Path dir);
}
