package dev.genai4j.models.gliner.train;

import dev.genai4j.data.NerExample;
import dev.genai4j.models.gliner.GlinerBatch;
import dev.genai4j.models.gliner.GlinerConfig;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.Tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Turns NER examples into model inputs and span targets, as the reference's
 * {@code UniEncoderSpanProcessor} does for training: each example gets its own prompt of types,
 * every (start, width &lt; max_width) span is a candidate, and a candidate is positive for each of
 * the example's types that annotates exactly that span (multi-label). Spans running past the text
 * are masked; types past an example's own count are padding.
 *
 * <p>The types of a training example ({@link #sampleTypes}, {@code batch_generate_class_mappings}):
 * its own labels plus in-batch negatives — up to {@code len(ner) · r} of the batch's types, with r
 * uniform in [0, max_neg_type_ratio] — de-duplicated, shuffled and cut to {@code max_types}. With
 * {@code dropTypes} (the reference's {@code random_drop}) a random number (1..n) of the positive
 * types is kept first, so the model learns to tag only what it is asked for.
 *
 * <pre>{@code
 * List<List<String>> types = NerCollator.sampleTypes(batch, settings, new Random(step));
 * NerCollator.Collated c = NerCollator.collate(tokenizer, config, batch, types);
 * }</pre>
 */
public final class NerCollator {
    private NerCollator() {}

    /** How training prompts are drawn. */
    public record Settings(int maxTypes, int maxNegTypeRatio, int sampledNegatives, boolean dropTypes) {
        public Settings {
            if (maxTypes < 1 || maxNegTypeRatio < 0 || sampledNegatives < 0) {
                throw new IllegalArgumentException("NER collator: max types " + maxTypes + " must be >= 1, neg-type ratio "
                        + maxNegTypeRatio + " and sampled negatives " + sampledNegatives + " >= 0");
            }
        }
    }

    /**
     * @param batch     model inputs
     * @param types     the prompt of each example, in order
     * @param words     words per example (after cutting to max_len)
     * @param targets   [B, S, C] 0/1, S = maxWords · maxWidth, C = most types
     * @param typeMask  [B, C]
     * @param spanMask  [B, S]
     */
    public record Collated(GlinerBatch batch, List<List<String>> types, int[] words, float[] targets, float[] typeMask, float[] spanMask,
                           int maxTypes) {}

    /** The reference's per-example types for a training batch; {@code rng} decides every draw. */
    public static List<List<String>> sampleTypes(List<NerExample> batch, Settings s, Random rng) {
        Set<String> all = new java.util.TreeSet<>();
        for (NerExample e : batch) for (NerExample.Span sp : e.ner()) all.add(sp.label());
        List<String> negatives = new ArrayList<>(all);
        Collections.shuffle(negatives, rng);
        negatives = negatives.subList(0, Math.min(s.sampledNegatives(), negatives.size()));
        List<List<String>> out = new ArrayList<>(batch.size());
        for (NerExample e : batch) {
            List<String> own = new ArrayList<>(new LinkedHashSet<>(e.ner().stream().map(NerExample.Span::label).toList()));
            if (s.dropTypes() && own.size() > 1) {
                Collections.shuffle(own, rng);
                own = own.subList(0, 1 + rng.nextInt(own.size()));
            }
            int ratio = s.maxNegTypeRatio() == 0 ? 0 : rng.nextInt(s.maxNegTypeRatio() + 1);
            int negCount = Math.min(negatives.size(), e.ner().size() * ratio);
            Set<String> types = new LinkedHashSet<>(own);
            types.addAll(negatives.subList(0, negCount));
            List<String> shuffled = new ArrayList<>(types);
            Collections.shuffle(shuffled, rng);
            out.add(List.copyOf(shuffled.subList(0, Math.min(s.maxTypes(), shuffled.size()))));
        }
        return out;
    }

    /** Inputs and targets for {@code examples} with the given prompt per example (each non-empty). */
    public static Collated collate(Tokenizer tok, GlinerConfig cfg, List<NerExample> examples, List<List<String>> types) {
        int b = examples.size(), k = cfg.maxWidth();
        if (types.size() != b) throw new IllegalArgumentException("NER collator: " + types.size() + " prompts for " + b + " examples");
        int maxWords = 0, maxC = 0;
        int[] n = new int[b];
        for (int i = 0; i < b; i++) {
            if (types.get(i).isEmpty()) throw new IllegalArgumentException("NER collator: example " + i + " has no entity types to ask for");
            if (examples.get(i).tokens().isEmpty()) throw new IllegalArgumentException("NER collator: example " + i + " has no words");
            n[i] = Math.min(cfg.maxLen(), examples.get(i).tokens().size());
            maxWords = Math.max(maxWords, n[i]);
            maxC = Math.max(maxC, types.get(i).size());
        }
        List<List<String>> inputs = new ArrayList<>(b);
        int[] promptLen = new int[b];
        for (int i = 0; i < b; i++) {
            List<String> in = new ArrayList<>();
            for (String t : types.get(i)) {
                in.add(cfg.entToken());
                in.add(t);
            }
            in.add(cfg.sepToken());
            promptLen[i] = in.size();
            in.addAll(examples.get(i).tokens().subList(0, n[i]));
            inputs.add(in);
        }
        List<Encoding> enc = tok.encodeWordsBatch(inputs, EncodeOptions.defaults().padToLongest());
        int s = maxWords * k;
        int[][] ids = new int[b][], mask = new int[b][], wordsMask = new int[b][], spanMaskI = new int[b][s];
        int[][][] spanIdx = new int[b][s][2];
        float[] targets = new float[b * s * maxC], typeMask = new float[b * maxC], spanMask = new float[b * s];
        for (int i = 0; i < b; i++) {
            Encoding e = enc.get(i);
            ids[i] = e.ids();
            mask[i] = e.attentionMask();
            wordsMask[i] = new int[e.length()];
            int prev = -1;
            for (int t = 0; t < e.length(); t++) {
                int wid = e.wordIds()[t];
                if (wid >= promptLen[i] && wid != prev) wordsMask[i][t] = wid - promptLen[i] + 1;   // first sub-token of a text word
                prev = wid;
            }
            for (int st = 0; st < n[i]; st++) {
                for (int j = 0; j < k; j++) {
                    spanIdx[i][st * k + j][0] = st;
                    spanIdx[i][st * k + j][1] = st + j;
                    int valid = st + j < n[i] ? 1 : 0;
                    spanMaskI[i][st * k + j] = valid;
                    spanMask[i * s + st * k + j] = valid;
                }
            }
            List<String> ti = types.get(i);
            for (int c = 0; c < ti.size(); c++) typeMask[i * maxC + c] = 1;
            for (NerExample.Span sp : examples.get(i).ner()) {
                int c = ti.indexOf(sp.label()), w = sp.end() - sp.start();
                if (c < 0 || w >= k || sp.end() >= n[i]) continue;   // not asked for, too wide, or cut off
                targets[(i * s + sp.start() * k + w) * maxC + c] = 1;
            }
        }
        return new Collated(new GlinerBatch(ids, mask, wordsMask, n, spanIdx, spanMaskI), types, n, targets, typeMask, spanMask, maxC);
    }
}
