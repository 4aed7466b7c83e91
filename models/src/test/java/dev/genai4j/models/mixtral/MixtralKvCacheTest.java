package dev.genai4j.models.mixtral;

import dev.genai4j.nn.KvCache;
import dev.genai4j.nn.Positions;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Decoding with the KV cache gives the logits (and routing) of recomputing the whole sequence. */
class MixtralKvCacheTest {

    @Test
    void cachedDecodingEqualsFullRecomputation() {
        int[] prompt = MixtralTesting.prompt("single_fp32", 0), cont = MixtralTesting.greedy("single_fp32", 0);
        int p = prompt.length, n = p + cont.length;
        float[] all = new float[n];
        for (int i = 0; i < p; i++) all[i] = prompt[i];
        for (int i = 0; i < cont.length; i++) all[p + i] = cont[i];
        try (var lm = MixtralForCausalLM.load(MixtralTesting.fixture("single_fp32")); var g = NoGrad.enter()) {
            int v = lm.config().vocabSize(), e = lm.config().numLocalExperts();
            MixtralForCausalLM.Output full = lm.forward(Tensor.of(all, 1, n));       // [1, n, V]
            float[] fullLogits = full.logits().toFloatArray();
            KvCache[] caches = lm.newCaches(1, n);
            // prefill in two chunks (5 + rest), then one token at a time
            int[][] chunks = {{0, 5}, {5, p}};
            for (int[] ch : chunks) {
                Tensor ids = Tensor.of(java.util.Arrays.copyOfRange(all, ch[0], ch[1]), 1, ch[1] - ch[0]);
                MixtralForCausalLM.Output o = lm.forward(ids, null, null, caches, false);
                assertSlice(fullLogits, o.logits().toFloatArray(), ch[0] * v, "logits of prefill chunk " + ch[0]);
            }
            for (int s = p; s < n; s++) {
                MixtralForCausalLM.Output o = lm.forward(Tensor.of(new float[]{all[s]}, 1, 1), null, null, caches, true);
                assertSlice(fullLogits, o.logits().toFloatArray(), s * v, "logits at decode position " + s);
                for (int l = 0; l < 2; l++) {
                    assertSlice(full.routerLogits().get(l).toFloatArray(), o.routerLogits().get(l).toFloatArray(), s * e,
                            "router logits of layer " + l + " at position " + s);
                }
            }
            assertArrayEquals(new int[]{n, n}, new int[]{caches[0].length(), caches[1].length()});
        }
    }

    @Test
    void leftPaddedBatchDecodingEqualsFullRecomputation() {
        String name = "batch2_leftpad_fp32";
        int t = 16, steps = 6;
        int[][] prompts = {MixtralTesting.prompt(name, 0), MixtralTesting.prompt(name, 1)};
        int[][] cont = {MixtralTesting.greedy(name, 0), MixtralTesting.greedy(name, 1)};
        int n = t + steps;
        float[] ids = new float[2 * n], mask = new float[2 * n];
        int[][] pos = new int[2][n];
        for (int r = 0; r < 2; r++) {
            int pad = t - prompts[r].length;
            for (int s = 0; s < n; s++) {
                boolean real = s >= pad;
                ids[r * n + s] = !real ? 0 : s < t ? prompts[r][s - pad] : cont[r][s - t];
                mask[r * n + s] = real ? 1 : 0;
                pos[r][s] = real ? s - pad : 1;
            }
        }
        try (var lm = MixtralForCausalLM.load(MixtralTesting.fixture(name)); var g = NoGrad.enter()) {
            int v = lm.config().vocabSize();
            float[] full = lm.forward(Tensor.of(ids, 2, n), Tensor.of(mask, 2, n), Positions.perBatch(pos), null, false)
                    .logits().toFloatArray();                                               // [2, n, V]
            KvCache[] caches = lm.newCaches(2, n);
            for (int s = t - 1; s < n; s++) {
                int from = s == t - 1 ? 0 : s, len = s + 1 - from;     // prefill [0, t), then one token
                float[] stepIds = new float[2 * len], stepMask = new float[2 * (s + 1)];
                int[][] stepPos = new int[2][len];
                for (int r = 0; r < 2; r++) {
                    for (int i = 0; i < len; i++) { stepIds[r * len + i] = ids[r * n + from + i]; stepPos[r][i] = pos[r][from + i]; }
                    System.arraycopy(mask, r * n, stepMask, r * (s + 1), s + 1);
                }
                float[] got = lm.forward(Tensor.of(stepIds, 2, len), Tensor.of(stepMask, 2, s + 1), Positions.perBatch(stepPos), caches, true)
                        .logits().toFloatArray();                                           // [2, 1, V]
                for (int r = 0; r < 2; r++) {
                    float[] want = java.util.Arrays.copyOfRange(full, (r * n + s) * v, (r * n + s + 1) * v);
                    MixtralTesting.assertClose(want, java.util.Arrays.copyOfRange(got, r * v, (r + 1) * v), 1e-4f,
                            "row " + r + " position " + s);
                }
            }
        }
    }

    private static void assertSlice(float[] full, float[] part, int offset, String what) {
        MixtralTesting.assertClose(java.util.Arrays.copyOfRange(full, offset, offset + part.length), part, 1e-4f, what);
    }
}
