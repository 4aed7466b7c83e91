package dev.genai4j.models.diffusion.eval;

import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.nn.Conv2d;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small CNN that recognizes Fashion-MNIST classes in {@code [B, 1, 32, 32]} images in [−1, 1]:
 * three (3×3 conv → ReLU → 2×2 max-pool) stages of width w, 2w, 4w, then a ReLU feature layer
 * (the penultimate features the Fréchet distance and diversity metrics use) and a linear head.
 * It is the evaluator of generated samples, trained only on real training images; a second,
 * separately seeded one serves as the "classifier" reward, never as the evaluator.
 *
 * <pre>{@code
 * FashionClassifier clf = FashionClassifier.load(Path.of("runs/fashion-classifier"));
 * int[] predicted = clf.predict(images);          // images [B, 1, 32, 32] in [-1, 1]
 * Tensor feats = clf.features(images);            // [B, featureDim]
 * }</pre>
 */
public final class FashionClassifier extends Module {
    private final FashionClassifierConfig config;
    private final Conv2d conv1;      // [w, C, 3, 3]
    private final Conv2d conv2;      // [2w, w, 3, 3]
    private final Conv2d conv3;      // [4w, 2w, 3, 3]
    private final Linear feature;    // [F, 4w · (S/8)²]
    private final Linear head;       // [classes, F]

    /** A freshly initialized classifier (PyTorch default inits from {@code rng}). */
    public FashionClassifier(FashionClassifierConfig config, Rng rng) {
        this.config = config;
        int w = config.width();
        this.conv1 = child("conv1", new Conv2d(Conv2d.Config.of(config.inChannels(), w, 3).padding(1), rng));
        this.conv2 = child("conv2", new Conv2d(Conv2d.Config.of(w, 2 * w, 3).padding(1), rng));
        this.conv3 = child("conv3", new Conv2d(Conv2d.Config.of(2 * w, 4 * w, 3).padding(1), rng));
        this.feature = child("feature", new Linear(config.flatSize(), config.featureDim(), true, rng));
        this.head = child("head", new Linear(config.featureDim(), config.numClasses(), true, rng));
    }

    public FashionClassifierConfig config() { return config; }

    /** Penultimate-layer features, post-ReLU: images [B, C, S, S] → [B, F]. */
    public Tensor features(Tensor images) {
        checkInput(images);
        Tensor x = maxPool2(conv1.forward(images).relu());   // [B, w, S/2, S/2]
        x = maxPool2(conv2.forward(x).relu());               // [B, 2w, S/4, S/4]
        x = maxPool2(conv3.forward(x).relu());               // [B, 4w, S/8, S/8]
        return feature.forward(x.reshape(x.size(0), -1)).relu();
    }

    /** Class logits [B, classes]. */
    public Tensor forward(Tensor images) { return head.forward(features(images)); }

    /** Logits computed from {@link #features} output (so callers that need both run the convs once). */
    public Tensor logitsFromFeatures(Tensor features) { return head.forward(features); }

    /** Most likely class of each image (no gradient; batched to bound memory). */
    public int[] predict(Tensor images) {
        Tensor logits = inferLogits(images);
        return logits.argmax(1, false).toIntArray();
    }

    /** Log-probabilities [B, classes] without a tape, computed in batches of 256. */
    public Tensor logProbs(Tensor images) { return inferLogits(images).logSoftmax(1); }

    /** Features [B, F] without a tape, computed in batches of 256. */
    public Tensor inferFeatures(Tensor images) {
        return batched(images, this::features);
    }

    private Tensor inferLogits(Tensor images) { return batched(images, this::forward); }

    private static Tensor batched(Tensor images, java.util.function.Function<Tensor, Tensor> f) {
        int n = images.size(0), batch = 256;
        try (var g = NoGrad.enter()) {
            if (n <= batch) return f.apply(images);
            java.util.List<Tensor> parts = new java.util.ArrayList<>();
            for (int i = 0; i < n; i += batch) parts.add(f.apply(images.narrow(0, i, Math.min(batch, n - i)).contiguous()));
            return Tensor.cat(parts, 0);
        }
    }

    /** 2×2 max-pooling, stride 2: [B, C, H, W] → [B, C, H/2, W/2]. */
    static Tensor maxPool2(Tensor x) { return MaxPool2.apply(x); }

    private void checkInput(Tensor images) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != config.inChannels() || s[2] != config.imageSize() || s[3] != config.imageSize()) {
            throw ShapeException.of("FashionClassifier", "images [B, " + config.inChannels() + ", " + config.imageSize() + ", "
                    + config.imageSize() + "]", s);
        }
    }

    /** Writes {@code config.json} + {@code model.safetensors} (atomically, see {@link CheckpointFolder#write}). */
    public void save(Path dir) {
        CheckpointFolder.write(dir, config.toJson(), stateDict());
    }

    /** Loads a folder written by {@link #save}; the weights are copied to the heap, the file is closed. */
    public static FashionClassifier load(Path dir) {
        CheckpointFolder f = CheckpointFolder.open(dir);
        FashionClassifierConfig c = FashionClassifierConfig.from(f.config());
        FashionClassifier m = new FashionClassifier(c, new Rng(0));
        try (SafetensorsWeights w = f.openWeights()) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (String name : w.names()) {
                Tensor t = w.get(name);
                state.put(name, Tensor.of(t.toFloatArray(), t.shape()));
            }
            m.loadStateDict(state, true);
        }
        m.eval();
        return m;
    }

    @Override
    public String toString() {
        return "FashionClassifier" + Arrays.toString(new int[]{config.width(), config.featureDim(), config.numClasses()});
    }
}
