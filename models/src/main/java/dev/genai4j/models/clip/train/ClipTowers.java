package dev.genai4j.models.clip.train;

import dev.genai4j.models.bert.Embedder;
import dev.genai4j.models.clip.ClipModel;
import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A trained CLIP folder seen by evaluation: image features from pixel tensors, unit text
 * embeddings from strings, and the logit multiplier. Opens either kind of folder: an HF
 * {@code CLIPModel} (scratch text side, through {@link ClipPipeline}) or a LiT folder
 * ({@link LitClip} + the frozen MiniLM).
 *
 * <pre>{@code
 * try (ClipTowers t = ClipTowers.open(dir, () -> Embedder.load(ModelStore.get("all-minilm-l6-v2")))) {
 *     Tensor img = ClipModel.l2Normalize(t.imageFeatures(pixels));
 * }
 * }</pre>
 */
public interface ClipTowers extends AutoCloseable {
    /** Projected, not normalized image features [N, P] of pixels [N, 3, S, S] (no autograd). */
    Tensor imageFeatures(Tensor pixels);

    /** Unit text embeddings [M, P]. */
    Tensor textEmbeddings(List<String> texts);

    float logitScale();

    @Override
    void close();

    /** Opens {@code dir}; {@code minilm} is called only for a LiT folder. */
    static ClipTowers open(Path dir, Supplier<Embedder> minilm) {
        if (LitClip.isLit(dir)) {
            LitClip lit = LitClip.load(dir);
            Embedder e = minilm.get();
            return new ClipTowers() {
                @Override public Tensor imageFeatures(Tensor pixels) {
                    try (var g = NoGrad.enter()) {
                        return lit.imageFeatures(pixels).contiguous();
                    }
                }

                @Override public Tensor textEmbeddings(List<String> texts) {
                    float[][] v = e.embed(texts);
                    float[] flat = new float[v.length * LitClip.TEXT_DIM];
                    for (int i = 0; i < v.length; i++) System.arraycopy(v[i], 0, flat, i * LitClip.TEXT_DIM, LitClip.TEXT_DIM);
                    try (var g = NoGrad.enter()) {
                        return ClipModel.l2Normalize(lit.projectText(Tensor.of(flat, v.length, LitClip.TEXT_DIM))).contiguous();
                    }
                }

                @Override public float logitScale() { return lit.scale(); }

                @Override public void close() { e.close(); }
            };
        }
        ClipPipeline p = ClipPipeline.load(dir);
        return new ClipTowers() {
            @Override public Tensor imageFeatures(Tensor pixels) {
                try (var g = NoGrad.enter()) {
                    return p.model().imageFeatures(pixels).contiguous();
                }
            }

            @Override public Tensor textEmbeddings(List<String> texts) { return p.embedTexts(texts).embeddings(); }

            @Override public float logitScale() { return p.logitScale(); }

            @Override public void close() { p.close(); }
        };
    }

    /** {@link #imageFeatures} in batches of {@code batch}, as float rows. */
    static float[][] features(ClipTowers t, Tensor pixels, int batch) {
        int n = pixels.size(0);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i += batch) {
            int m = Math.min(batch, n - i);
            Tensor f = t.imageFeatures(pixels.narrow(0, i, m).contiguous());
            int p = f.size(1);
            float[] d = f.toFloatArray();
            for (int r = 0; r < m; r++) rows.add(java.util.Arrays.copyOfRange(d, r * p, (r + 1) * p));
        }
        return rows.toArray(new float[0][]);
    }
}
