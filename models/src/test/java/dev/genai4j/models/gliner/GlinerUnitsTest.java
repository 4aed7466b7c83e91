package dev.genai4j.models.gliner;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config reading, word splitting and span decoding on hand-made inputs. */
class GlinerUnitsTest {
    private static GlinerConfig cfg(String json) { return GlinerConfig.from(JsonConfig.parse(json, "gliner_config.json")); }

    @Test
    void configReadsOldAndNewRnnKeysAndDefaults() {
        assertEquals(1, cfg("{\"span_mode\":\"markerV0\",\"has_rnn\":true}").numRnnLayers());
        assertEquals(0, cfg("{\"has_rnn\":false}").numRnnLayers());
        assertEquals(2, cfg("{\"num_rnn_layers\":2,\"has_rnn\":true}").numRnnLayers());
        GlinerConfig d = cfg("{\"encoder_config\":null}");
        assertEquals(12, d.maxWidth());
        assertEquals(384, d.maxLen());
        assertEquals("<<ENT>>", d.entToken());
        assertEquals("<<SEP>>", d.sepToken());
        assertTrue(d.embedEntToken());
        assertEquals(null, d.encoderConfig());
        GlinerConfig e = cfg("{\"embed_ent_token\":false,\"class_token_index\":7,\"max_width\":8,\"max_len\":100,\"encoder_config\":{\"model_type\":\"bert\",\"hidden_size\":16}}");
        assertFalse(e.embedEntToken());
        assertEquals(7, e.classTokenIndex());
        assertEquals("bert", e.backbone());
        assertEquals("modernbert", cfg("{\"encoder_config\":{\"model_type\":\"modernbert\"},\"model_name\":\"bert-base-cased\"}").backbone());
    }

    @Test
    void configRejectsWhatCannotRun() {
        assertTrue(assertThrows(ConfigException.class, () -> cfg("{\"span_mode\":\"spiral\"}")).getMessage().contains("span_mode 'spiral' is unknown"));
        assertTrue(assertThrows(ConfigException.class, () -> cfg("{\"span_mode\":\"marker\"}")).getMessage().contains("not supported yet"));
        assertTrue(cfg("{\"span_mode\":\"token_level\"}").tokenLevel());
        assertTrue(assertThrows(ConfigException.class, () -> cfg("{\"words_splitter_type\":\"jieba\"}")).getMessage().contains("'jieba' is not supported"));
        String bi = assertThrows(ConfigException.class, () -> cfg("{\"labels_encoder\":\"BAAI/bge-small-en-v1.5\"}").labelsBackbone()).getMessage();
        assertTrue(bi.contains("bi-encoder") && bi.contains("labels_encoder_config is null"), bi);
        assertEquals("bert", cfg("{\"labels_encoder\":\"x\",\"labels_encoder_config\":{\"model_type\":\"bert\"}}").labelsBackbone());
        assertFalse(cfg("{\"labels_encoder\":null}").biEncoder());
        String deberta = assertThrows(ConfigException.class, () -> cfg("{\"encoder_config\":null,\"model_name\":\"someone/deberta-v3-tiny\"}").backbone()).getMessage();
        assertTrue(deberta.contains("encoder_config is null") && deberta.contains("someone/deberta-v3-tiny"), deberta);
        assertEquals("deberta-v2", cfg("{\"encoder_config\":null,\"model_name\":\"microsoft/mdeberta-v3-base\"}").backbone(), "published backbone named by model_name");
        assertEquals("deberta-v2", cfg("{\"encoder_config\":{\"model_type\":\"deberta-v2\"}}").backbone());
        assertTrue(assertThrows(ConfigException.class, () -> cfg("{\"encoder_config\":null,\"model_name\":\"bert-base-cased\"}").backbone()).getMessage().contains("encoder_config is null"));
        assertTrue(assertThrows(ConfigException.class, () -> cfg("{\"encoder_config\":{\"model_type\":\"xlm-roberta\"}}").backbone()).getMessage().contains("'xlm-roberta' is not supported"));
    }

    @Test
    void splitterFollowsPythonUnicodeWordRegex() {
        List<WordSplitter.Word> w = WordSplitter.split("Microsoft's state-of-the-art lab_2 in São Paulo, 10,5%!");
        assertEquals(List.of("Microsoft", "'", "s", "state-of-the-art", "lab_2", "in", "São", "Paulo", ",", "10", ",", "5", "%", "!"),
                w.stream().map(WordSplitter.Word::text).toList());
        assertEquals(12, w.get(3).start());
        assertEquals(28, w.get(3).end());
        // a combining mark is not \w in Python: "e\u0301" splits into "e" and the mark
        assertEquals(List.of("e", "\u0301", "x"), WordSplitter.split("e\u0301 x").stream().map(WordSplitter.Word::text).toList());
        // no-break and ideographic spaces separate words; emoji count as one character
        List<WordSplitter.Word> u = WordSplitter.split("a\u00a0b\u3000😀c");
        assertEquals(List.of("a", "b", "😀", "c"), u.stream().map(WordSplitter.Word::text).toList());
        assertEquals(4, u.get(2).start());
        assertEquals(5, u.get(3).start());
        assertEquals(List.of(), WordSplitter.split(" \t\n"));
    }

