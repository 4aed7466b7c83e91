package dev.genai4j.models.modernbert;

import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** A freshly initialized ModernBERT: HF's init statistics, and a saved checkpoint that loads back identically. */
class ModernBertFreshTest {
    static JsonConfig configJson() {
        return JsonConfig.read(ModernBertFixturesTest.fixture("classic_fp32").resolve("config.json"));
    }

    @Test
    void initFollowsHf() {
        ModernBertConfig c = ModernBertConfig.fromJson(configJson());   // range 0.02, cutoff 2, 4 layers
        var p = ModernBertForMaskedLM.fresh(c, new Rng(1)).namedParameters();
        assertStd(p.get("model.layers.1.attn.Wqkv.weight").value(), 0.02, 2.0);
        assertStd(p.get("model.layers.1.mlp.Wo.weight").value(), 0.02 / Math.sqrt(8), 2.0);
        assertStd(p.get("model.embeddings.tok_embeddings.weight").value(), 0.02 / Math.sqrt(8), 2.0);   // tied: decoder's σ
        assertArrayEquals(Tensor.ones(64).toFloatArray(), p.get("model.final_norm.weight").value().toFloatArray());
        assertArrayEquals(new float[128], p.get("decoder.bias").value().toFloatArray());
        assertTrue(p.get("model.layers.1.attn.Wqkv.weight").value().requiresGrad());
    }

    /** The sample's std is within 10 % of the truncated normal's and nothing passes the cut. */
    private static void assertStd(Tensor t, double std, double cutoff) {
        float[] d = t.toFloatArray();
        double ss = 0;
        for (float v : d) {
            assertTrue(Math.abs(v) <= cutoff * std + 1e-7, "value " + v + " beyond the cut");
            ss += v * v;
        }
        // variance of N(0,1) truncated at ±2 is 1 − 2·2·φ(2)/(2Φ(2) − 1) ≈ 0.7737
        double expected = std * Math.sqrt(0.7737);
        assertEquals(expected, Math.sqrt(ss / d.length), 0.1 * expected);
    }

    @Test
    void savedCheckpointLoadsBackWithTheSameOutputs(@TempDir Path dir) {
        JsonConfig json = configJson();
        ModernBertForMaskedLM m = ModernBertForMaskedLM.fresh(ModernBertConfig.fromJson(json), new Rng(2));
        m.eval();
        CheckpointFolder.write(dir, json.tree(), m.stateDict(), new dev.genai4j.io.SafetensorsWriter());
        Tensor ids = Tensor.of(new float[]{1, 5, 9, 4, 2}, 1, 5);
        try (var back = ModernBertForMaskedLM.load(dir); var g = NoGrad.enter()) {
            assertArrayEquals(m.forward(ids, null).logits().toFloatArray(), back.forward(ids, null).logits().toFloatArray(), 1e-5f);   // to rounding: C2 may reorder vector sums between calls
        }
    }
}
