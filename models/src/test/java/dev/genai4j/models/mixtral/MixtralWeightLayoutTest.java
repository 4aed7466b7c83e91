package dev.genai4j.models.mixtral;

import dev.genai4j.io.MissingWeightException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Rope;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transformers-5 packed experts and mistral-inference's native names load into the same model
 * as the HF Hub names: the reference case, rewritten into each layout, gives the reference logits.
 */
class MixtralWeightLayoutTest {
    private static final String CASE = "single_bf16";   // bf16 storage: the views must keep the dtype

    @Test
    void packedExpertsGiveTheHubLogits() {
        try (SafetensorsWeights hub = Weights.open(MixtralTesting.fixture(CASE))) {
            MixtralConfig c = MixtralConfig.read(MixtralTesting.fixture(CASE).resolve("config.json"));
            Map<String, Tensor> packed = new LinkedHashMap<>();
            for (String n : hub.names()) if (!n.contains("block_sparse_moe")) packed.put(n, hub.get(n));
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                String p = "model.layers." + l + ".block_sparse_moe.";
                List<Tensor> gateUp = new ArrayList<>(), down = new ArrayList<>();
                for (int e = 0; e < c.numLocalExperts(); e++) {
                    gateUp.add(Tensor.cat(List.of(hub.get(p + "experts." + e + ".w1.weight"), hub.get(p + "experts." + e + ".w3.weight")), 0));
                    down.add(hub.get(p + "experts." + e + ".w2.weight"));
                }
                packed.put("model.layers." + l + ".mlp.gate.weight", hub.get(p + "gate.weight"));
                packed.put("model.layers." + l + ".mlp.experts.gate_up_proj", Tensor.stack(gateUp, 0));   // [E, 2I, H]
                packed.put("model.layers." + l + ".mlp.experts.down_proj", Tensor.stack(down, 0));        // [E, H, I]
            }
            assertSameLogits(hub, Weights.ofMap(packed), c, MixtralWeightLayout.PACKED);
        }
    }

    @Test
    void nativeNamesWithInterleavedRopeGiveTheHubLogits() {
        try (SafetensorsWeights hub = Weights.open(MixtralTesting.fixture(CASE))) {
            MixtralConfig c = MixtralConfig.read(MixtralTesting.fixture(CASE).resolve("config.json"));
            Map<String, Tensor> nat = new LinkedHashMap<>();
            nat.put("tok_embeddings.weight", hub.get("model.embed_tokens.weight"));
            nat.put("norm.weight", hub.get("model.norm.weight"));
            nat.put("output.weight", hub.get("lm_head.weight"));
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                String h = "model.layers." + l + ".", n = "layers." + l + ".";
                // HF's converter permuted Meta's interleaved q/k rows into rotate-half order: undo it
                nat.put(n + "attention.wq.weight", interleave(hub.get(h + "self_attn.q_proj.weight"), c.numAttentionHeads(), c.headDim()));
                nat.put(n + "attention.wk.weight", interleave(hub.get(h + "self_attn.k_proj.weight"), c.numKeyValueHeads(), c.headDim()));
                nat.put(n + "attention.wv.weight", hub.get(h + "self_attn.v_proj.weight"));
                nat.put(n + "attention.wo.weight", hub.get(h + "self_attn.o_proj.weight"));
                nat.put(n + "attention_norm.weight", hub.get(h + "input_layernorm.weight"));
                nat.put(n + "ffn_norm.weight", hub.get(h + "post_attention_layernorm.weight"));
                nat.put(n + "feed_forward.gate.weight", hub.get(h + "block_sparse_moe.gate.weight"));
                for (int e = 0; e < c.numLocalExperts(); e++) {
                    for (String w : new String[]{"w1", "w2", "w3"}) {
                        nat.put(n + "feed_forward.experts." + e + "." + w + ".weight", hub.get(h + "block_sparse_moe.experts." + e + "." + w + ".weight"));
                    }
                }
            }
            assertSameLogits(hub, Weights.ofMap(nat), c, MixtralWeightLayout.NATIVE);
        }
    }

    @Test
    void missingExpertTensorIsNamedInTheFilesLayout() {
        try (SafetensorsWeights hub = Weights.open(MixtralTesting.fixture(CASE))) {
            MixtralConfig c = MixtralConfig.read(MixtralTesting.fixture(CASE).resolve("config.json"));
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (String n : hub.names()) m.put(n, hub.get(n));
            m.remove("model.layers.1.block_sparse_moe.experts.5.w3.weight");
            var e = assertThrows(MissingWeightException.class, () -> MixtralForCausalLM.load(Weights.ofMap(m), c));
            assertTrue(e.getMessage().contains("'model.layers.1.block_sparse_moe.experts.5.w3.weight'"), e.getMessage());
            assertTrue(e.getMessage().contains("expert 5 of 8 in layer 1"), e.getMessage());

            Map<String, Tensor> nat = Map.of("tok_embeddings.weight", hub.get("model.embed_tokens.weight"),
                    "norm.weight", hub.get("model.norm.weight"));
            var e2 = assertThrows(MissingWeightException.class, () -> MixtralForCausalLM.load(Weights.ofMap(nat), c));
            assertTrue(e2.getMessage().contains("'layers.0.attention.wq.weight'"), e2.getMessage());

            var e3 = assertThrows(MissingWeightException.class,
                    () -> MixtralForCausalLM.load(Weights.ofMap(Map.of("encoder.weight", Tensor.zeros(2))), c));
            assertTrue(e3.getMessage().contains("is this a Mixtral checkpoint"), e3.getMessage());
        }
    }

    @Test
    void storedDtypeIsKept() {
        try (var lm = MixtralForCausalLM.load(MixtralTesting.fixture(CASE))) {
            assertEquals(dev.genai4j.tensor.DType.BF16, lm.model().layers().get(0).moe().experts().get(3).parameters().getFirst().value().dtype());
            assertEquals(MixtralWeightLayout.HUB, lm.layout());
            assertEquals(Rope.Layout.ROTATE_HALF, lm.model().rope().layout());
        }
    }

    @Test
    void parameterNamesAreTheHubNames() {
        try (var lm = MixtralForCausalLM.load(MixtralTesting.fixture(CASE)); SafetensorsWeights w = Weights.open(MixtralTesting.fixture(CASE))) {
            assertEquals(w.names(), new java.util.TreeSet<>(lm.stateDict().keySet()));
        }
    }

    /** rows of each head from rotate-half order (i, i + d/2) back to interleaved pairs (2i, 2i+1). */
    private static Tensor interleave(Tensor w, int heads, int hd) {
        float[] src = w.toFloatArray(), dst = new float[src.length];
        int cols = w.size(1);
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < hd / 2; i++)
                for (int j = 0; j < 2; j++)
                    System.arraycopy(src, (h * hd + j * hd / 2 + i) * cols, dst, (h * hd + 2 * i + j) * cols, cols);
        return Tensor.of(dst, w.shape());
    }

    private static void assertSameLogits(Weights hub, Weights other, MixtralConfig c, MixtralWeightLayout expected) {
        Tensor ids = Tensor.of(new float[]{1, 5, 77, 3, 120, 9, 64, 2}, 1, 8);
        try (var g = NoGrad.enter()) {
            MixtralForCausalLM a = MixtralForCausalLM.load(hub, c), b = MixtralForCausalLM.load(other, c);
            assertEquals(expected, b.layout());
            MixtralTesting.assertClose(a.forward(ids).logits().toFloatArray(), b.forward(ids).logits().toFloatArray(), 1e-4f,
                    expected + " logits");
        }
    }
}
