package dev.genai4j.models.gliner;

import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference's data processing for the span model: the prompt {@code <<ENT>> l1 <<ENT>> l2 …
 * <<SEP>>} followed by the text's words, tokenized as pre-split words; {@code words_mask} marks
 * each text word's first sub-token with its 1-based number; candidate spans are every
 * (i, i + k) for k < max_width, masked when they run past the text, padded to the longest text.
 */
final class GlinerProcessor {
    private GlinerProcessor() {}

    /** A collated batch and the words of each text (at most {@code max_len}). */
    record Prepared(GlinerBatch batch, List<List<WordSplitter.Word>> words) {}

    /** {@code words} are already cut to {@code max_len} and non-empty. */
    static Prepared collate(Tokenizer tok, GlinerConfig cfg, List<List<WordSplitter.Word>> words, List<String> labels) {
        return collatePerRow(tok, cfg, words, java.util.Collections.nCopies(words.size(), labels));
    }

    /** As {@link #collate}, each row with its own labels (rows with fewer labels get fewer prompt vectors). */
    static Prepared collatePerRow(Tokenizer tok, GlinerConfig cfg, List<List<WordSplitter.Word>> words, List<List<String>> labels) {
        List<List<String>> inputs = new ArrayList<>();
        int[] promptLen = new int[words.size()];
        for (int i = 0; i < words.size(); i++) {
            List<String> in = prompt(cfg, labels.get(i));
            promptLen[i] = in.size();
            for (WordSplitter.Word w : words.get(i)) in.add(w.text());
            inputs.add(in);
        }
        List<Encoding> enc = tok.encodeWordsBatch(inputs, EncodeOptions.defaults().padToLongest());
        int b = words.size(), k = cfg.maxWidth();
        int maxWords = 0;
        for (List<WordSplitter.Word> ws : words) maxWords = Math.max(maxWords, ws.size());
        int[][] ids = new int[b][], mask = new int[b][], wordsMask = new int[b][], spanMask = new int[b][maxWords * k];
        int[][][] spanIdx = new int[b][maxWords * k][2];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            Encoding e = enc.get(i);
            int p = promptLen[i];
            ids[i] = e.ids();
            mask[i] = e.attentionMask();
            wordsMask[i] = new int[e.length()];
            int prev = -1;
            for (int t = 0; t < e.length(); t++) {
                int wid = e.wordIds()[t];
                if (wid >= p && wid != prev) wordsMask[i][t] = wid - p + 1;   // first sub-token of a text word
                prev = wid;
            }
            int n = words.get(i).size();
            lengths[i] = n;
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < k; j++) {
                    spanIdx[i][s * k + j][0] = s;
                    spanIdx[i][s * k + j][1] = s + j;
                    spanMask[i][s * k + j] = s + j < n ? 1 : 0;
                }
            }
        }
        return new Prepared(new GlinerBatch(ids, mask, wordsMask, lengths, spanIdx, spanMask), words);
    }

    /** {@code <<ENT>> l1 <<ENT>> l2 … <<SEP>>} as pre-split words; none for a bi-encoder (its labels have their own encoder). */
    static List<String> prompt(GlinerConfig cfg, List<String> labels) {
        List<String> prompt = new ArrayList<>();
        if (cfg.biEncoder()) return prompt;
        for (String l : labels) {
            prompt.add(cfg.entToken());
            prompt.add(l);
        }
        prompt.add(cfg.sepToken());
        return prompt;
    }

    /** Sub-tokens of each pre-split word, as the tokenizer splits it (no special tokens). */
    static int[] tokensPerWord(Tokenizer tok, List<String> words) {
        int[] out = new int[words.size()];
        if (words.isEmpty()) return out;
        Encoding e = tok.encodeWordsBatch(List.of(words), EncodeOptions.defaults().addSpecialTokens(false)).getFirst();
        for (int w : e.wordIds()) if (w >= 0) out[w]++;
        return out;
    }

    /** Special tokens the tokenizer adds around one sequence ([CLS] … [SEP]: 2). */
    static int specialTokens(Tokenizer tok, GlinerConfig cfg) {
        List<List<String>> one = List.of(List.of(cfg.sepToken()));
        return tok.encodeWordsBatch(one, EncodeOptions.defaults()).getFirst().length()
                - tok.encodeWordsBatch(one, EncodeOptions.defaults().addSpecialTokens(false)).getFirst().length();
    }
}
