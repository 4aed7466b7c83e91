package dev.genai4j.models.bert;

import ai.onnxruntime.OrtSession;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.HfTokenizer;
import dev.genai4j.text.TokenizerException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sentence embeddings from the real MiniLM: ORT-pooled values, input order, similarity, truncation, bad input. */
class EmbedderTest {
    static final String NAME = "all-minilm-l6-v2";

    @Test
    void embeddingsAreOrtsMeanPooledHiddenStateInInputOrder() throws Exception {
        List<String> texts = List.of("The weather is lovely today, sunny and warm.", "It is sunny outside.",
                "He drove to the stadium.", "Wie alt bist du?");
        float[][] ours;
        try (Embedder e = Embedder.load(RealEncoders.folder(NAME))) {
            assertEquals(Pooling.MEAN, e.pooling());
            ours = e.embed(texts);
        }
        try (HfTokenizer tok = HfTokenizer.load(RealEncoders.folder(NAME).resolve("tokenizer.json"));
             OrtSession ort = RealEncoders.session(NAME, 2)) {
            for (int i = 0; i < texts.size(); i++) {
                List<Encoding> one = tok.encodeBatch(List.of(texts.get(i)), EncodeOptions.defaults());
                var in = Embedder.toTensors(one);
                float[][][] h = RealEncoders.ort(ort, in[0], in[1], in[2]);
                int[][] mask = {one.getFirst().attentionMask()};
                double[][][] hd = new double[1][h[0].length][h[0][0].length];
                for (int t = 0; t < h[0].length; t++) for (int c = 0; c < h[0][0].length; c++) hd[0][t][c] = h[0][t][c];
                double[] ref = BertReference.meanPoolNormalized(hd, mask)[0];
                double max = 0;
                for (int c = 0; c < ref.length; c++) max = Math.max(max, Math.abs(ref[c] - ours[i][c]));
                assertTrue(max < 1e-5, "text " + i + ": embedding differs from ORT's pooled output by " + max);
            }
        }
        double sim = Embedder.cosine(ours[0], ours[1]), other = Embedder.cosine(ours[0], ours[2]);
        assertTrue(sim > other + 0.2, "paraphrases must be closer (" + sim + ") than unrelated text (" + other + ")");
        assertEquals(1.0, Embedder.cosine(ours[3], ours[3]), 1e-6);
    }

    @Test
    void longTextIsTruncatedAndBadInputIsRejected() {
        try (Embedder e = Embedder.load(RealEncoders.folder(NAME))) {
            String longText = "token ".repeat(700);
            float[][] v = e.embed(List.of(longText));
            assertEquals(384, v[0].length);
            double norm = 0;
            for (float x : v[0]) norm += x * x;
            assertEquals(1.0, norm, 1e-5);
            var empty = assertThrows(TokenizerException.class, () -> e.embed(List.of("fine", "   ")));
            assertTrue(empty.getMessage().contains("text 1"), empty.getMessage());
            assertThrows(TokenizerException.class, () -> e.embed(List.of()));
            e.overflow(EncodeOptions.Overflow.ERROR);
            var tooLong = assertThrows(TokenizerException.class, () -> e.embed(List.of("short", longText, "tiny")));
            assertTrue(tooLong.getMessage().contains("text 1 has 702 tokens"), tooLong.getMessage());
        }
    }
}
