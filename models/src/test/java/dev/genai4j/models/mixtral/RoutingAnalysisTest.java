package dev.genai4j.models.mixtral;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.HfTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The routing analysis of a tiny random Mixtral against a hand computation from its router logits. */
class RoutingAnalysisTest {
    static final String TEXT = "The router scores each expert and keeps the two best. public int add(int a, int b) { return a + b; } "
            + "Question: What is 12 + 30? Answer: 42. The quick brown fox jumps over the lazy dog.";

    @Test
    void statisticsMatchTheArgmaxOfTheRouterLogits(@TempDir Path dir) {
        MixtralConfig c = MixtralTrainerTest.tiny(dir, 1).modelConfig(300);
        MixtralInit.writeTokenizer(dir, 300, null);
        MixtralForCausalLM lm = MixtralTrainer.fresh(c, 5);
        lm.eval();   // no router jitter in the hand computation either
        try (HfTokenizer tok = HfTokenizer.load(dir.resolve("tokenizer.json"))) {
            int[] ids = tok.encodeBatch(List.of(TEXT), EncodeOptions.defaults().addSpecialTokens(false)).getFirst().ids();
            int window = 8, windows = ids.length / window;
            assertTrue(windows >= 3, "sample too short: " + ids.length);
            RoutingAnalysis.Domain d = RoutingAnalysis.analyze(lm, tok, "mixed", TEXT, window, 10_000, 2);

            // by hand: every window forwarded alone; first choice = argmax of the gate logits; top-2 = two largest
            int e = c.numLocalExperts();
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                int repeats = 0, overlaps = 0, pairs = 0;
                int[] count = new int[e];
                for (int w = 0; w < windows; w++) {
                    float[] x = new float[window];
                    for (int t = 0; t < window; t++) x[t] = ids[w * window + t];
                    float[] logits;
                    try (var g = NoGrad.enter()) {
                        logits = lm.forward(Tensor.of(x, 1, window)).routerLogits().get(l).toFloatArray();   // [T, E]
                    }
                    int[][] top = new int[window][];
                    for (int t = 0; t < window; t++) {
                        top[t] = twoLargest(logits, t * e, e);
                        count[top[t][0]]++;
                        count[top[t][1]]++;
                        if (w == 0) assertEquals(top[t][0], d.sample().firstChoice()[l][t], "layer " + l + " token " + t);
                    }
                    for (int t = 0; t + 1 < window; t++) {
                        pairs++;
                        if (top[t][0] == top[t + 1][0]) repeats++;
                        if (top[t][0] == top[t + 1][0] || top[t][0] == top[t + 1][1] || top[t][1] == top[t + 1][0] || top[t][1] == top[t + 1][1]) overlaps++;
                    }
                }
                assertEquals(pairs, d.stats().pairs(l));
                assertEquals((double) repeats / pairs, d.stats().firstChoiceRepeat(l), 1e-12, "layer " + l);
                assertEquals((double) overlaps / pairs, d.stats().topKOverlap(l), 1e-12, "layer " + l);
                double sum = 0;
                for (int x = 0; x < e; x++) {
                    assertEquals(count[x] / (2.0 * windows * window), d.stats().share(l, x), 1e-12);
                    sum += d.stats().share(l, x);
                }
                assertEquals(1.0, sum, 1e-12);
            }

            // Figure 7 and Figure 8 renderings
            List<RoutingAnalysis.Domain> both = List.of(d, RoutingAnalysis.analyze(lm, tok, "again", TEXT, window, 16, 4));
            BufferedImage png = ExpertSharePlot.render(both);
            assertEquals(640, png.getWidth());
            assertEquals(30 + 2 * 230, png.getHeight());                      // legend + one panel per layer (2 layers)
            String html = RoutingHtml.render(both);
            assertTrue(html.contains("<h2>mixed</h2>") && html.contains("<h3>layer 1</h3>"), html);
            assertTrue(html.contains("title=\"expert " + d.sample().firstChoice()[0][0] + "\""), html);
            assertTrue(html.contains("&lt;") || !TEXT.contains("<"));
            String table = RoutingReport.table(both);
            assertTrue(table.contains("25.0%") && table.contains("83.3%"), table);   // random baselines for E = 4, k = 2: 1/4, 1 − (2/4)(1/3)
        }
    }

    private static int[] twoLargest(float[] v, int off, int n) {
        int a = 0;
        for (int i = 1; i < n; i++) if (v[off + i] > v[off + a]) a = i;
        int b = a == 0 ? 1 : 0;
        for (int i = 0; i < n; i++) if (i != a && v[off + i] > v[off + b]) b = i;
        return new int[] {a, b};
    }

    @Test
    void shownLayersFollowThePaper() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, ExpertSharePlot.shownLayers(4));
        assertArrayEquals(new int[] {0, 16, 31}, ExpertSharePlot.shownLayers(32));
        assertEquals(0.25, ExpertSharePlot.niceCeiling(0.21), 1e-12);
        assertEquals(0.5, ExpertSharePlot.niceCeiling(0.26), 1e-12);
    }
}
