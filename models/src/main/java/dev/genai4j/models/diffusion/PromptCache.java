package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token states per distinct prompt, computed once: the text encoder is frozen, so a training run
 * over a few hundred prompt strings encodes each only once. A null (or dropped) prompt is the
 * all-zero null condition of classifier-free guidance.
 *
 * <pre>{@code
 * PromptCache cache = new PromptCache(encoder);
 * Tensor text = cache.batch(Arrays.asList("a photo of a bag", null));   // [2, L, D], second row zeros
 * }</pre>
 */
public final class PromptCache {
    private final PromptEncoder encoder;
    private final Map<String, float[]> cache = new HashMap<>();

    public PromptCache(PromptEncoder encoder) { this.encoder = encoder; }

    public PromptEncoder encoder() { return encoder; }

    /** [B, L, D]; a null entry gives zeros. */
    public synchronized Tensor batch(List<String> prompts) {
        int l = encoder.length(), d = encoder.dim(), row = l * d;
        float[] out = new float[prompts.size() * row];
        for (int i = 0; i < prompts.size(); i++) {
            String p = prompts.get(i);
            if (p == null) continue;
            float[] s = cache.computeIfAbsent(p, encoder::encode);
            System.arraycopy(s, 0, out, i * row, row);
        }
        return Tensor.of(out, prompts.size(), l, d);
    }

    /** Distinct prompts encoded so far. */
    public synchronized int size() { return cache.size(); }
}