    /** logits [W=3, K=2, C=2] from probabilities; p ≤ 0 marks "below any threshold". */
    private static Tensor logits(float... probs) {
        float[] v = new float[probs.length];
        for (int i = 0; i < v.length; i++) v[i] = probs[i] <= 0 ? -20f : (float) Math.log(probs[i] / (1 - probs[i]));
        return Tensor.of(v, 3, 2, 2);
    }

    @Test
    void decoderFlatNestedAndMultiLabel() {
        // spans (start, width): (0,1)=[0..0], (0,2)=[0..1], (1,1)=[1..1], (1,2)=[1..2], (2,1)=[2..2], (2,2) past the end
        Tensor t = logits(
                0.6f, 0.55f,  0.9f, 0f,     // [0..0] label0 0.6 label1 0.55; [0..1] label0 0.9
                0.7f, 0f,     0f, 0.8f,     // [1..1] label0 0.7; [1..2] label1 0.8
                0f, 0.65f,    0.99f, 0.99f);// [2..2] label1 0.65; [2..3] runs past 3 words: dropped
        var flat = SpanDecoder.decode(t, 3, 0.5, true, false);
        assertEquals(List.of(new SpanDecoder.Span(0, 1, 0, flat.get(0).score())), flat.subList(0, 1));
        assertEquals(2, flat.size());
        assertEquals(new SpanDecoder.Span(2, 2, 1, flat.get(1).score()), flat.get(1));
        var nested = SpanDecoder.decode(t, 3, 0.5, false, false);
        // [0..1] 0.9, then [1..2] overlaps partly → out; [1..1] inside [0..1] → in; [0..0] inside → in (label0 0.6); [2..2] → in
        assertEquals(List.of("0-1:0", "0-0:0", "1-1:0", "2-2:1"), nested.stream().map(s -> s.start() + "-" + s.end() + ":" + s.label()).toList());
        var multi = SpanDecoder.decode(t, 3, 0.5, false, true);
        assertEquals(List.of("0-1:0", "0-0:0", "0-0:1", "1-1:0", "2-2:1"), multi.stream().map(s -> s.start() + "-" + s.end() + ":" + s.label()).toList());
        assertEquals(0.9, multi.get(0).score(), 1e-6);
        assertEquals(List.of(), SpanDecoder.decode(t, 3, 0.995, true, false));
    }

    /** Token-level decoding: start and end above the threshold, no inside below it, score = the least of them. */
    @Test
    void tokenDecoderMatchesStartsToEndsThroughInside() {
        // 4 words, 2 labels, (start, end, inside) probabilities; p <= 0 marks "far below"
        float[][][] p = {
                {{0.9f, 0.2f, 0.8f}, {0.1f, 0.1f, 0.1f}},   // word 0: label 0 starts
                {{0.2f, 0.7f, 0.75f}, {0.6f, 0.6f, 0.9f}},  // word 1: label 0 may end; label 1 starts and ends
                {{0.1f, 0.95f, 0.4f}, {0.1f, 0.1f, 0.9f}},  // word 2: label 0 inside too low
                {{0.1f, 0.9f, 0.9f}, {0.1f, 0.8f, 0.9f}}};  // word 3: ends
        float[] v = new float[4 * 2 * 3];
        for (int w = 0; w < 4; w++) for (int c = 0; c < 2; c++) for (int k = 0; k < 3; k++) v[(w * 2 + c) * 3 + k] = (float) Math.log(p[w][c][k] / (1 - p[w][c][k]));
        List<SpanDecoder.Span> cand = TokenDecoder.candidates(Tensor.of(v, 4, 2, 3), 4, 2, 0.5);
        assertEquals(List.of("0-1:0", "1-1:1", "1-3:1"), cand.stream().map(s -> s.start() + "-" + s.end() + ":" + s.label()).toList());
        assertEquals(0.7, cand.get(0).score(), 1e-6);    // min(start 0.9, inside 0.8, 0.75, end 0.7)
        assertEquals(0.6, cand.get(1).score(), 1e-6);
        assertEquals(0.6, cand.get(2).score(), 1e-6);    // min(start 0.6, inside 0.9.., end 0.8)
        // words past the text are never candidates
        assertEquals(List.of("0-1:0", "1-1:1"), TokenDecoder.candidates(Tensor.of(v, 4, 2, 3), 2, 2, 0.5).stream()
                .map(s -> s.start() + "-" + s.end() + ":" + s.label()).toList());
    }
}
