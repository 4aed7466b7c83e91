package dev.genai4j.models.diffusion;

import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.tensor.Tensor;

/**
 * Labelled training images in [−1, 1] with their class prompts: Fashion-MNIST's training split
 * (28 × 28 padded to 32 × 32 with the background value), or any in-memory set (tests).
 *
 * <pre>{@code
 * ClassImages d = ClassImages.fashionMnistTrain();    // 60,000 images, [1, 32, 32] each
 * Tensor x = d.images(new int[]{0, 5});               // [2, 1, 32, 32]
 * }</pre>
 */
public interface ClassImages {
    int size();

    int channels();

    int label(int i);

    /** [B, C, S, S] in [−1, 1]. */
    Tensor images(int[] indices);

    ClassPrompts prompts();

    /** Whether a horizontal flip keeps an image in its class (true for clothes). */
    default boolean flipAugment() { return false; }

    /** The prompt image {@code i} is trained with: its class name in a random template (data sets with captions return those). */
    default String trainingPrompt(int i, dev.genai4j.tensor.Rng rng) { return prompts().random(label(i), rng); }

    /** The prompt of row {@code c} of a sample grid. */
    default String samplePrompt(int c) { return prompts().prompt(c, ClassPrompts.TRAIN_TEMPLATES.get(0)); }

    /** The UNet a fresh run trains on this data. */
    default UNetConfig unetConfig() { return channels() == 1 ? UNetConfig.fashionMnist() : UNetConfig.twemoji(); }

    /** These images with a UNet of other channel counts per level than {@link #unetConfig()} (e.g. a wider model for the same data). */
    default ClassImages withBlockOutChannels(int[] channels) {
        ClassImages base = this;
        UNetConfig config = base.unetConfig().withBlockOutChannels(channels);
        return new ClassImages() {
            @Override public int size() { return base.size(); }
            @Override public int channels() { return base.channels(); }
            @Override public int label(int i) { return base.label(i); }
            @Override public Tensor images(int[] idx) { return base.images(idx); }
            @Override public ClassPrompts prompts() { return base.prompts(); }
            @Override public boolean flipAugment() { return base.flipAugment(); }
            @Override public String trainingPrompt(int i, dev.genai4j.tensor.Rng rng) { return base.trainingPrompt(i, rng); }
            @Override public String samplePrompt(int c) { return base.samplePrompt(c); }
            @Override public UNetConfig unetConfig() { return config; }
        };
    }

    /** The standard training split of Fashion-MNIST (the held-out test split is never touched). */
    static ClassImages fashionMnistTrain() {
        FashionMnist fm = FashionMnist.load();
        int[] train = fm.standardSplit().train();
        return new ClassImages() {
            @Override public int size() { return train.length; }
            @Override public int channels() { return 1; }
            @Override public int label(int i) { return fm.label(train[i]); }
            @Override public Tensor images(int[] idx) {
                int[] g = new int[idx.length];
                for (int k = 0; k < idx.length; k++) g[k] = train[idx[k]];
                return fm.images(g, 2, -1f, 1f);
            }
            @Override public ClassPrompts prompts() { return ClassPrompts.fashionMnist(); }
            @Override public boolean flipAugment() { return true; }
        };
    }

    /** In-memory images [N, C, S, S] with labels. */
    static ClassImages of(Tensor images, int[] labels, ClassPrompts prompts) {
        int n = images.size(0), c = images.size(1);
        if (labels.length != n) throw new DiffusionException("images: " + labels.length + " labels for " + n + " images");
        return new ClassImages() {
            @Override public int size() { return n; }
            @Override public int channels() { return c; }
            @Override public int label(int i) { return labels[i]; }
            @Override public Tensor images(int[] idx) { return images.indexSelect(0, idx).contiguous(); }
            @Override public ClassPrompts prompts() { return prompts; }
        };
    }
}
