package dev.genai4j.models.mixtral;

import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.GatedMlp;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sparse dispatch computes the dense mixture Σ_k w_k · expert_k(x); the combine op's gradients match finite differences. */
class MixtralSparseMoeTest {
    private static final int H = 12, I = 20, E = 5, K = 2;

    private static MixtralSparseMoe randomMoe(Rng rng) {
        Map<String, Tensor> w = new HashMap<>();
        w.put("gate.weight", Tensor.randn(rng, E, H));
        for (int e = 0; e < E; e++) {
            w.put("experts." + e + ".w1.weight", Tensor.randn(rng, I, H).mul(0.3f));
            w.put("experts." + e + ".w3.weight", Tensor.randn(rng, I, H).mul(0.3f));
            w.put("experts." + e + ".w2.weight", Tensor.randn(rng, H, I).mul(0.3f));
        }
        MixtralConfig c = MixtralConfig.fromJson(JsonConfig.parse("{\"hidden_size\": " + H + ", \"intermediate_size\": " + I
                + ", \"num_local_experts\": " + E + ", \"num_experts_per_tok\": " + K + ", \"num_attention_heads\": 2,"
                + " \"num_key_value_heads\": 1, \"vocab_size\": 10, \"num_hidden_layers\": 1}", "test"));
        return MixtralSparseMoe.load(Weights.ofMap(w), c);
    }

    @Test
    void decodeExpertsSideBySideGiveTheSameValuesAsOneAfterAnother() {
        // a few tokens without gradient: the chosen experts run one per thread; each row is computed
        // the same way either way, so two threads must equal one (1 and 4 tokens: side by side; 33:
        // one after another)
        MixtralSparseMoe moe = randomMoe(new Rng(9));
        for (int n : new int[]{1, 4, 33}) {
            Tensor x = Tensor.randn(new Rng(40 + n), 1, n, H);
            float[][] y = new float[2][];
            for (int threads = 1; threads <= 2; threads++) {
                int t = threads;
                Parallel.withThreads(t, () -> {
                    try (var g = NoGrad.enter()) { y[t - 1] = moe.forward(x).y().toFloatArray(); }
                });
            }
            // equal up to rounding: the Vector API's interpreted and compiled reductions add lanes in
            // different orders, and a cold JVM compiles the kernels between the two calls
            for (int i = 0; i < y[0].length; i++) {
                assertEquals(y[0][i], y[1][i], 1e-5f * (1 + Math.abs(y[0][i])), "n=" + n + " at " + i);
            }
        }
    }

    @Test
    void sparseDispatchEqualsDenseMixture() {
        MixtralSparseMoe moe = randomMoe(new Rng(3));
        for (int n : new int[]{1, 7, 33}) {
            Tensor x = Tensor.randn(new Rng(n), 1, n, H);
            try (var g = NoGrad.enter()) {
                MixtralSparseMoe.Output o = moe.forward(x);
                assertEquals(List.of(1, n, H), List.of(o.y().size(0), o.y().size(1), o.y().size(2)));
                // dense reference: every expert on every token, weighted by the softmax→top-k→renormalized gate
                float[] logits = x.reshape(n, H).matmul(moe.router().gate().weight().value().mT()).toFloatArray();
                float[] want = new float[n * H];
                float[][] all = new float[E][];
                for (int e = 0; e < E; e++) all[e] = moe.experts().get(e).forward(x.reshape(n, H)).toFloatArray();
                for (int t = 0; t < n; t++) {
                    double[] p = new double[E];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int e = 0; e < E; e++) max = Math.max(max, logits[t * E + e]);
                    for (int e = 0; e < E; e++) sum += p[e] = Math.exp(logits[t * E + e] - max);
                    int first = 0, second = first == 0 ? 1 : 0;
                    for (int e = 1; e < E; e++) if (p[e] > p[first]) first = e;
                    second = first == 0 ? 1 : 0;
                    for (int e = 0; e < E; e++) if (e != first && p[e] > p[second]) second = e;
                    double z = p[first] + p[second];
                    for (int j = 0; j < H; j++) {
                        want[t * H + j] = (float) (p[first] / z * all[first][t * H + j] + p[second] / z * all[second][t * H + j]);
                    }
                    assertEquals(first, o.routing().experts()[t * K]);
                    assertEquals(second, o.routing().experts()[t * K + 1]);
                    float ws = o.routing().weights().get(t, 0) + o.routing().weights().get(t, 1);
                    assertEquals(1f, ws, 1e-6f);
                }
                MixtralTesting.assertClose(want, o.y().toFloatArray(), 1e-4f, "moe output, n=" + n);
                MixtralTesting.assertClose(logits, o.routing().logits().toFloatArray(), 1e-5f, "router logits, n=" + n);
            }
        }
    }

    @Test
    void combineGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(11);
        int n = 3, h = 4;
        Tensor y0 = Tensor.randn(rng, 2, h).requiresGrad(true), y1 = Tensor.randn(rng, 2, h).requiresGrad(true);
        Tensor w = Tensor.rand(rng, n, 2).requiresGrad(true);
        List<int[]> tokens = List.of(new int[]{0, 2}, new int[]{1, 2}), slots = List.of(new int[]{0, 1}, new int[]{1, 0});
        Tensor probe = Tensor.randn(rng, n, h);
        ExpertCombine.combine(n, h, List.of(y0, y1), tokens, slots, w).mul(probe).sum().backward();
        for (Tensor p : List.of(y0, y1, w)) {
            float[] d = p.data();
            float[] analytic = p.grad().toFloatArray();
            for (int i = 0; i < d.length; i++) {
                float keep = d[i], eps = 1e-2f;
                double up, down;
                try (var g = NoGrad.enter()) {
                    d[i] = keep + eps;
                    up = ExpertCombine.combine(n, h, List.of(y0, y1), tokens, slots, w).mul(probe).sum().item();
                    d[i] = keep - eps;
                    down = ExpertCombine.combine(n, h, List.of(y0, y1), tokens, slots, w).mul(probe).sum().item();
                    d[i] = keep;
                }
                assertEquals((up - down) / (2 * eps), analytic[i], 2e-3, "gradient element " + i);
            }
        }
    }

    @Test
    void expertsWithoutTokensAreSkippedAndGradientsReachTheRouter() {
        MixtralSparseMoe moe = randomMoe(new Rng(5));
        moe.trainable();
        Tensor x = Tensor.randn(new Rng(9), 1, 1, H);
        MixtralSparseMoe.Output o = moe.forward(x);        // one token: exactly K experts run
        o.y().sum().backward();
        int withGrad = 0;
        for (GatedMlp e : moe.experts()) if (e.parameters().getFirst().value().grad() != null) withGrad++;
        assertEquals(K, withGrad);
        Tensor gateGrad = moe.router().gate().weight().value().grad();
        assertTrue(gateGrad != null);
        assertNotEquals(0f, gateGrad.abs().sum().item());
    }
}
