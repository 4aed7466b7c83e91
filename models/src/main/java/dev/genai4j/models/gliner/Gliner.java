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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Zero-shot named-entity recognition with a GLiNER checkpoint folder ({@code gliner_config.json},
 * {@code model.safetensors}, {@code tokenizer.json}): entities of any type named at query time.
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

    private Gliner(GlinerConfig config, GlinerModel model, Tokenizer tokenizer, SafetensorsWeights weights) {
        this.config = config;
        this.model = model;
        this.tokenizer = tokenizer;
        this.weights = weights;
    }

    /** Loads a GLiNER folder; close the result to release the weights and the tokenizer. */
    public static Gliner load(Path folder) {
        Path cfgFile = folder.resolve("gliner_config.json");
        if (!Files.isRegularFile(cfgFile)) throw new CheckpointException("GLiNER: " + folder + " has no gliner_config.json");
        GlinerConfig config = GlinerConfig.from(JsonConfig.read(cfgFile));
        config.backbone();
        Tokenizer tok = HfTokenizer.load(folder);
        SafetensorsWeights w = null;
        try {
            int cls = config.classTokenIndex() >= 0 ? config.classTokenIndex() : tok.tokenToId(config.entToken());
            if (tok.tokenToId(config.entToken()) < 0 || tok.tokenToId(config.sepToken()) < 0) {
                throw new ConfigException("GLiNER: tokenizer.json in " + folder + " lacks the tokens '" + config.entToken() + "' / '" + config.sepToken() + "'");
            }
            w = Weights.open(folder);   // model.safetensors, or pytorch_model.bin through the restricted unpickler
            return new Gliner(config, GlinerModel.load(w, config, cls), tok, w);
        } catch (RuntimeException e) {
            if (w != null) w.close();
            tok.close();
            throw e;
        }
    }

    public GlinerConfig config() { return config; }

    /** Entities of {@code labels} in {@code text}, sorted by position. A text with no words gives none. */
    public List<Entity> extract(String text, List<String> labels, ExtractOptions options) {
        return extractBatch(List.of(text), labels, options).getFirst();
    }

    /** One list of entities per text, in order; all texts share {@code labels}. */
    public List<List<Entity>> extractBatch(List<String> texts, List<String> labels, ExtractOptions options) {
        checkLabels(labels);
        List<List<Entity>> out = new ArrayList<>();
        List<Integer> withWords = new ArrayList<>();
        List<List<WordSplitter.Word>> words = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null) throw new IllegalArgumentException("GLiNER: text " + i + " is null");
            out.add(List.of());
            List<WordSplitter.Word> ws = WordSplitter.split(t);
            if (ws.isEmpty()) continue;
            // the reference keeps the first max_len words
            words.add(ws.size() > config.maxLen() ? ws.subList(0, config.maxLen()) : ws);
            withWords.add(i);
        }
        if (words.isEmpty()) return out;
        GlinerProcessor.Prepared p = GlinerProcessor.collate(tokenizer, config, words, labels);
        int tokens = p.batch().inputIds()[0].length;
        if (tokens > model.maxTokens()) {
            // the reference would cut the tokens silently and lose the words past the cut
            throw new IllegalArgumentException("GLiNER: prompt (" + labels.size() + " labels) and text need " + tokens
                    + " tokens, more than the backbone's " + model.maxTokens() + "; split the text or the labels (chunking is not implemented yet)");
        }
        try (var g = NoGrad.enter()) {
            Tensor logits = model.forward(p.batch()).spanLogits();   // [B, W, K, C]
            for (int j = 0; j < words.size(); j++) {
                int i = withWords.get(j);
                List<SpanDecoder.Span> spans = SpanDecoder.decode(logits.select(0, j), words.get(j).size(),
                        options.threshold(), options.flat(), options.multiLabel());
                out.set(i, toEntities(texts.get(i), words.get(j), labels, spans));
            }
        }
        return out;
    }

    /** Word spans to character entities: {@code [start of first word, end of last word)} in code points. */
    static List<Entity> toEntities(String text, List<WordSplitter.Word> words, List<String> labels, List<SpanDecoder.Span> spans) {
        List<Entity> out = new ArrayList<>(spans.size());
        for (SpanDecoder.Span s : spans) {
            int start = words.get(s.start()).start(), end = words.get(s.end()).end();
            int from = text.offsetByCodePoints(0, start), to = text.offsetByCodePoints(from, end - start);
            out.add(new Entity(start, end, text.substring(from, to), labels.get(s.label()), s.score(), s.start(), s.end()));
        }
        return out;
    }

    private static void checkLabels(List<String> labels) {
        if (labels == null || labels.isEmpty()) throw new IllegalArgumentException("GLiNER: no labels given; name at least one entity type");
        Set<String> seen = new HashSet<>();
        for (String l : labels) {
            if (l == null || l.isBlank()) throw new IllegalArgumentException("GLiNER: empty label in " + labels);
            if (!seen.add(l)) throw new IllegalArgumentException("GLiNER: duplicate label '" + l + "' in " + labels);
        }
    }

    @Override
    public void close() {
        try {
            weights.close();
        } finally {
            tokenizer.close();
        }
    }
}
