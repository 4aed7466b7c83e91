package dev.genai4j.models.modernbert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.TopK;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.HfTokenizer;
import dev.genai4j.text.Tokenizer;
import dev.genai4j.text.TokenizerException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fill-mask, as HF's {@code fill-mask} pipeline: the text, written with the tokenizer's mask token,
 * goes through the masked-LM; at every mask position the vocabulary probabilities
 * (softmax of the logits) give the top-k tokens, each with the text where it replaces that mask.
 *
 * <pre>{@code
 * try (FillMask fm = FillMask.load(Path.of("ModernBERT-base"))) {
 *     for (FillMask.Prediction p : fm.predict("The capital of France is [MASK].", 5).getFirst())
 *         System.out.println(p.token() + " " + p.score());       // " Paris" 0.87 …
 * }
 * }</pre>
 */
public final class FillMask implements AutoCloseable {
    /**
     * One candidate for one mask.
     *
     * @param tokenId  vocabulary id
     * @param token    the token as the vocabulary spells it (e.g. {@code Ġparis})
     * @param text     the token decoded on its own (HF {@code token_str})
     * @param score    its probability at the mask position
     * @param sequence the whole text with this token in place of the mask, specials dropped
     */
    public record Prediction(int tokenId, String token, String text, float score, String sequence) {}

    private static final List<String> MASK_NAMES = List.of("[MASK]", "<mask>", "<|mask|>");

    private final ModernBertForMaskedLM model;
    private final Tokenizer tokenizer;
    private final int maskId;
    private final boolean owns;

    /** Over a model and tokenizer the caller keeps and closes; {@code maskToken} as the tokenizer spells it. */
    public FillMask(ModernBertForMaskedLM model, Tokenizer tokenizer, String maskToken) {
        this(model, tokenizer, maskToken, false);
    }

    private FillMask(ModernBertForMaskedLM model, Tokenizer tokenizer, String maskToken, boolean owns) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.owns = owns;
        int id = tokenizer.tokenToId(maskToken);
        if (id < 0) throw new TokenizerException("fill-mask: the tokenizer has no token '" + maskToken + "'");
        if (id >= model.config().vocabSize()) {
            throw new TokenizerException("fill-mask: mask token '" + maskToken + "' has id " + id + ", outside the model's vocab_size "
                    + model.config().vocabSize());
        }
        this.maskId = id;
    }

    /** Over a model and tokenizer the caller keeps; the mask token found among the tokenizer's specials. */
    public FillMask(ModernBertForMaskedLM model, Tokenizer tokenizer) {
        this(model, tokenizer, maskTokenOf(tokenizer, null), false);
    }

    /**
     * Opens a HF folder with {@code config.json}, {@code model.safetensors} and {@code tokenizer.json}
     * (the mask token from {@code tokenizer_config.json} when present). Close it when done.
     */
    public static FillMask load(Path dir) {
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new CheckpointException("fill-mask: " + dir + " has no tokenizer.json");
        }
        ModernBertForMaskedLM model = ModernBertForMaskedLM.load(dir);
        HfTokenizer tok = null;
        try {
            tok = HfTokenizer.load(dir);
            return new FillMask(model, tok, maskTokenOf(tok, dir.resolve("tokenizer_config.json")), true);
        } catch (RuntimeException e) {
            if (tok != null) tok.close();
            model.close();
            throw e;
        }
    }

    /** The mask token's id. */
    public int maskId() { return maskId; }

    /**
     * One list of {@code topK} predictions (best first) per mask token in {@code text}, in text order.
     *
     * @throws IllegalArgumentException for empty text, text without a mask, {@code topK < 1}, or text
     *                                  longer than the model's max_position_embeddings
     */
    public List<List<Prediction>> predict(String text, int topK) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("fill-mask: the text is empty");
        if (topK < 1) throw new IllegalArgumentException("fill-mask: top-k must be ≥ 1, got " + topK);
        Encoding enc = tokenizer.encode(text);
        int[] ids = enc.ids();
        List<Integer> masks = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) if (ids[i] == maskId) masks.add(i);
        if (masks.isEmpty()) {
            throw new IllegalArgumentException("fill-mask: the text has no mask token '" + tokenizer.idToToken(maskId) + "': " + text);
        }
        int max = model.config().maxPositionEmbeddings();
        if (ids.length > max) {
            throw new IllegalArgumentException("fill-mask: the text is " + ids.length + " tokens, the model takes at most " + max
                    + " (max_position_embeddings); shorten it so that the mask stays in");
        }
        int vocab = model.config().vocabSize();
        // ids past the tokenizer's table (ModernBERT pads vocab_size to a multiple of 64) cannot be shown
        int shown = Math.min(vocab, tokenizer.vocabSize());
        int k = Math.min(topK, shown);
        float[] idsF = new float[ids.length];
        for (int i = 0; i < ids.length; i++) idsF[i] = ids[i];
        List<List<Prediction>> out = new ArrayList<>();
        try (var g = NoGrad.enter()) {
            Tensor hidden = model.model().forward(Tensor.of(idsF, 1, ids.length)).select(0, 0);   // [T, H]
            float[] rows = new float[masks.size()];
            for (int m = 0; m < rows.length; m++) rows[m] = masks.get(m);
            Tensor probs = model.logits(hidden.indexSelect(0, Tensor.of(rows, rows.length))).softmax(-1);   // [M, V]
            Tensor ranked = shown == vocab ? probs : probs.narrow(1, 0, shown);
            TopK best = ranked.topk(k, -1);
            float[] p = best.values().toFloatArray(), idx = best.indices().toFloatArray();
            for (int m = 0; m < rows.length; m++) {
                List<Prediction> list = new ArrayList<>(k);
                for (int r = 0; r < k; r++) {
                    int id = (int) idx[m * k + r];
                    int[] filled = ids.clone();
                    filled[masks.get(m)] = id;
                    list.add(new Prediction(id, tokenizer.idToToken(id), tokenizer.decode(new int[]{id}, false), p[m * k + r],
                            tokenizer.decode(filled, true)));
                }
                out.add(List.copyOf(list));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The mask token: {@code mask_token} of {@code tokenizer_config.json} if given and present,
     * else the first special token named like a mask ({@code [MASK]}, {@code <mask>} …).
     */
    static String maskTokenOf(Tokenizer tok, Path tokenizerConfig) {
        if (tokenizerConfig != null && Files.isRegularFile(tokenizerConfig)) {
            JsonNode m = JsonConfig.read(tokenizerConfig).tree().get("mask_token");
            if (m != null && m.isObject()) m = m.get("content");
            if (m != null && m.isTextual()) return m.textValue();
        }
        Map<String, Integer> specials = tok.specialTokens();
        for (String name : MASK_NAMES) if (specials.containsKey(name)) return name;
        for (String name : specials.keySet()) if (name.toLowerCase(Locale.ROOT).contains("mask")) return name;
        for (String name : MASK_NAMES) if (tok.tokenToId(name) >= 0) return name;
        throw new TokenizerException("fill-mask: the tokenizer has no mask token (looked for " + MASK_NAMES
                + " among its special tokens " + specials.keySet() + ")");
    }

    @Override
    public void close() {
        if (!owns) return;
        try {
            tokenizer.close();
        } finally {
            model.close();
        }
    }
}
