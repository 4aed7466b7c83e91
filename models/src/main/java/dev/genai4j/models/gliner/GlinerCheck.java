package dev.genai4j.models.gliner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.FamilyCheck;
import dev.genai4j.models.check.FixtureCase;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code genai4j check} for GLiNER cases (a {@code gliner_config.json}): runs {@link GlinerModel} on
 * the collated inputs of {@code inputs.json} ({@code input_ids}, {@code attention_mask},
 * {@code words_mask}, {@code text_lengths}, {@code span_idx}, {@code span_mask}) and returns
 * {@code span_logits} (or, for span mode {@code token_level}, {@code token_logits} [B, W, C, 3]),
 * {@code words_embedding}, {@code prompts_embedding}. When the case has
 * {@code expected_entities.json}, {@link #checkExtra} decodes our logits with its threshold and
 * modes and compares the entities (start, end, text, label and, when given, word_start / word_end
 * exact; score within 1e-4).
 */
public final class GlinerCheck implements FamilyCheck {
    /** Entity scores may differ by this much (the fixtures README's figure). */
    static final double SCORE_TOL = 1e-4;

    @Override
    public String family() { return "gliner"; }

    @Override
    public boolean accepts(FixtureCase c) { return Files.exists(c.dir().resolve("gliner_config.json")); }

    @Override
    public Map<String, Tensor> run(FixtureCase c) {
        if (c.inputs() == null) throw new CheckpointException("check " + c.dir() + ": gliner needs inputs.json");
        GlinerConfig config = GlinerConfig.from(c.config());
        JsonNode in = c.inputs();
        int[] lengths = new int[in.get("text_lengths").size()];
        for (int i = 0; i < lengths.length; i++) lengths[i] = in.get("text_lengths").get(i).get(0).asInt();
        GlinerBatch batch = new GlinerBatch(ints2(c, "input_ids"), ints2(c, "attention_mask"), ints2(c, "words_mask"), lengths,
                ints3(c, "span_idx"), ints2(c, "span_mask"));
        try (SafetensorsWeights w = Weights.open(c.dir())) {
            GlinerModel m = GlinerModel.load(w, config, config.classTokenIndex());
            GlinerModel.Output o;
            if (config.biEncoder()) {
                // the labels' own token ids: [C, Tl], shared by every text
                Tensor labels = m.encodeLabels(ints2(c, "labels_input_ids"), ints2(c, "labels_attention_mask"));   // [C, D]
                int n = labels.size(0), d = labels.size(1);
                o = m.forward(batch, labels.unsqueeze(0).expand(lengths.length, n, d).contiguous());
            } else {
                o = m.forward(batch);
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            // copies: the weights are unmapped when this method returns
            if (o.spanLogits() != null) out.put("span_logits", copy(o.spanLogits()));
            if (o.tokenLogits() != null) out.put("token_logits", copy(o.tokenLogits()));
            out.put("words_embedding", copy(o.wordsEmbedding()));
            out.put("prompts_embedding", copy(o.promptsEmbedding()));
            return out;
        }
    }

    @Override
    public List<CheckResult.Line> checkExtra(FixtureCase c, Map<String, Tensor> ours) {
        Path file = c.dir().resolve("expected_entities.json");
        if (!Files.exists(file)) return List.of();
        boolean token = GlinerConfig.from(c.config()).tokenLevel();
        String key = token ? "token_logits" : "span_logits";
        Tensor logits = ours.get(key);
        if (logits == null) return List.of(new CheckResult.Line("entities", Double.NaN, Double.NaN, false, "no " + key + " to decode"));
        JsonNode exp = JsonConfig.read(file).tree();
        JsonNode in = c.inputs();
        double threshold = exp.get("threshold").asDouble();
        boolean flat = exp.get("flat_ner").asBoolean(), multi = exp.get("multi_label").asBoolean();
        List<String> labels = strings(in.get("labels"));
        double maxDiff = 0;
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (int b = 0; b < logits.size(0); b++) {
            List<String> words = strings(in.get("words").get(b));
            List<WordSplitter.Word> ws = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                ws.add(new WordSplitter.Word(words.get(i), in.get("word_start_chars").get(b).get(i).asInt(), in.get("word_end_chars").get(b).get(i).asInt()));
            }
            List<SpanDecoder.Span> cands = token ? TokenDecoder.candidates(logits.select(0, b), words.size(), labels.size(), threshold)
                    : SpanDecoder.candidates(logits.select(0, b), words.size(), labels.size(), threshold);
            List<Entity> mine = Gliner.toEntities(in.get("texts").get(b).asText(), ws, labels, SpanDecoder.greedy(cands, flat, multi));
            JsonNode want = exp.get("entities").get(b);
            if (mine.size() != want.size()) problems.add("text " + b + ": " + mine.size() + " entities, expected " + want.size());
            for (int i = 0; i < Math.min(mine.size(), want.size()); i++) {
                Entity e = mine.get(i);
                JsonNode x = want.get(i);
                n++;
                if (e.start() != x.get("start").asInt() || e.end() != x.get("end").asInt() || !e.text().equals(x.get("text").asText())
                        || !e.label().equals(x.get("label").asText())
                        || (x.has("word_start") && (e.wordStart() != x.get("word_start").asInt() || e.wordEnd() != x.get("word_end").asInt()))) {
                    problems.add("text " + b + " entity " + i + ": " + e + ", expected " + x);
                }
                double d = Math.abs(e.score() - x.get("score").asDouble());
                maxDiff = Math.max(maxDiff, d);
                if (!(d <= SCORE_TOL)) problems.add("text " + b + " entity " + i + " score " + e.score() + ", expected " + x.get("score").asDouble());
            }
        }
        String why = problems.isEmpty() ? n + " entities" : String.join("; ", problems);
        return List.of(new CheckResult.Line("entities", maxDiff, Double.NaN, problems.isEmpty(), why));
    }

    private static Tensor copy(Tensor t) { return Tensor.of(t.contiguous().toFloatArray(), t.shape()); }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static JsonNode required(FixtureCase c, String key) {
        JsonNode n = c.inputs().get(key);
        if (n == null || !n.isArray()) throw new CheckpointException("check " + c.dir() + ": inputs.json has no array '" + key + "'");
        return n;
    }

    private static int[][] ints2(FixtureCase c, String key) {
        JsonNode n = required(c, key);
        int[][] out = new int[n.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new int[n.get(i).size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = n.get(i).get(j).asInt();
        }
        return out;
    }

    private static int[][][] ints3(FixtureCase c, String key) {
        JsonNode n = required(c, key);
        int[][][] out = new int[n.size()][][];
        for (int i = 0; i < out.length; i++) {
            JsonNode row = n.get(i);
            out[i] = new int[row.size()][];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = new int[row.get(j).size()];
                for (int k = 0; k < out[i][j].length; k++) out[i][j][k] = row.get(j).get(k).asInt();
            }
        }
        return out;
    }
}
