package dev.genai4j.server;

import dev.genai4j.models.bert.Embedder;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.HfTokenizer;

import java.nio.file.Path;

/**
 * One loaded sentence encoder as the server uses it: the {@link Embedder} (texts past the model's
 * positions are truncated, as sentence-transformers does), a tokenizer of its own for the usage
 * counts, and the {@link EmbeddingBatcher} that owns both.
 *
 * <pre>{@code
 * try (EmbeddingModel m = EmbeddingModel.load("all-minilm-l6-v2", dir, 32, 2_000, metrics)) {
 *     float[][] v = m.batcher().submit(List.of("hello")).join().vectors();
 * }
 * }</pre>
 */
public final class EmbeddingModel implements AutoCloseable {
    private final String id;
    private final Embedder embedder;
    private final HfTokenizer counter;
    private final EmbeddingBatcher batcher;

    private EmbeddingModel(String id, Embedder embedder, HfTokenizer counter, EmbeddingBatcher batcher) {
        this.id = id;
        this.embedder = embedder;
        this.counter = counter;
        this.batcher = batcher;
    }

    public static EmbeddingModel load(String id, Path folder, int batchMaxTexts, long batchMaxWaitMicros, Metrics metrics) {
        Embedder e = Embedder.load(folder);
        HfTokenizer tok = null;
        try {
            e.overflow(EncodeOptions.Overflow.TRUNCATE);
            tok = HfTokenizer.load(folder.resolve("tokenizer.json"));
            int positions = e.model().config().maxPositionEmbeddings();
            return new EmbeddingModel(id, e, tok, new EmbeddingBatcher(e, tok, positions, batchMaxTexts, batchMaxWaitMicros, metrics));
        } catch (RuntimeException ex) {
            if (tok != null) tok.close();
            e.close();
            throw ex;
        }
    }

    public String id() { return id; }

    public int dimensions() { return embedder.model().config().hiddenSize(); }

    public EmbeddingBatcher batcher() { return batcher; }

    @Override
    public void close() {
        try {
            batcher.close();
        } finally {
            counter.close();
            embedder.close();
        }
    }
}
