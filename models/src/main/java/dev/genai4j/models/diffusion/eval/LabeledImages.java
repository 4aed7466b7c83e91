package dev.genai4j.models.diffusion.eval;

import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.tensor.Tensor;

/**
 * Images with class labels, read a batch at a time (so 60,000 training images never sit in
 * memory as floats at once).
 *
 * <pre>{@code
 * FashionMnist fm = FashionMnist.load();
 * LabeledImages train = LabeledImages.fashionMnist(fm, fm.standardSplit().train());
 * Tensor x = train.images(new int[]{0, 1, 2});    // [3, 1, 32, 32] in [-1, 1]
 * }</pre>
 */
public interface LabeledImages {
    /** Number of images. */
    int size();

    /** Images {@code indices} (0 ≤ i < size) as [n, C, H, W] in [−1, 1]. */
    Tensor images(int[] indices);

    /** The class of image {@code i}. */
    int label(int i);

    /** Labels of {@code indices}. */
    default int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) out[k] = label(indices[k]);
        return out;
    }

    /** The images {@code subset} (data-set indices) of Fashion-MNIST, padded to 32 × 32 with background −1. */
    static LabeledImages fashionMnist(FashionMnist fm, int[] subset) {
        int[] ids = subset.clone();
        return new LabeledImages() {
            @Override public int size() { return ids.length; }

            @Override public Tensor images(int[] indices) {
                int[] global = new int[indices.length];
                for (int k = 0; k < indices.length; k++) global[k] = ids[indices[k]];
                return fm.images(global, 2, -1f, 1f);
            }

            @Override public int label(int i) { return fm.label(ids[i]); }
        };
    }

    /** In-memory images [N, C, H, W] with labels [N]. */
    static LabeledImages of(Tensor images, int[] labels) {
        if (images.size(0) != labels.length) {
            throw new IllegalArgumentException("LabeledImages.of: " + images.size(0) + " images but " + labels.length + " labels");
        }
        int[] lab = labels.clone();
        return new LabeledImages() {
            @Override public int size() { return lab.length; }

            @Override public Tensor images(int[] indices) { return images.indexSelect(0, indices).contiguous(); }

            @Override public int label(int i) { return lab[i]; }
        };
    }
}
