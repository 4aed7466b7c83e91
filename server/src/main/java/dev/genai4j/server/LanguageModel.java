package dev.genai4j.server;

import dev.genai4j.models.mixtral.MixtralConfig;
import dev.genai4j.models.mixtral.MixtralForCausalLM;
import dev.genai4j.text.HfTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The served causal LM: a Mixtral-style checkpoint and its {@code tokenizer.json}, loaded once and
 * shared (generation takes it one request at a time through {@link ModelCatalog#withLm}).
 *
 * <pre>{@code
 * try (LanguageModel m = LanguageModel.load("tiny-moe", Path.of("runs/moe"))) {
 *     int[] ids = m.promptIds("Once upon a time");   // BOS first when the config names one
 * }
 * }</pre>
 */
public final class LanguageModel implements AutoCloseable {
    private final String id;
    private final MixtralForCausalLM lm;
    private final HfTokenizer tokenizer;

    private LanguageModel(String id, MixtralForCausalLM lm, HfTokenizer tokenizer) {
        this.id = id;
        this.lm = lm;
        this.tokenizer = tokenizer;
    }

    /** Loads {@code dir} (config.json, weights, tokenizer.json). */
    public static LanguageModel load(String id, Path dir) {
        Path tok = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tok)) throw new IllegalStateException("text-generation model " + dir + " has no tokenizer.json");
        MixtralForCausalLM lm = MixtralForCausalLM.load(dir);
        try {
            return new LanguageModel(id, lm, HfTokenizer.load(tok));
        } catch (RuntimeException e) {
            lm.close();
            throw e;
        }
    }

    public String id() { return id; }

    public MixtralForCausalLM lm() { return lm; }

    public HfTokenizer tokenizer() { return tokenizer; }

    public MixtralConfig config() { return lm.config(); }

    /**
     * The prompt's token ids as {@code Generator.generate} would feed them: the tokenizer's
     * encoding, with the config's {@code bos_token_id} put first when the tokenizer did not add it.
     * Counting them here is what makes {@code usage.prompt_tokens} exact.
     */
    public int[] promptIds(String prompt) {
        int[] enc = tokenizer.encode(prompt).ids();
        Integer bos = lm.config().bosTokenId();
        if (bos != null && (enc.length == 0 || enc[0] != bos)) {
            int[] withBos = new int[enc.length + 1];
            withBos[0] = bos;
            System.arraycopy(enc, 0, withBos, 1, enc.length);
            return withBos;
        }
        return enc;
    }

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            lm.close();
        }
    }
}
