package dev.genai4j.models.mixtral;

import java.util.List;

/**
 * What {@link Generator} produced for each prompt: the new token ids (without the prompt, without
 * tokens past a stop), the decoded text (cut before a stop string; null without a tokenizer) and why
 * each row ended.
 */
public record GenerationResult(List<int[]> tokens, List<String> texts, List<FinishReason> reasons) {
    /** Why a row stopped. */
    public enum FinishReason {
        /** produced an end-of-sequence token */
        EOS,
        /** its text reached a stop string */
        STOP_STRING,
        /** reached max_new_tokens, or the context length */
        LENGTH,
        /** {@link Generator#cancel()} was called (e.g. Ctrl-C) */
        CANCELLED
    }
}
