package dev.genai4j.models.gliner;

import static org.junit.jupiter.api.Assertions.*;

import dev.genai4j.io.Weights;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanScoreKernelTest {
    private static float[] rand(Rng rng, int n) { return Tensor.randn(rng, n).toFloatArray(); }

    @Test
    void vectorAndScalarSpansAgreeOnAwkwardSizes() {
        Rng rng = new Rng(11);
        for (int h : new int[]{1, 7, 33, 1000}) {
            for (int c : new int[]{1, 3}) {
                float[] a = rand(rng, 2 * h), e = rand(rng, 2 * h), label = rand(rng, c * h), bias = rand(rng, c);
                float[] row = new float[h], outV = new float[c], outS = new float[c];
                SpanScoreKernel.spanVector(a, h, e, 0, label, 0, bias, 0, row, outV, 0, c, h);
                SpanScoreKernel.spanScalar(a, h, e, 0, label, 0, bias, 0, row, outS, 0, c, h);
                for (int k = 0; k < c; k++) {
                    // direct: Σ_j max(a[h + j] + e[j], 0) · label[k·h + j] + bias[k], in double
                    double want = bias[k];
                    for (int j = 0; j < h; j++) want += Math.max(a[h + j] + e[j], 0f) * (double) label[k * h + j];
                    assertEquals(want, outS[k], 1e-4 * Math.sqrt(h), "scalar h=" + h + " c=" + c);
                    assertEquals(outS[k], outV[k], 1e-4 * Math.sqrt(h), "vector h=" + h + " c=" + c);
                }
            }
        }
    }

    @Test
    void fusedScoresEqualSpanVectorsTimesPrompts() {
        int d = 8, k = 3, b = 2, w = 5, c = 4;
        Rng rng = new Rng(5);
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (String p : new String[]{"project_start", "project_end"}) {
            m.put(p + ".0.weight", Tensor.randn(rng, 4 * d, d).mul(0.3f));
            m.put(p + ".0.bias", Tensor.randn(rng, 4 * d).mul(0.1f));
            m.put(p + ".3.weight", Tensor.randn(rng, d, 4 * d).mul(0.3f));
            m.put(p + ".3.bias", Tensor.randn(rng, d).mul(0.1f));
        }
        m.put("out_project.0.weight", Tensor.randn(rng, 4 * d, 2 * d).mul(0.3f));
        m.put("out_project.0.bias", Tensor.randn(rng, 4 * d).mul(0.1f));
        m.put("out_project.3.weight", Tensor.randn(rng, d, 4 * d).mul(0.3f));
        m.put("out_project.3.bias", Tensor.randn(rng, d).mul(0.1f));
        SpanMarkerV0 marker = SpanMarkerV0.load(Weights.ofMap(m), d, k);

        Tensor words = Tensor.randn(rng, b, w, d);           // [B, W, D]
        Tensor prompts = Tensor.randn(rng, b, c, d);         // [B, C, D]
        int s = w * k;
        int[] starts = new int[b * s], ends = new int[b * s];
        for (int i = 0; i < b; i++) {
            for (int st = 0; st < w; st++) {
                for (int wd = 0; wd < k; wd++) {
                    int n = i * s + st * k + wd, en = st + wd;
                    boolean inside = en < w;   // spans past the text point at (0, 0), as masked ones do
                    starts[n] = i * w + (inside ? st : 0);
                    ends[n] = i * w + (inside ? en : 0);
                }
            }
        }
        try (var g = NoGrad.enter()) {
            Tensor spans = marker.forward(words, starts, ends);                                     // [B, W, K, D]
            float[] want = spans.reshape(b, s, d).matmul(prompts.mT()).toFloatArray();              // [B, S, C]
            Tensor got = marker.scores(words, starts, ends, prompts);
            assertArrayEquals(new int[]{b, w, k, c}, got.shape());
            float[] g2 = got.toFloatArray();
            for (int i = 0; i < want.length; i++) assertEquals(want[i], g2[i], 1e-4f * (1 + Math.abs(want[i])), "score " + i);
        }
    }
}
