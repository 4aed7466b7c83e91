package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.functional.LstmScanOp;
import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.TensorException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LstmTest {

    private static void assertClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], tol, what + " element " + i);
    }

    /**
     * nn.LSTM's documented equations with plain tensor ops, one full-length direction of one layer:
     * x [T, B, in] → outputs [T, B, H], plus final h and c.
     */
    private static Tensor[] referenceDirection(Tensor x, Map<String, Tensor> p, String sfx, boolean reverse) {
        int steps = x.size(0), batch = x.size(1), hid = p.get("weight_hh" + sfx).size(1);
        Tensor h = Tensor.zeros(batch, hid), c = Tensor.zeros(batch, hid);
        Tensor[] outs = new Tensor[steps];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            Tensor gates = x.select(0, t).matmul(p.get("weight_ih" + sfx).mT()).add(p.get("bias_ih" + sfx))
                    .add(h.matmul(p.get("weight_hh" + sfx).mT())).add(p.get("bias_hh" + sfx));
            List<Tensor> q = gates.chunk(4, 1);
            Tensor i = q.get(0).sigmoid(), f = q.get(1).sigmoid(), g = q.get(2).tanh(), o = q.get(3).sigmoid();
            c = f.mul(c).add(i.mul(g));
            h = o.mul(c.tanh());
            outs[t] = h;
        }
        return new Tensor[]{Tensor.stack(List.of(outs), 0), h, c};
    }

    @Test
    void parameterNamesFollowPyTorch() {
        Lstm lstm = new Lstm(new Lstm.Config(3, 5, 2, true, true, true), new Rng(0));
        assertEquals(List.of(
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(lstm.namedParameters().keySet()));
        assertArrayEquals(new int[]{20, 3}, lstm.namedParameters().get("weight_ih_l0").shape());
        assertArrayEquals(new int[]{20, 10}, lstm.namedParameters().get("weight_ih_l1_reverse").shape());
        float bound = (float) (1 / Math.sqrt(5));
        for (Parameter p : lstm.parameters()) for (float v : p.value().toFloatArray()) assertEquals(0, v, bound);
        assertEquals(2, new Lstm(new Lstm.Config(3, 5, 1, false, false, false), new Rng(0)).parameters().size());
    }

    @Test
    void matchesTheCellEquationsForTwoBidirectionalLayers() {
        Lstm lstm = new Lstm(new Lstm.Config(3, 4, 2, true, false, true), new Rng(1));
        Map<String, Tensor> p = lstm.stateDict();
        Tensor x = Tensor.randn(new Rng(2), 6, 2, 3);   // [T, B, in]
        Lstm.Output got = lstm.forward(x);

        Tensor layerIn = x;
        List<Tensor> hs = new ArrayList<>(), cs = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            Tensor[] fwd = referenceDirection(layerIn, p, "_l" + l, false);
            Tensor[] bwd = referenceDirection(layerIn, p, "_l" + l + "_reverse", true);
            layerIn = Tensor.cat(List.of(fwd[0], bwd[0]), 2);
            hs.add(fwd[1]); hs.add(bwd[1]); cs.add(fwd[2]); cs.add(bwd[2]);
        }
        assertArrayEquals(new int[]{6, 2, 8}, got.output().shape());
        assertClose(layerIn.toFloatArray(), got.output().toFloatArray(), 1e-5f, "output");
        assertClose(Tensor.stack(hs, 0).toFloatArray(), got.hN().toFloatArray(), 1e-5f, "h_n");
        assertClose(Tensor.stack(cs, 0).toFloatArray(), got.cN().toFloatArray(), 1e-5f, "c_n");
    }

    @Test
    void variableLengthsMatchEachSequenceRunAlone() {
        Lstm lstm = new Lstm(new Lstm.Config(3, 4, 2, true, true, true), new Rng(3));
        int[] lengths = {5, 2, 7, 1};
        int steps = 7, hid = 4;
        Tensor x = Tensor.randn(new Rng(4), 4, steps, 3);   // [B, T, in], junk past each length
        Lstm.Output batched = lstm.forward(x, lengths, null);
        assertArrayEquals(new int[]{4, steps, 2 * hid}, batched.output().shape());
        assertArrayEquals(new int[]{4, 4, hid}, batched.hN().shape());
        for (int b = 0; b < lengths.length; b++) {
            Tensor alone = x.narrow(0, b, 1).narrow(1, 0, lengths[b]).contiguous();   // [1, len, in]
            Lstm.Output single = lstm.forward(alone);
            Tensor rows = batched.output().select(0, b);                                 // [T, 2H]
            assertClose(single.output().select(0, 0).toFloatArray(), rows.narrow(0, 0, lengths[b]).toFloatArray(), 1e-5f, "seq " + b);
            assertClose(new float[(steps - lengths[b]) * 2 * hid], rows.narrow(0, lengths[b], steps - lengths[b]).toFloatArray(), 0f, "padding of seq " + b);
            assertClose(single.hN().select(1, 0).toFloatArray(), batched.hN().select(1, b).toFloatArray(), 1e-5f, "h_n of seq " + b);
            assertClose(single.cN().select(1, 0).toFloatArray(), batched.cN().select(1, b).toFloatArray(), 1e-5f, "c_n of seq " + b);
        }
    }

    /** Inference on two threads runs the directions side by side: same outputs and final states as one thread. */
    @Test
    void directionsSideBySideMatchOneThread() {
        Lstm lstm = new Lstm(new Lstm.Config(5, 7, 2, true, true, true), new Rng(11));
        Tensor x = Tensor.randn(new Rng(12), 3, 9, 5);
        int[] lengths = {9, 4, 1};
        Lstm.Output[] r = new Lstm.Output[2];
        try (var g = dev.genai4j.tensor.NoGrad.enter()) {
            dev.genai4j.tensor.Parallel.withThreads(1, () -> r[0] = lstm.forward(x, lengths, null));
            dev.genai4j.tensor.Parallel.withThreads(2, () -> r[1] = lstm.forward(x, lengths, null));
        }
        assertArrayEquals(new int[]{3, 9, 14}, r[1].output().shape());
        assertClose(r[0].output().toFloatArray(), r[1].output().toFloatArray(), 1e-6f, "output");
        assertClose(r[0].hN().toFloatArray(), r[1].hN().toFloatArray(), 1e-6f, "h_n");
        assertClose(r[0].cN().toFloatArray(), r[1].cN().toFloatArray(), 1e-6f, "c_n");
        assertEquals(0f, r[1].output().get(2, 1, 0), "padding stays zero");
    }

    @Test
    void initialStateIsUsed() {
        Lstm lstm = new Lstm(new Lstm.Config(2, 3, 1, false, true, true), new Rng(5));
        Tensor x = Tensor.randn(new Rng(6), 1, 4, 2);
        Tensor h0 = Tensor.randn(new Rng(7), 1, 1, 3), c0 = Tensor.randn(new Rng(8), 1, 1, 3);
        // running the first 2 steps, then the last 2 from the returned state, equals running all 4
        Lstm.Output first = lstm.forward(x.narrow(1, 0, 2).contiguous(), null, new Tensor[]{h0, c0});
        Lstm.Output second = lstm.forward(x.narrow(1, 2, 2).contiguous(), null, new Tensor[]{first.hN(), first.cN()});
        Lstm.Output all = lstm.forward(x, null, new Tensor[]{h0, c0});
        assertClose(all.output().narrow(1, 2, 2).toFloatArray(), second.output().toFloatArray(), 1e-6f, "continued output");
        assertClose(all.hN().toFloatArray(), second.hN().toFloatArray(), 1e-6f, "h_n");
    }

    @Test
    void scanGradientMatchesFiniteDifferences() {
        int[] lengths = {3, 1, 2};
        for (boolean reverse : new boolean[]{false, true}) {
            GradCheck.check("lstm scan reverse=" + reverse,
                    in -> LstmScanOp.scan(in.get(0), in.get(1), in.get(2), in.get(3), lengths, reverse),
                    GradCheck.input(1, 3, 3, 8), GradCheck.input(2, 8, 2), GradCheck.input(3, 3, 2), GradCheck.input(4, 3, 2));
        }
    }

    @Test
    void moduleGradientMatchesFiniteDifferences() {
        Lstm.Config cfg = new Lstm.Config(2, 2, 2, true, true, true);
        Map<String, Tensor> init = new Lstm(cfg, new Rng(9)).stateDict();
        List<String> names = List.copyOf(init.keySet());
        Tensor[] inputs = new Tensor[names.size() + 1];
        inputs[0] = GradCheck.input(10, 2, 3, 2);   // x [B, T, in]
        for (int i = 0; i < names.size(); i++) inputs[i + 1] = init.get(names.get(i)).mul(2f).requiresGrad(true);
        int[] lengths = {3, 2};
        GradCheck.check("lstm 2-layer bidirectional", in -> {
            Map<String, Tensor> w = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) w.put(names.get(i), in.get(i + 1));
            Lstm.Output r = Lstm.load(Weights.ofMap(w), cfg).forward(in.get(0), lengths, null);
            return Tensor.cat(List.of(r.output().reshape(-1), r.hN().reshape(-1), r.cN().reshape(-1)), 0);
        }, inputs);
    }

    @Test
    void loadChecksShapesAndForwardChecksInputs() {
        Lstm.Config cfg = Lstm.Config.of(3, 2);
        Map<String, Tensor> good = new Lstm(cfg, new Rng(0)).stateDict();
        Map<String, Tensor> bad = new LinkedHashMap<>(good);
        bad.put("weight_hh_l0", Tensor.zeros(8, 3));
        assertThrows(ShapeException.class, () -> Lstm.load(Weights.ofMap(bad), cfg));
        Lstm lstm = Lstm.load(Weights.ofMap(good), cfg);
        assertThrows(ShapeException.class, () -> lstm.forward(Tensor.zeros(4, 2, 5)));
        assertThrows(ShapeException.class, () -> lstm.forward(Tensor.zeros(4, 2, 3), new int[]{4}, null));
        assertThrows(TensorException.class, () -> lstm.forward(Tensor.zeros(4, 2, 3), new int[]{4, 0}, null));
    }
}
