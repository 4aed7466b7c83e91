package dev.genai4j.models.clip;

import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.Tokenizer;
import dev.genai4j.text.TokenizerException;

import java.util.ArrayList;
import java.util.List;

/**
 * Texts tokenized for the CLIP text tower: ids and mask [M, T] padded to the longest text. A text
 * longer than {@code max_position_embeddings} (77) keeps its first tokens and its end-of-text
 * token, as HF's CLIPTokenizer with {@code truncation=True} does; its index is listed in
 * {@link #truncated()} and a warning is logged.
 *
 * <pre>{@code
 * ClipTextBatch b = ClipTextBatch.encode(tokenizer, List.of("a photo of a cat"), 77);
 * Tensor features = model.textFeatures(b.ids(), b.mask());
 * }</pre>
 */
public record ClipTextBatch(Tensor ids, Tensor mask, List<Integer> truncated) {
    private static final System.Logger LOG = System.getLogger(ClipTextBatch.class.getName());

    public static ClipTextBatch encode(Tokenizer tokenizer, List<String> texts, int maxTokens) {
        if (texts.isEmpty()) throw new TokenizerException("CLIP: no texts to encode");
        if (maxTokens < 2) throw new TokenizerException("CLIP: maxTokens must be ≥ 2 (start and end of text), got " + maxTokens);
        List<int[]> rows = new ArrayList<>();
        List<Integer> cut = new ArrayList<>();
        int longest = 0;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) throw new TokenizerException("CLIP: text " + i + " is null");
            Encoding e = tokenizer.encode(text);
            int[] ids = e.ids();
            if (ids.length > maxTokens) {
                int[] kept = new int[maxTokens];
                System.arraycopy(ids, 0, kept, 0, maxTokens - 1);
                kept[maxTokens - 1] = ids[ids.length - 1];   // the end-of-text token the pooling looks for
                LOG.log(System.Logger.Level.WARNING, "CLIP: text " + i + " has " + ids.length + " tokens, truncated to "
                        + maxTokens + " (the text tower's max_position_embeddings): \"" + abbreviate(text) + "\"");
                ids = kept;
                cut.add(i);
            }
            rows.add(ids);
            longest = Math.max(longest, ids.length);
        }
        int pad = Math.max(tokenizer.padTokenId(), 0);
        float[] ids = new float[texts.size() * longest], mask = new float[ids.length];
        for (int i = 0; i < rows.size(); i++) {
            int[] r = rows.get(i);
            for (int j = 0; j < longest; j++) {
                ids[i * longest + j] = j < r.length ? r[j] : pad;
                mask[i * longest + j] = j < r.length ? 1f : 0f;
            }
        }
        return new ClipTextBatch(Tensor.of(ids, texts.size(), longest), Tensor.of(mask, texts.size(), longest), List.copyOf(cut));
    }

    private static String abbreviate(String s) { return s.length() <= 60 ? s : s.substring(0, 57) + "..."; }
}
