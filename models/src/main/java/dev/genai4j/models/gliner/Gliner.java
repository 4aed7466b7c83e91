package dev.genai4j.models.gliner;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.HfTokenizer;
import dev.genai4j.text.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Zero-shot named-entity recognition with a GLiNER checkpoint folder ({@code gliner_config.json},
 * {@code model.safetensors}, {@code tokenizer.json}; a bi-encoder also {@code labels_encoder/tokenizer.json}):
 * entities of any type named at query time. Backbones BERT, ModernBERT and DeBERTa-v2/v3 (from
 * {@code encoder_config.model_type}); span modes {@code markerV0} and {@code token_level}; uni- and
 * bi-encoder models.
 *
 * <p>Beyond the reference: a text of any length is read whole, as overlapping windows that break
 * at sentence ends ({@link TextChunker}); labels whose prompt would take more than half the
 * backbone's tokens run as several passes ({@link PassPlanner}); the spans of all passes are
 * merged (the higher score where windows overlap) before one flat / nested selection, so entities
 * never clash across a window border. Spans longer than {@code max_width} words (possible only at
 * token level) may be cut where windows meet. Offsets count code points, as Python's {@code str}
 * indices (see {@link Entity}).
 *
 * <pre>{@code
 * try (Gliner g = Gliner.load(Path.of("models/gliner-small"))) {
 *     for (Entity e : g.extract("Marie Curie was born in Warsaw.", List.of("person", "location"), ExtractOptions.defaults()))
 *         System.out.println(e.text() + " => " + e.label());   // Marie Curie => person, Warsaw => location
 * }
 * }</pre>
 */
public final class Gliner implements AutoCloseable {
    private final GlinerConfig config;
    private final GlinerModel model;
    private final Tokenizer tokenizer;
    private final SafetensorsWeights weights;
    private final Tokenizer labelsTokenizer;   // bi-encoder only

    private Gliner(GlinerConfig config, GlinerModel model, Tokenizer tokenizer, SafetensorsWeights weights, Tokenizer labelsTokenizer) {
        this.config = config;
        this.model = model;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.labelsTokenizer = labelsTokenizer;
    }

    /** Loads a GLiNER folder; close the result to release the weights and the tokenizer. */
    public static Gliner load(Path folder) {
        Path cfgFile = folder.resolve("gliner_config.json");
        if (!Files.isRegularFile(cfgFile)) throw new CheckpointException("GLiNER: " + folder + " has no gliner_config.json");
        GlinerConfig config = GlinerConfig.from(JsonConfig.read(cfgFile));
        config.backbone();
        if (config.biEncoder()) config.labelsBackbone();
        Path labelsDir = folder.resolve("labels_encoder");
        if (config.biEncoder() && !Files.isRegularFile(labelsDir.resolve("tokenizer.json"))) {
            throw new CheckpointException("GLiNER: " + folder + " is a bi-encoder (labels_encoder is set) but has no labels_encoder/tokenizer.json;"
                    + " put the labels encoder's tokenizer.json there");
        }
        Tokenizer tok = HfTokenizer.load(folder);
        Tokenizer labelsTok = null;
        SafetensorsWeights w = null;
        try {
            if (config.biEncoder()) labelsTok = HfTokenizer.load(labelsDir);
            int cls = config.classTokenIndex() >= 0 ? config.classTokenIndex() : tok.tokenToId(config.entToken());
            if (!config.biEncoder() && (tok.tokenToId(config.entToken()) < 0 || tok.tokenToId(config.sepToken()) < 0)) {
                throw new ConfigException("GLiNER: tokenizer.json in " + folder + " lacks the tokens '" + config.entToken() + "' / '" + config.sepToken() + "'");
            }
            w = Weights.open(folder);   // model.safetensors, or pytorch_model.bin through the restricted unpickler
            return new Gliner(config, GlinerModel.load(w, config, cls), tok, w, labelsTok);
        } catch (RuntimeException e) {
            if (w != null) w.close();
            tok.close();
            if (labelsTok != null) labelsTok.close();
            throw e;
        }
    }

