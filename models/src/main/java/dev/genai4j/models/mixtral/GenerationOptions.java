package dev.genai4j.models.mixtral;

import java.util.List;

/**
 * How {@link Generator} continues a prompt; names and semantics as HF {@code GenerationConfig}.
 * Greedy ({@code sample = false}) takes the arg-max after the repetition penalty; sampling applies,
 * in HF's order, repetition penalty → temperature → top-k → top-p, then draws from the softmax with
 * a generator seeded by {@code seed} (same seed, same tokens).
 *
 * <pre>{@code
 * GenerationOptions o = GenerationOptions.greedy(64);
 * GenerationOptions s = GenerationOptions.sampling(128, 0.8f).withTopK(50).withTopP(0.95f).withSeed(7)
 *         .withStopStrings(List.of("\n\n"));
 * }</pre>
 *
 * @param maxNewTokens      tokens to generate at most (≥ 0)
 * @param sample            draw from the distribution instead of the arg-max
 * @param temperature       divides the logits when sampling; must be &gt; 0 then
 * @param topK              keep the k most probable tokens (0: all)
 * @param topP              keep the smallest set whose probability reaches topP, in (0, 1] (1: all)
 * @param repetitionPenalty CTRL's penalty (arXiv 1909.05858) on tokens already present, &gt; 0 (1: none)
 * @param stopStrings       generation of a row ends when its text contains one; the text is cut before it
 * @param seed              seeds the sampler
 * @param stopAtEos         end a row when it produces an {@code eos_token_id}
 */
public record GenerationOptions(int maxNewTokens, boolean sample, float temperature, int topK, float topP,
                                float repetitionPenalty, List<String> stopStrings, long seed, boolean stopAtEos) {

    public GenerationOptions {
        stopStrings = List.copyOf(stopStrings);
        if (maxNewTokens < 0) throw new GenerationException("generate: max_new_tokens must be ≥ 0, got " + maxNewTokens);
        if (sample && !(temperature > 0f)) {
            throw new GenerationException("generate: temperature must be > 0 when sampling, got " + temperature
                    + " (for deterministic output use greedy decoding)");
        }
        if (!(topP > 0f && topP <= 1f)) throw new GenerationException("generate: top_p must be in (0, 1], got " + topP);
        if (topK < 0) throw new GenerationException("generate: top_k must be ≥ 0 (0 = no limit), got " + topK);
        if (!(repetitionPenalty > 0f)) throw new GenerationException("generate: repetition_penalty must be > 0 (1 = none), got " + repetitionPenalty);
        for (String s : stopStrings) if (s.isEmpty()) throw new GenerationException("generate: a stop string is empty");
    }

    /** Arg-max decoding, stopping at EOS. */
    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(maxNewTokens, false, 1f, 0, 1f, 1f, List.of(), 0L, true);
    }

    /** Sampling at {@code temperature}, no top-k / top-p limit, seed 0. */
    public static GenerationOptions sampling(int maxNewTokens, float temperature) {
        return new GenerationOptions(maxNewTokens, true, temperature, 0, 1f, 1f, List.of(), 0L, true);
    }

    public GenerationOptions withMaxNewTokens(int n) { return new GenerationOptions(n, sample, temperature, topK, topP, repetitionPenalty, stopStrings, seed, stopAtEos); }

    public GenerationOptions withTemperature(float t) { return new GenerationOptions(maxNewTokens, sample, t, topK, topP, repetitionPenalty, stopStrings, seed, stopAtEos); }

    public GenerationOptions withTopK(int k) { return new GenerationOptions(maxNewTokens, sample, temperature, k, topP, repetitionPenalty, stopStrings, seed, stopAtEos); }

    public GenerationOptions withTopP(float p) { return new GenerationOptions(maxNewTokens, sample, temperature, topK, p, repetitionPenalty, stopStrings, seed, stopAtEos); }

    public GenerationOptions withRepetitionPenalty(float p) { return new GenerationOptions(maxNewTokens, sample, temperature, topK, topP, p, stopStrings, seed, stopAtEos); }

    public GenerationOptions withStopStrings(List<String> s) { return new GenerationOptions(maxNewTokens, sample, temperature, topK, topP, repetitionPenalty, s, seed, stopAtEos); }

    public GenerationOptions withSeed(long s) { return new GenerationOptions(maxNewTokens, sample, temperature, topK, topP, repetitionPenalty, stopStrings, s, stopAtEos); }

    public GenerationOptions withStopAtEos(boolean b) { return new GenerationOptions(maxNewTokens, sample, temperature, topK, topP, repetitionPenalty, stopStrings, seed, b); }
}
