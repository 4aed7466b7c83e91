package dev.genai4j.models.gliner.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.bert.BertModel;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Lstm;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh GLiNER around a pretrained BERT encoder, laid out as the reference does it
 * ({@code GLiNER.from_config} on a sentence-transformers backbone): the tokenizer gains
 * {@code [FLERT]}, {@code <<ENT>>}, {@code <<SEP>>} (ids vocab, vocab+1, vocab+2), the word
 * embeddings gain three rows (initialised to the mean of the others, as a resize would keep them
 * neutral), and the heads are new with PyTorch's default init: the projection
 * {@code backbone → hidden_size} (when they differ), the BiLSTM, span {@code markerV0} and the
 * prompt projection. Names are the checkpoint names {@link dev.genai4j.models.gliner.GlinerModel}
 * loads, so a fresh model, a trained one and a published one load the same way.
 *
 * <pre>{@code
 * try (BertModel bert = BertModel.load(ModelStore.get("all-minilm-l6-v2"))) {
 *     Map<String, Tensor> w = GlinerFactory.freshWeights(bert, 256, 12, new Rng(42));
 *     Map<String, Object> cfg = GlinerFactory.config(bertConfigJson, "all-minilm-l6-v2", 256, 12, 384, false);
 * }
 * }</pre>
 */
public final class GlinerFactory {
    /** Tokens GLiNER adds to the backbone vocabulary, in the reference's order. */
    public static final List<String> ADDED_TOKENS = List.of("[FLERT]", "<<ENT>>", "<<SEP>>");
    public static final String BACKBONE_PREFIX = "token_rep_layer.bert_layer.model.";
    public static final String WORD_EMBEDDINGS = BACKBONE_PREFIX + "embeddings.word_embeddings.weight";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GlinerFactory() {}

    /**
     * {@code gliner_config.json} for a BERT backbone whose {@code config.json} is {@code backbone}:
     * span mode markerV0, one BiLSTM layer, first-subtoken pooling, the backbone config embedded
     * with the enlarged vocabulary and {@code class_token_index} set to {@code <<ENT>>}. With
     * {@code embedEntToken} false a type is read at its first sub-token instead of at its
     * {@code <<ENT>>} marker: on a frozen backbone the marker's row is never learnt, the type's
     * own word is what the encoder knows.
     */
    public static Map<String, Object> config(JsonConfig backbone, String modelName, int hiddenSize, int maxWidth, int maxLen, boolean embedEntToken) {
        int vocab = backbone.getInt("vocab_size");
        Map<String, Object> enc = JSON.convertValue(backbone.tree(), Map.class);
        enc.put("vocab_size", vocab + ADDED_TOKENS.size());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", "gliner");
        m.put("model_name", modelName);
        m.put("span_mode", "markerV0");
        m.put("hidden_size", hiddenSize);
        m.put("max_width", maxWidth);
        m.put("max_len", maxLen);
        m.put("num_rnn_layers", 1);
        m.put("subtoken_pooling", "first");
        m.put("words_splitter_type", "whitespace");
        m.put("ent_token", "<<ENT>>");
        m.put("sep_token", "<<SEP>>");
        m.put("embed_ent_token", embedEntToken);
        m.put("class_token_index", vocab + 1);
        m.put("vocab_size", vocab + ADDED_TOKENS.size());
        m.put("encoder_config", enc);
        return m;
    }

    /** The backbone's {@code tokenizer.json} with {@link #ADDED_TOKENS} appended as special added tokens, written to {@code out}. */
    public static void writeTokenizer(Path backboneTokenizer, int backboneVocab, Path out) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(backboneTokenizer.toFile());
            ArrayNode added = root.has("added_tokens") ? (ArrayNode) root.get("added_tokens") : root.putArray("added_tokens");
            for (int i = 0; i < ADDED_TOKENS.size(); i++) {
                String t = ADDED_TOKENS.get(i);
                boolean present = false;
                for (JsonNode a : added) present |= a.path("content").asText().equals(t);
                if (present) throw new CheckpointException(backboneTokenizer + " already has the token " + t + "; expected a plain backbone tokenizer");
                added.addObject().put("id", backboneVocab + i).put("content", t).put("single_word", false).put("lstrip", false)
                        .put("rstrip", false).put("normalized", false).put("special", true);
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new CheckpointException("cannot write the GLiNER tokenizer " + out + " from " + backboneTokenizer + ": " + e, e);
        }
    }

    /**
     * Every tensor of a fresh GLiNER: the backbone's own (heap copies are made only for the word
     * embeddings, which gain the added rows) under {@link #BACKBONE_PREFIX}, and new heads.
     */
    public static Map<String, Tensor> freshWeights(BertModel backbone, int hiddenSize, int maxWidth, Rng rng) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        backbone.stateDict().forEach((k, v) -> w.put(BACKBONE_PREFIX + k, v));
        w.put(WORD_EMBEDDINGS, withAddedRows(w.get(WORD_EMBEDDINGS), ADDED_TOKENS.size()));
        w.putAll(freshHeads(backbone.config().hiddenSize(), hiddenSize, rng));
        return w;
    }

    /** The heads alone (what training learns on a frozen backbone), PyTorch's default init. */
    public static Map<String, Tensor> freshHeads(int backboneHidden, int d, Rng rng) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        if (backboneHidden != d) put(w, "token_rep_layer.projection.", new Linear(backboneHidden, d, true, rng).stateDict());
        put(w, "rnn.lstm.", new Lstm(new Lstm.Config(d, d / 2, 1, true, true, true), rng).stateDict());
        String span = "span_rep_layer.span_rep_layer.";
        projection(w, span + "project_start.", d, d, rng);
        projection(w, span + "project_end.", d, d, rng);
        projection(w, span + "out_project.", 2 * d, d, rng);
        projection(w, "prompt_rep_layer.", d, d, rng);
        return w;
    }

    /** {@code create_projection_layer}: Linear(in, 4·out) as {@code 0.*}, Linear(4·out, out) as {@code 3.*}. */
    private static void projection(Map<String, Tensor> w, String prefix, int in, int out, Rng rng) {
        put(w, prefix + "0.", new Linear(in, 4 * out, true, rng).stateDict());
        put(w, prefix + "3.", new Linear(4 * out, out, true, rng).stateDict());
    }

    private static void put(Map<String, Tensor> w, String prefix, Map<String, Tensor> part) {
        part.forEach((k, v) -> w.put(prefix + k, v));
    }

    /** [V, H] → [V + n, H]: the new rows are the mean row. */
    static Tensor withAddedRows(Tensor emb, int n) {
        int v = emb.size(0), h = emb.size(1);
        float[] src = emb.contiguous().toFloatArray();
        float[] out = java.util.Arrays.copyOf(src, (v + n) * h);
        double[] mean = new double[h];
        for (int i = 0; i < v; i++) for (int j = 0; j < h; j++) mean[j] += src[i * h + j];
        for (int r = 0; r < n; r++) for (int j = 0; j < h; j++) out[(v + r) * h + j] = (float) (mean[j] / v);
        return Tensor.of(out, v + n, h);
    }
}