    public GlinerConfig config() { return config; }

    /** Encoder versus head time over this model's forward passes (see {@link GlinerStageTimes}). */
    public GlinerStageTimes stageTimes() { return model.stageTimes(); }

    /**
     * Entities of {@code labels} in {@code text}, sorted by position, with offsets in code points
     * (see {@link Entity}). A text of any length is read whole: longer texts run as overlapping
     * windows, many labels as several passes. A text with no words gives none.
     */
    public List<Entity> extract(String text, List<String> labels, ExtractOptions options) {
        return extractBatch(List.of(text), labels, options).getFirst();
    }

    /** One list of entities per text, in order; all texts share {@code labels}. */
    public List<List<Entity>> extractBatch(List<String> texts, List<String> labels, ExtractOptions options) {
        return extractBatchPerText(texts, java.util.Collections.nCopies(texts.size(), labels), options);
    }

    /**
     * One list of entities per text, in order, each text with its own labels; the passes of all
     * texts run together in batches of {@code options.batchSize()}.
     *
     * <pre>{@code
     * g.extractBatchPerText(List.of("Ada Lovelace wrote notes.", "The Nile floods."),
     *         List.of(List.of("person"), List.of("river")), ExtractOptions.defaults());
     * }</pre>
     *
     * @throws IllegalArgumentException when a text's labels are missing or one is empty (duplicates are dropped, first kept)
     */
    public List<List<Entity>> extractBatchPerText(List<String> texts, List<List<String>> labels, ExtractOptions options) {
        Merged m = merge(texts, labels, options.threshold(), options.batchSize());
        List<List<Entity>> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(toEntities(texts.get(i), m.words().get(i), m.labels().get(i),
                    SpanDecoder.greedy(m.candidates().get(i), options.flat(), options.multiLabel())));
        }
        return out;
    }

    /**
     * Per text: its words, its labels (duplicates dropped) and every span above the threshold over
     * all its passes, in the text's word and label numbering, the higher score kept where windows
     * overlap, listed in the order one pass lists them ({@link #candidateOrder}).
     */
    record Merged(List<List<WordSplitter.Word>> words, List<List<String>> labels, List<List<SpanDecoder.Span>> candidates) {}

    Merged merge(List<String> texts, List<List<String>> labels, double threshold, int batchSize) {
        if (texts.size() != labels.size()) throw new IllegalArgumentException("GLiNER: " + texts.size() + " texts but " + labels.size() + " label lists");
        int n = texts.size();
        List<List<String>> labelSets = new ArrayList<>(n);
        List<List<WordSplitter.Word>> words = new ArrayList<>(n);
        List<PassPlanner.Pass> passes;
        for (int i = 0; i < n; i++) {
            String t = texts.get(i);
            if (t == null) throw new IllegalArgumentException("GLiNER: text " + i + " is null");
            labelSets.add(normalizeLabels(labels.get(i)));
            words.add(WordSplitter.split(t));
        }
        passes = plan(words, labelSets);
        List<java.util.Map<SpanKey, Float>> found = new ArrayList<>(n);
        for (int i = 0; i < n; i++) found.add(new java.util.HashMap<>());
        try (var g = NoGrad.enter()) {
            for (int from = 0; from < passes.size(); from += batchSize) {
                run(passes.subList(from, Math.min(passes.size(), from + batchSize)), words, threshold, found);
            }
        }
        List<List<SpanDecoder.Span>> cands = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<SpanDecoder.Span> cand = new ArrayList<>(found.get(i).size());
            found.get(i).forEach((k, v) -> cand.add(new SpanDecoder.Span(k.start(), k.end(), k.label(), v)));
            cand.sort(candidateOrder(config));
            cands.add(cand);
        }
        return new Merged(words, labelSets, cands);
    }

    /** The order one pass lists candidates in, so that equal scores break as the reference breaks them. */
    static java.util.Comparator<SpanDecoder.Span> candidateOrder(GlinerConfig config) {
        var byStart = java.util.Comparator.comparingInt(SpanDecoder.Span::start);
        return config.tokenLevel() ? byStart.thenComparingInt(SpanDecoder.Span::label).thenComparingInt(SpanDecoder.Span::end)
                : byStart.thenComparingInt(SpanDecoder.Span::end).thenComparingInt(SpanDecoder.Span::label);
    }

    /** The passes for these texts (texts without words get none), text by text. */
    List<PassPlanner.Pass> plan(List<List<WordSplitter.Word>> words, List<List<String>> labelSets) {
        PassPlanner.Costs costs = costs();
        java.util.Map<List<String>, int[]> labelTokens = new java.util.HashMap<>();
        List<PassPlanner.Pass> passes = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            List<WordSplitter.Word> ws = words.get(i);
            if (ws.isEmpty()) continue;
            int[] lt = labelTokens.computeIfAbsent(labelSets.get(i), k -> config.biEncoder() ? new int[k.size()] : GlinerProcessor.tokensPerWord(tokenizer, k));
            int[] wt = GlinerProcessor.tokensPerWord(tokenizer, ws.stream().map(WordSplitter.Word::text).toList());
            passes.addAll(PassPlanner.plan(i, ws, wt, labelSets.get(i), lt, costs));
        }
        return passes;
    }

    /** A span in a text's word and label numbering. */
    private record SpanKey(int start, int end, int label) {}

    /** One forward over {@code batch}; every span above the threshold joins its text's candidates, the higher score kept when windows overlap. */
    private void run(List<PassPlanner.Pass> batch, List<List<WordSplitter.Word>> words, double threshold, List<java.util.Map<SpanKey, Float>> found) {
        List<List<WordSplitter.Word>> rows = new ArrayList<>(batch.size());
        List<List<String>> rowLabels = new ArrayList<>(batch.size());
        for (PassPlanner.Pass p : batch) {
            rows.add(words.get(p.text()).subList(p.from(), p.to()));
            rowLabels.add(p.labels());
        }
        GlinerProcessor.Prepared prep = GlinerProcessor.collatePerRow(tokenizer, config, rows, rowLabels);
        int tokens = prep.batch().inputIds()[0].length;
        if (tokens > model.maxTokens()) {
            // the plan counted each word's tokens alone; a tokenizer whose split depends on neighbours would land here
            throw new IllegalStateException("GLiNER: a planned pass needs " + tokens + " tokens, more than the backbone's " + model.maxTokens());
        }
        GlinerModel.Output o = config.biEncoder() ? model.forward(prep.batch(), labelVectors(rowLabels)) : model.forward(prep.batch());
        boolean token = config.tokenLevel();
        Tensor logits = token ? o.tokenLogits() : o.spanLogits();   // [B, W, C, 3] or [B, W, K, C]
        for (int r = 0; r < batch.size(); r++) {
            PassPlanner.Pass p = batch.get(r);
            var map = found.get(p.text());
            int nWords = p.to() - p.from(), nLabels = p.labels().size();
            List<SpanDecoder.Span> cands = token ? TokenDecoder.candidates(logits.select(0, r), nWords, nLabels, threshold)
                    : SpanDecoder.candidates(logits.select(0, r), nWords, nLabels, threshold);
            for (SpanDecoder.Span s : cands) {
                map.merge(new SpanKey(s.start() + p.from(), s.end() + p.from(), s.label() + p.labelOffset()), (float) s.score(), Math::max);
            }
        }
    }

    /** [B, C, D]: each row's labels through the labels encoder, zero-padded to the most labels (bi-encoder). */
    private Tensor labelVectors(List<List<String>> rowLabels) {
        java.util.Map<List<String>, float[]> cache = new java.util.HashMap<>();
        int d = config.hiddenSize(), maxC = 0;
        for (List<String> ls : rowLabels) maxC = Math.max(maxC, ls.size());
        float[] out = new float[rowLabels.size() * maxC * d];
        for (int r = 0; r < rowLabels.size(); r++) {
            float[] v = cache.computeIfAbsent(rowLabels.get(r), ls -> {
                List<dev.genai4j.text.Encoding> enc = labelsTokenizer.encodeBatch(ls, dev.genai4j.text.EncodeOptions.defaults().padToLongest());
                int[][] ids = new int[ls.size()][], mask = new int[ls.size()][];
                for (int i = 0; i < ls.size(); i++) {
                    ids[i] = enc.get(i).ids();
                    mask[i] = enc.get(i).attentionMask();
                }
                return model.encodeLabels(ids, mask).contiguous().toFloatArray();   // [C, D]
            });
            System.arraycopy(v, 0, out, r * maxC * d, v.length);
        }
        return Tensor.of(out, rowLabels.size(), maxC, d);
    }

    private PassPlanner.Costs costs() {
        if (config.biEncoder()) {
            // labels have their own encoder: the text has the whole backbone to itself
            return new PassPlanner.Costs(model.maxTokens(), GlinerProcessor.specialTokens(tokenizer, config), 0, 0, config.maxLen(), config.maxWidth(),
                    BI_ENCODER_LABELS_PER_PASS);
        }
        int[] entSep = GlinerProcessor.tokensPerWord(tokenizer, List.of(config.entToken(), config.sepToken()));
        return new PassPlanner.Costs(model.maxTokens(), GlinerProcessor.specialTokens(tokenizer, config), entSep[0], entSep[1],
                config.maxLen(), config.maxWidth(), Integer.MAX_VALUE);
    }

    /** A bi-encoder's labels cost the text nothing; this many per pass bounds the span scores' memory. */
    static final int BI_ENCODER_LABELS_PER_PASS = 128;

    /** Word spans to character entities: {@code [start of first word, end of last word)} in code points. */
    static List<Entity> toEntities(String text, List<WordSplitter.Word> words, List<String> labels, List<SpanDecoder.Span> spans) {
        List<Entity> out = new ArrayList<>(spans.size());
        int[] charAt = text.length() == text.codePointCount(0, text.length()) ? null : codePointToChar(text);
        for (SpanDecoder.Span s : spans) {
            int start = words.get(s.start()).start(), end = words.get(s.end()).end();
            int from = charAt == null ? start : charAt[start], to = charAt == null ? end : charAt[end];
            out.add(new Entity(start, end, text.substring(from, to), labels.get(s.label()), s.score(), s.start(), s.end()));
        }
        return out;
    }

    /** [code points + 1]: the UTF-16 index of each code point, and the text's length at the end. */
    private static int[] codePointToChar(String text) {
        int[] at = new int[text.codePointCount(0, text.length()) + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) at[cp++] = i;
        at[cp] = text.length();
        return at;
    }

    /**
     * Throws what {@link #extract} would throw for these labels (none, or an empty one); duplicates are fine.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void checkLabels(List<String> labels) { normalizeLabels(labels); }

    /** The labels without duplicates (first occurrence kept, order kept). */
    static List<String> normalizeLabels(List<String> labels) {
        if (labels == null || labels.isEmpty()) throw new IllegalArgumentException("GLiNER: no labels given; name at least one entity type");
        Set<String> seen = new java.util.LinkedHashSet<>();
        for (String l : labels) {
            if (l == null || l.isBlank()) throw new IllegalArgumentException("GLiNER: empty label in " + labels);
            seen.add(l);
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        try {
            weights.close();
        } finally {
            tokenizer.close();
            if (labelsTokenizer != null) labelsTokenizer.close();
        }
    }
}
