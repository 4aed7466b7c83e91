package dev.genai4j.models.bert;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.HfTokenizer;
import dev.genai4j.text.Tokenizer;
import dev.genai4j.text.TokenizerException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sentence embeddings: tokenize, run {@link BertModel}, pool, L2-normalize. Texts are processed in
 * batches of similar length (padding to the longest of each batch); a text longer than
 * {@code max_position_embeddings} tokens is truncated with a warning on stderr.
 * The pooling comes from the folder's sentence-transformers {@code 1_Pooling/config.json}
 * (CLS for BGE), mean pooling when absent.
 *
 * <pre>{@code
 * try (Embedder e = Embedder.load(ModelStore.get("all-minilm-l6-v2"))) {
 *     float[][] v = e.embed(List.of("A cat sits.", "A dog runs."));   // 2 × 384, unit length
 *     double cos = Embedder.cosine(v[0], v[1]);
 * }
 * }</pre>
 */
public final class Embedder implements AutoCloseable {
    private final BertModel model;
    private final Tokenizer tokenizer;
    private final Pooling pooling;
    private final boolean normalize;
    private final int batchSize;
    private EncodeOptions.Overflow overflow = EncodeOptions.Overflow.TRUNCATE_AND_WARN;

    public Embedder(BertModel model, Tokenizer tokenizer, Pooling pooling, boolean normalize, int batchSize) {
        if (batchSize <= 0) throw new IllegalArgumentException("Embedder: batchSize must be positive, got " + batchSize);
        this.model = model;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.normalize = normalize;
        this.batchSize = batchSize;
    }

    /** The model, tokenizer and pooling of an HF / sentence-transformers folder; normalized output, batches of 16. */
    public static Embedder load(Path folder) {
        Path tok = folder.resolve("tokenizer.json");
        if (!Files.isRegularFile(tok)) {
            throw new CheckpointException("embed: " + folder + " has no tokenizer.json; an embedding model folder needs config.json, model.safetensors and tokenizer.json");
        }
        BertModel m = BertModel.load(folder);
        try {
            return new Embedder(m, HfTokenizer.load(tok), poolingOf(folder), true, 16);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** CLS when {@code 1_Pooling/config.json} says {@code pooling_mode_cls_token}, else MEAN. */
    public static Pooling poolingOf(Path folder) {
        Path p = folder.resolve("1_Pooling").resolve("config.json");
        if (!Files.isRegularFile(p)) return Pooling.MEAN;
        JsonConfig j = JsonConfig.read(p);
        return j.getBoolean("pooling_mode_cls_token", false) ? Pooling.CLS : Pooling.MEAN;
    }

    public BertModel model() { return model; }

    /**
     * What a text longer than the model's positions does: {@code TRUNCATE_AND_WARN} (the default),
     * {@code TRUNCATE}, or {@code ERROR} (a {@code TokenizerException} naming the text and its length).
     */
    public Embedder overflow(EncodeOptions.Overflow overflow) {
        this.overflow = java.util.Objects.requireNonNull(overflow, "overflow");
        return this;
    }

    public Pooling pooling() { return pooling; }

    /** One vector per text, in input order. */
    public float[][] embed(List<String> texts) {
        if (texts == null || texts.isEmpty()) throw new TokenizerException("embed: no texts given");
        for (int i = 0; i < texts.size(); i++) {
            String s = texts.get(i);
            if (s == null || s.isBlank()) throw new TokenizerException("embed: text " + i + " is empty or only whitespace");
        }
        if (overflow == EncodeOptions.Overflow.ERROR) {
            // checked here, in input order: batches are sorted by length, so the tokenizer's own
            // error would name a position in the sorted batch, not the caller's text
            int max = model.config().maxPositionEmbeddings();
            for (int i = 0; i < texts.size(); i++) {
                int n = tokenizer.encode(texts.get(i)).length();
                if (n > max) throw new TokenizerException("embed: text " + i + " has " + n
                        + " tokens, more than the model's " + max + " positions (truncation is off)");
            }
        }
        EncodeOptions opts = EncodeOptions.defaults().padToLongest()
                .maxLength(model.config().maxPositionEmbeddings(), overflow);
        // sort by length so each batch pads little; results go back to input order
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> texts.get(i).length()));
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < order.length; start += batchSize) {
            List<String> batch = new ArrayList<>();
            for (int k = start; k < Math.min(order.length, start + batchSize); k++) batch.add(texts.get(order[k]));
            float[][] vecs = embedBatch(tokenizer.encodeBatch(batch, opts));
            for (int k = 0; k < vecs.length; k++) out[order[start + k]] = vecs[k];
        }
        return out;
    }

    /** Embeds already tokenized, equally long encodings (one batch). */
    public float[][] embedBatch(List<Encoding> batch) {
        Tensor[] in = toTensors(batch);
        try (var g = NoGrad.enter()) {
            Tensor hidden = model.forward(in[0], in[1], in[2]);               // [B, T, H]
            Tensor pooled = pooling.pool(hidden, in[1], normalize);           // [B, H]
            int h = pooled.size(1);
            float[] flat = pooled.toFloatArray();
            float[][] out = new float[batch.size()][];
            for (int i = 0; i < out.length; i++) out[i] = java.util.Arrays.copyOfRange(flat, i * h, (i + 1) * h);
            return out;
        }
    }

    /** input_ids, attention_mask, token_type_ids [B, T] from a padded batch. */
    public static Tensor[] toTensors(List<Encoding> batch) {
        int b = batch.size(), t = batch.getFirst().length();
        float[] ids = new float[b * t], mask = new float[b * t], types = new float[b * t];
        for (int i = 0; i < b; i++) {
            Encoding e = batch.get(i);
            if (e.length() != t) throw new TokenizerException("embed: batch is not padded: sequence " + i + " has " + e.length() + " tokens, the first " + t);
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = e.ids()[j];
                mask[i * t + j] = e.attentionMask()[j];
                types[i * t + j] = e.typeIds()[j];
            }
        }
        return new Tensor[]{Tensor.of(ids, b, t), Tensor.of(mask, b, t), Tensor.of(types, b, t)};
    }

    /** Cosine similarity of two vectors of one width (0 when either is all zeros). */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("cosine: vectors of width " + a.length + " and " + b.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) { dot += (double) a[i] * b[i]; na += (double) a[i] * a[i]; nb += (double) b[i] * b[i]; }
        return dot / Math.sqrt(Math.max(na * nb, 1e-300));
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
