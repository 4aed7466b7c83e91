package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.genai4j.nn.NnTesting.*;
import static org.junit.jupiter.api.Assertions.*;

class MultiHeadAttentionTest {
    private static final int H = 8;

    /** Causal multi-head attention (no RoPE) by loops in double, with q/k/v/o biases. */
    private static double[] reference(float[] x, int b, int t, int heads, float[] wq, float[] bq, float[] wk, float[] bk,
                                      float[] wv, float[] bv, float[] wo, float[] bo) {
        int hd = H / heads;
        double[] y = new double[b * t * H];
        for (int s = 0; s < b; s++) {
            double[][] q = new double[t][H], k = new double[t][H], v = new double[t][H], ctx = new double[t][H];
            for (int i = 0; i < t; i++)
                for (int o = 0; o < H; o++) {
                    q[i][o] = bq[o]; k[i][o] = bk[o]; v[i][o] = bv[o];
                    for (int j = 0; j < H; j++) {
                        double xv = x[(s * t + i) * H + j];
                        q[i][o] += wq[o * H + j] * xv; k[i][o] += wk[o * H + j] * xv; v[i][o] += wv[o * H + j] * xv;
                    }
                }
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++) {
                    double[] sc = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j <= i; j++) {
                        for (int c = 0; c < hd; c++) sc[j] += q[i][h * hd + c] * k[j][h * hd + c];
                        sc[j] /= Math.sqrt(hd);
                        max = Math.max(max, sc[j]);
                    }
                    for (int j = 0; j <= i; j++) { sc[j] = Math.exp(sc[j] - max); sum += sc[j]; }
                    for (int j = 0; j <= i; j++) for (int c = 0; c < hd; c++) ctx[i][h * hd + c] += sc[j] / sum * v[j][h * hd + c];
                }
            for (int i = 0; i < t; i++)
                for (int o = 0; o < H; o++) {
                    double acc = bo[o];
                    for (int j = 0; j < H; j++) acc += wo[o * H + j] * ctx[i][j];
                    y[(s * t + i) * H + o] = acc;
                }
        }
        return y;
    }

    @Test
    void causalForwardMatchesLoops() {
        Tensor[] p = new Tensor[8];
        for (int i = 0; i < 8; i++) p[i] = randn(10 + i, i % 2 == 0 ? new int[]{H, H} : new int[]{H});
        Weights w = weights("model.layers.0.self_attn.q_proj.weight", p[0], "model.layers.0.self_attn.q_proj.bias", p[1],
                "model.layers.0.self_attn.k_proj.weight", p[2], "model.layers.0.self_attn.k_proj.bias", p[3],
                "model.layers.0.self_attn.v_proj.weight", p[4], "model.layers.0.self_attn.v_proj.bias", p[5],
                "model.layers.0.self_attn.o_proj.weight", p[6], "model.layers.0.self_attn.o_proj.bias", p[7]);
        var cfg = MultiHeadAttention.Config.of(H, 2).withBias(true, true);
        MultiHeadAttention attn = MultiHeadAttention.load(w.sub("model.layers.0.self_attn"), cfg, null);
        Tensor x = randn(1, 2, 5, H);
        Tensor y = attn.forward(x, AttentionMask.causal(), null, null);
        assertShape(y, 2, 5, H);
        float[][] f = new float[8][];
        for (int i = 0; i < 8; i++) f[i] = p[i].toFloatArray();
        assertClose(reference(x.toFloatArray(), 2, 5, 2, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]), y, 1e-4, "attention");
        assertEquals(List.of("q_proj.weight", "q_proj.bias", "k_proj.weight", "k_proj.bias", "v_proj.weight", "v_proj.bias",
                "o_proj.weight", "o_proj.bias"), List.copyOf(attn.stateDict().keySet()));
    }

    /** Rows of each kv head's weight repeated G times: the repeat-kv MHA equivalent of a GQA projection. */
    private static Tensor repeatHeads(Tensor w, int kvHeads, int g) {
        List<Tensor> parts = new ArrayList<>();
        for (Tensor head : w.chunk(kvHeads, 0)) for (int r = 0; r < g; r++) parts.add(head);
        return Tensor.cat(parts, 0);
    }

    @Test
    void groupedQueryEqualsMultiHeadWithRepeatedKv() {
        int heads = 4, kvHeads = 2, hd = 2;
        Tensor wq = randn(1, heads * hd, H), wk = randn(2, kvHeads * hd, H), wv = randn(3, kvHeads * hd, H), wo = randn(4, H, heads * hd);
        Rope rope = new Rope(hd, 32, 10_000);
        var gqaCfg = MultiHeadAttention.Config.of(H, heads).withKvHeads(kvHeads);
        MultiHeadAttention gqa = MultiHeadAttention.load(weights("q_proj.weight", wq, "k_proj.weight", wk, "v_proj.weight", wv, "o_proj.weight", wo), gqaCfg, rope);
        MultiHeadAttention mha = MultiHeadAttention.load(weights("q_proj.weight", wq, "k_proj.weight", repeatHeads(wk, kvHeads, 2),
                "v_proj.weight", repeatHeads(wv, kvHeads, 2), "o_proj.weight", wo), MultiHeadAttention.Config.of(H, heads), rope);
        Tensor x = randn(5, 2, 4, H);
        assertClose(mha.forward(x, AttentionMask.causal(), null, null).toFloatArray(),
                gqa.forward(x, AttentionMask.causal(), null, null).toFloatArray(), 1e-5, "gqa vs repeated kv");
        // the fused layout [q | k | v] gives the same as separate projections
        var fusedCfg = gqaCfg.withNames(MultiHeadAttention.Names.MODERNBERT);
        MultiHeadAttention fused = MultiHeadAttention.load(weights("Wqkv.weight", Tensor.cat(List.of(wq, wk, wv), 0), "Wo.weight", wo), fusedCfg, rope);
        assertClose(gqa.forward(x).toFloatArray(), fused.forward(x).toFloatArray(), 1e-6, "fused vs separate");
        assertEquals(List.of("Wqkv.weight", "Wo.weight"), List.copyOf(fused.stateDict().keySet()));
    }

    @Test
    void kvCacheDecodeStepByStepEqualsFullCausalForward() {
        var cfg = MultiHeadAttention.Config.of(H, 4).withKvHeads(2);
        MultiHeadAttention attn = new MultiHeadAttention(cfg, new Rope(2, 16, 10_000), new Rng(3));
        Tensor x = randn(6, 2, 6, H);
        Tensor full = attn.forward(x, AttentionMask.causal(), null, null);
        KvCache cache = new KvCache(2, 2, 8, 2);
        List<Tensor> steps = new ArrayList<>();
        steps.add(attn.forward(x.narrow(1, 0, 3), AttentionMask.causal(), null, cache));     // prompt
        for (int t = 3; t < 6; t++) steps.add(attn.forward(x.narrow(1, t, 1), AttentionMask.causal(), null, cache));
        assertEquals(6, cache.length());
        assertClose(full.toFloatArray(), Tensor.cat(steps, 1).toFloatArray(), 1e-5, "cached decode");
        IndexOutOfRangeException e = assertThrows(IndexOutOfRangeException.class,
                () -> attn.forward(x.narrow(1, 0, 3), AttentionMask.causal(), null, cache));
        assertTrue(e.getMessage().contains("maxLength 8"), e.getMessage());
        // roll back two positions and decode them again as one block
        cache.truncate(4);
        Tensor again = attn.forward(x.narrow(1, 4, 2), AttentionMask.causal(), null, cache);
        assertClose(full.narrow(1, 4, 2).toFloatArray(), again.toFloatArray(), 1e-5, "after truncate");
        cache.reset();
        assertEquals(0, cache.length());
        assertClose(full.narrow(1, 0, 2).toFloatArray(), attn.forward(x.narrow(1, 0, 2), AttentionMask.causal(), null, cache).toFloatArray(), 1e-5, "after reset");
    }

    @Test
    void leftPaddedRowMatchesTheUnpaddedSequence() {
        MultiHeadAttention attn = new MultiHeadAttention(MultiHeadAttention.Config.of(H, 2), new Rope(4, 16, 10_000), new Rng(5));
        Tensor real = randn(7, 1, 3, H);
        Tensor padded = Tensor.cat(List.of(randn(8, 1, 2, H), real), 1);              // [1, 5, H]: 2 pads, 3 tokens
        Tensor am = Tensor.of(new float[]{0, 0, 1, 1, 1}, 1, 5);
        Tensor y = attn.forward(padded, AttentionMask.causal().withKeyPadding(am), Positions.perBatch(new int[][]{{0, 0, 0, 1, 2}}), null);
        Tensor ref = attn.forward(real, AttentionMask.causal(), null, null);
        assertClose(ref.toFloatArray(), y.narrow(1, 2, 3).toFloatArray(), 1e-5, "left padding");
    }

    @Test
    void slidingWindowLimitsWhatEachQuerySees() {
        MultiHeadAttention attn = new MultiHeadAttention(MultiHeadAttention.Config.of(H, 2), null, new Rng(6));
        Tensor x = randn(9, 1, 6, H);
        Tensor y = attn.forward(x, AttentionMask.symmetricWindow(2), null, null);       // |i − j| ≤ 1
        // query 2 sees keys 1..3 only: running on tokens 1..3 alone gives the same row
        Tensor local = attn.forward(x.narrow(1, 1, 3), AttentionMask.none(), null, null);
        assertClose(local.narrow(1, 1, 1).toFloatArray(), y.narrow(1, 2, 1).toFloatArray(), 1e-5, "window row");
    }

    @Test
    void dropoutOnProbabilitiesOnlyInTraining() {
        var cfg = MultiHeadAttention.Config.of(H, 2).withDropout(0.5f);
        MultiHeadAttention withDrop = new MultiHeadAttention(cfg, null, new Rng(7));
        MultiHeadAttention plain = MultiHeadAttention.load(Weights.ofMap(withDrop.stateDict()), MultiHeadAttention.Config.of(H, 2), null);
        Tensor x = randn(10, 1, 4, H);
        float[] ref = plain.forward(x).toFloatArray();
        assertFalse(java.util.Arrays.equals(ref, withDrop.forward(x).toFloatArray()), "training applies dropout");
        withDrop.eval();
        assertArrayEquals(ref, withDrop.forward(x).toFloatArray(), 1e-6f);   // to rounding: C2 may reorder vector sums between calls
        assertEquals(4, withDrop.stateDict().size());
    }

    @Test
    void namesAndErrors() {
        var bert = MultiHeadAttention.Config.of(H, 2).withBias(true, true).withNames(MultiHeadAttention.Names.BERT);
        assertEquals(List.of("self.query.weight", "self.query.bias", "self.key.weight", "self.key.bias", "self.value.weight", "self.value.bias",
                "output.dense.weight", "output.dense.bias"), List.copyOf(new MultiHeadAttention(bert, null, new Rng(0)).stateDict().keySet()));
        MultiHeadAttention attn = new MultiHeadAttention(MultiHeadAttention.Config.of(H, 2), null, new Rng(0));
        ShapeException e = assertThrows(ShapeException.class, () -> attn.forward(Tensor.zeros(3, H)));
        assertTrue(e.getMessage().contains("MultiHeadAttention"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MultiHeadAttention.Config.of(H, 4).withKvHeads(3));
        assertThrows(ShapeException.class, () -> attn.forward(Tensor.zeros(2, 3, H), AttentionMask.none(), null, new KvCache(1, 2, 8, 4)));
    }

    @Test
    void gradientsWrtInputAndProjections() {
        int h = 4;
        var cfg = MultiHeadAttention.Config.of(h, 2).withKvHeads(1).withBias(true, false);
        Rope rope = new Rope(2, 8, 10_000);
        GradCheck.check("attention", in -> MultiHeadAttention.load(weights("q_proj.weight", in.get(1), "q_proj.bias", in.get(2),
                        "k_proj.weight", in.get(3), "k_proj.bias", in.get(4), "v_proj.weight", in.get(5), "v_proj.bias", in.get(6),
                        "o_proj.weight", in.get(7)), cfg, rope).forward(in.get(0), AttentionMask.causal(), null, null),
                GradCheck.input(1, 1, 3, h), GradCheck.input(2, 4, h), GradCheck.input(3, 4), GradCheck.input(4, 2, h),
                GradCheck.input(5, 2), GradCheck.input(6, 2, h), GradCheck.input(7, 2), GradCheck.input(8, h, 4));
    }
}
