package dev.genai4j.models.diffusion.reward;

import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * TextNorm (Kim et al., "Confidence-aware Reward Optimization for Fine-tuning Text-to-Image
 * Models", arXiv 2404.01863): a base reward made relative to how well the image fits
 * semantically contrastive prompts, i.e. the reward model's confidence that the image shows
 * this prompt rather than a close alternative. For an image x, prompt y and contrastive prompts
 * y₁ … y_K ({@link ContrastivePrompts}):
 * <pre>
 *   r_TN(x, y) = exp(r(x, y)/τ) / ( exp(r(x, y)/τ) + Σ_k w_k · exp(r(x, y_k)/τ) )
 * </pre>
 * a softmax over the prompt and its alternatives at temperature τ, in (0, 1]. The weight w_k is
 * the <b>textual-inconsistency</b> term: a generated alternative whose text embedding is nearly
 * the prompt's (a paraphrase, not a contrast — a language model produces these) must not take
 * probability mass from the prompt, so with s_k = cos(e(y), e(y_k)) in a text-embedding space
 * supplied as a function, {@code w_k = clamp((1 − s_k) / δ, 0, 1)}: zero for an identical
 * embedding, rising linearly, full weight once the cosine is at most 1 − δ. Without an embedder
 * every w_k is 1 (plain softmax normalization).
 *
 * <p>The paper's exact form of the inconsistency term could not be read here; this weighting is
 * our reading of the description ("discount contrastive prompts whose text embeddings
 * are nearly identical to the prompt's"), documented in the README.
 *
 * <pre>{@code
 * Reward base = new ClipScoreReward(clip);
 * TextNorm tn = new TextNorm(base, ContrastivePrompts.fashionMnist(), 1.0f,
 *         texts -> clipTextEmbeddings(texts), 0.1f);
 * float[] r = tn.score(samples, prompts);                 // each in (0, 1]
 * }</pre>
 */
public final class TextNorm implements Reward {
    public static final String NAME_SUFFIX = "+textnorm";

    private final Reward base;
    private final ContrastivePrompts contrastive;
    private final float temperature;
    private final Function<List<String>, float[][]> textEmbedder;   // may be null
    private final float margin;
    private final Map<String, Candidates> cache = new HashMap<>();

    /** A prompt's contrastive prompts and their inconsistency weights. */
    public record Candidates(List<String> prompts, float[] weights) {}

    /**
     * @param temperature  τ > 0 of the softmax
     * @param textEmbedder texts → embedding rows (any length; cosine is taken), or null for weights 1
     * @param margin       δ ∈ (0, 1]: cosines ≤ 1 − δ count fully
     */
    public TextNorm(Reward base, ContrastivePrompts contrastive, float temperature, Function<List<String>, float[][]> textEmbedder, float margin) {
        if (!(temperature > 0)) throw new IllegalArgumentException("TextNorm: temperature must be positive, got " + temperature);
        if (!(margin > 0 && margin <= 1)) throw new IllegalArgumentException("TextNorm: margin must lie in (0, 1], got " + margin);
        this.base = base;
        this.contrastive = contrastive;
        this.temperature = temperature;
        this.textEmbedder = textEmbedder;
        this.margin = margin;
    }

    /** Text embeddings from a CLIP text tower, one unit-norm row per text (an embedder for the inconsistency term). */
    public static Function<List<String>, float[][]> clipTextEmbedder(dev.genai4j.models.clip.ClipPipeline clip) {
        return texts -> {
            Tensor e = clip.embedTexts(texts).embeddings();      // [M, P]
            int p = e.size(1);
            float[] d = e.data();
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) out[i] = java.util.Arrays.copyOfRange(d, i * p, (i + 1) * p);
            return out;
        };
    }

    @Override
    public String name() { return base.name() + NAME_SUFFIX; }

    @Override
    public float[] score(Tensor images, List<String> prompts) {
        Reward.checkInputs(name(), images, prompts);
        int b = prompts.size();
        // one base call over every (image, candidate) pair: image i repeated 1 + K_i times
        List<Integer> owner = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Candidates> cands = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            Candidates c = candidates(prompts.get(i));
            cands.add(c);
            owner.add(i);
            texts.add(prompts.get(i));
            for (String p : c.prompts()) {
                owner.add(i);
                texts.add(p);
            }
        }
        int[] idx = owner.stream().mapToInt(Integer::intValue).toArray();
        float[] r = base.score(images.indexSelect(0, idx).contiguous(), texts);
        float[] out = new float[b];
        int pos = 0;
        for (int i = 0; i < b; i++) {
            Candidates c = cands.get(i);
            float[] rewards = java.util.Arrays.copyOfRange(r, pos, pos + 1 + c.prompts().size());
            out[i] = (float) normalize(rewards, c.weights(), temperature);
            pos += rewards.length;
        }
        return out;
    }

    /**
     * exp(r₀/τ) / (exp(r₀/τ) + Σ_k w_k exp(r_k/τ)) for rewards [r₀ (the prompt), r₁ … r_K] and
     * weights [w₁ … w_K], computed with the largest exponent subtracted.
     */
    public static double normalize(float[] rewards, float[] weights, float temperature) {
        if (weights.length != rewards.length - 1) {
            throw new IllegalArgumentException("TextNorm: " + rewards.length + " rewards need " + (rewards.length - 1) + " weights, got " + weights.length);
        }
        double max = rewards[0] / (double) temperature;
        for (int k = 0; k < weights.length; k++) if (weights[k] > 0) max = Math.max(max, rewards[k + 1] / (double) temperature);
        double own = Math.exp(rewards[0] / (double) temperature - max), total = own;
        for (int k = 0; k < weights.length; k++) {
            if (weights[k] > 0) total += weights[k] * Math.exp(rewards[k + 1] / (double) temperature - max);
        }
        return own / total;
    }

    /** w = clamp((1 − cos) / δ, 0, 1). */
    public static float inconsistencyWeight(float cosine, float margin) {
        return Math.max(0f, Math.min(1f, (1f - cosine) / margin));
    }

    /** The contrastive prompts of {@code prompt} and their weights (cached per prompt). */
    public synchronized Candidates candidates(String prompt) {
        Candidates c = cache.get(prompt);
        if (c != null) return c;
        List<String> alts = contrastive.generate(prompt);
        float[] w = new float[alts.size()];
        java.util.Arrays.fill(w, 1f);
        if (textEmbedder != null && !alts.isEmpty()) {
            List<String> all = new ArrayList<>();
            all.add(prompt);
            all.addAll(alts);
            float[][] e = textEmbedder.apply(all);
            if (e.length != all.size()) {
                throw new IllegalStateException("TextNorm: the text embedder returned " + e.length + " rows for " + all.size() + " texts");
            }
            for (int k = 0; k < w.length; k++) w[k] = inconsistencyWeight(cosine(e[0], e[k + 1]), margin);
        }
        c = new Candidates(alts, w);
        cache.put(prompt, c);
        return c;
    }

    static float cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("TextNorm: embeddings of length " + a.length + " and " + b.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0f : (float) (dot / Math.sqrt(na * nb));
    }
}
