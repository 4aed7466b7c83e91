package dev.genai4j.models.deberta;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.MissingWeightException;
import dev.genai4j.io.Weights;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config parsing and its errors, the inference kernel against the tensor-op path on every variant, masks and gradients. */
class DebertaV2ModelTest {
    private static final String BASE = "\"model_type\":\"deberta-v2\",\"vocab_size\":50,\"hidden_size\":24,\"num_hidden_layers\":2,"
            + "\"num_attention_heads\":3,\"intermediate_size\":40,\"layer_norm_eps\":1e-7,\"max_position_embeddings\":64";

    static DebertaV2Config cfg(String extra) {
        return DebertaV2Config.from(JsonConfig.parse("{" + BASE + (extra.isEmpty() ? "" : "," + extra) + "}", "config.json"));
    }

    @Test
    void readsBothHubAndSavePretrainedLayouts() {
        DebertaV2Config hub = cfg("\"relative_attention\":true,\"position_buckets\":256,\"pos_att_type\":\"p2c|c2p\",\"norm_rel_ebd\":\"layer_norm\",\"share_att_key\":true,\"position_biased_input\":false");
        DebertaV2Config saved = cfg("\"relative_attention\":true,\"position_buckets\":256,\"pos_att_type\":[\"p2c\",\"c2p\"],\"norm_rel_ebd\":\"layer_norm\",\"share_att_key\":true,\"position_biased_input\":false,\"architectures\":[\"DebertaV2Model\"]");
        assertEquals(hub, saved);
        assertTrue(hub.c2p() && hub.p2c() && hub.normRelEmbedding() && hub.shareAttKey());
        assertEquals(3, hub.scaleFactor());
        assertEquals(256, hub.attentionSpan());
        assertEquals(512, hub.relEmbeddingRows());
        assertEquals(64, hub.maxRelativePositions(), "max_relative_positions −1 falls back to max_position_embeddings");
        DebertaV2Config plain = cfg("");
        assertFalse(plain.relativeAttention() || plain.c2p() || plain.p2c());
        assertTrue(plain.positionBiasedInput(), "HF's default");
        assertEquals(1, plain.scaleFactor());
        assertEquals(8, plain.attentionHeadSize());
    }

    @Test
    void refusesWhatCannotRunNamingTheField() {
        String conv = assertThrows(ConfigException.class, () -> cfg("\"conv_kernel_size\":3,\"conv_act\":\"gelu\"")).getMessage();
        assertTrue(conv.contains("conv_kernel_size") && conv.contains("not supported"), conv);
        String pos = assertThrows(ConfigException.class, () -> cfg("\"pos_att_type\":\"p2c|c2q\"")).getMessage();
        assertTrue(pos.contains("pos_att_type 'c2q'"), pos);
        String p2p = assertThrows(ConfigException.class, () -> cfg("\"pos_att_type\":[\"p2p\"]")).getMessage();
        assertTrue(p2p.contains("pos_att_type 'p2p'"), p2p);
        String norm = assertThrows(ConfigException.class, () -> cfg("\"norm_rel_ebd\":\"rms_norm\"")).getMessage();
        assertTrue(norm.contains("norm_rel_ebd 'rms_norm'"), norm);
        assertEquals(false, cfg("\"conv_kernel_size\":0").relativeAttention(), "conv_kernel_size 0 builds no conv layer in HF");
    }

    @Test
    void missingRelativeEmbeddingsIsNamed() {
        DebertaV2Config c = cfg(V3);
        Map<String, Tensor> w = new HashMap<>(DebertaV2Init.weights(c, new Rng(1), 0.2f));
        w.remove("encoder.rel_embeddings.weight");
        String msg = assertThrows(MissingWeightException.class, () -> DebertaV2Model.load(Weights.ofMap(w), c)).getMessage();
        assertTrue(msg.contains("encoder.rel_embeddings.weight") && msg.contains("relative_attention"), msg);
    }

    static final String V3 = "\"relative_attention\":true,\"position_buckets\":8,\"max_relative_positions\":20,\"pos_att_type\":\"p2c|c2p\","
            + "\"norm_rel_ebd\":\"layer_norm\",\"share_att_key\":true,\"position_biased_input\":false";

    /** Each variant the modeling code has: the kernel (NoGrad) and the tensor ops (autograd) agree everywhere, padded rows included. */
    @ParameterizedTest
    @ValueSource(strings = {
            V3,
            // v2-base style: own pos_key_proj / pos_query_proj, absolute positions, token types, no buckets (clamped at ±6)
            "\"relative_attention\":true,\"max_relative_positions\":6,\"pos_att_type\":[\"c2p\",\"p2c\"],\"type_vocab_size\":2",
            // c2p only, an embedding width that embed_proj maps to hidden_size
            "\"relative_attention\":true,\"position_buckets\":4,\"pos_att_type\":\"c2p\",\"share_att_key\":true,\"embedding_size\":16,\"position_biased_input\":false",
            // p2c only, separate projection, log buckets
            "\"relative_attention\":true,\"position_buckets\":6,\"max_relative_positions\":30,\"pos_att_type\":\"p2c\",\"norm_rel_ebd\":\"layer_norm\"",
            // no relative attention at all, yet pos_att_type still scales the scores as HF does
            "\"pos_att_type\":\"c2p|p2c\""})
    void kernelMatchesTensorOps(String extra) {
        DebertaV2Config c = cfg(extra);
        DebertaV2Model m = DebertaV2Model.load(Weights.ofMap(randomized(c, 7)), c);
        int b = 3, t = 13;
        Tensor ids = Randoms.randint(new Rng(3), 1, c.vocabSize(), b, t);
        float[] mask = new float[b * t];
        for (int j = 0; j < t; j++) {
            mask[j] = 1;                        // full row
            mask[t + j] = j < 9 ? 1 : 0;        // right padding
            mask[2 * t + j] = j >= 4 ? 1 : 0;   // left padding
        }
        Tensor maskT = Tensor.of(mask, b, t);
        Tensor types = Randoms.randint(new Rng(4), 0, Math.max(1, c.typeVocabSize()), b, t);
        Tensor slow = m.forward(ids, maskT, types);
        Tensor fast;
        try (var g = NoGrad.enter()) {
            fast = m.forward(ids, maskT, types);
        }
        float[] a = fast.toFloatArray(), e = slow.toFloatArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 2e-4f + 1e-3f * Math.abs(e[i]), "[" + i + "]");
    }

    /** The cached projections of the relative embeddings follow weights changed in place (fine-tuning between inference calls). */
    @Test
    void projectionCacheNoticesChangedWeights() {
        DebertaV2Config c = cfg(V3);
        DebertaV2Model m = DebertaV2Model.load(Weights.ofMap(randomized(c, 13)), c);
        Tensor ids = Randoms.randint(new Rng(6), 1, c.vocabSize(), 1, 11);
        float[] before;
        try (var g = NoGrad.enter()) {
            before = m.forward(ids, null, null).toFloatArray();
        }
        Tensor wk = m.namedParameters().get("encoder.layer.0.attention.self.key_proj.weight").value();
        wk.set(wk.get(3, 5) + 0.5f, 3, 5);
        Tensor rel = m.namedParameters().get("encoder.rel_embeddings.weight").value();
        rel.set(rel.get(7, 2) - 0.5f, 7, 2);
        float[] after, reference = m.forward(ids, null, null).toFloatArray();   // tensor ops: no cache
        try (var g = NoGrad.enter()) {
            after = m.forward(ids, null, null).toFloatArray();
        }
        float maxChange = 0;
        for (int i = 0; i < after.length; i++) {
            assertEquals(reference[i], after[i], 2e-4f + 1e-3f * Math.abs(reference[i]), "[" + i + "]");
            maxChange = Math.max(maxChange, Math.abs(after[i] - before[i]));
        }
        assertTrue(maxChange > 1e-3f, "the change must matter for this test to mean anything");
    }

    /** HF's mask: what sits under padding never reaches a real token. */
    @Test
    void paddedTokensDoNotLeak() {
        DebertaV2Config c = cfg(V3);
        DebertaV2Model m = DebertaV2Model.load(Weights.ofMap(randomized(c, 9)), c);
        float[] ids = {1, 5, 9, 13, 2, 0, 0, 0};
        float[] other = {1, 5, 9, 13, 2, 7, 8, 44};
        float[] mask = {1, 1, 1, 1, 1, 0, 0, 0};
        try (var g = NoGrad.enter()) {
            float[] x = m.forward(Tensor.of(ids, 1, 8), Tensor.of(mask, 1, 8), null).toFloatArray();
            float[] y = m.forward(Tensor.of(other, 1, 8), Tensor.of(mask, 1, 8), null).toFloatArray();
            float[] alone = m.forward(Tensor.of(new float[]{1, 5, 9, 13, 2}, 1, 5), null, null).toFloatArray();
            for (int i = 0; i < 5 * c.hiddenSize(); i++) {
                assertEquals(x[i], y[i], 1e-5f, "real token changed with the padding's ids at " + i);
                assertEquals(alone[i], x[i], 1e-4f, "padding changed a real token at " + i);
            }
        }
    }

    @Test
    void gradientsReachTheRelativeEmbeddings() {
        DebertaV2Config c = cfg(V3);
        DebertaV2Model m = DebertaV2Model.load(Weights.ofMap(randomized(c, 11)), c);
        m.trainable();
        Tensor ids = Randoms.randint(new Rng(5), 1, c.vocabSize(), 2, 9);
        m.forward(ids, null, null).square().sum().backward();
        Tensor rel = m.namedParameters().get("encoder.rel_embeddings.weight").grad();
        assertNotNull(rel);
        float norm = 0;
        for (float v : rel.toFloatArray()) norm += v * v;
        assertTrue(norm > 0, "rel_embeddings gradient is zero");
        assertNotNull(m.namedParameters().get("encoder.layer.1.attention.self.key_proj.weight").grad());
    }

    /** The built-in config of a published backbone equals what its Hub config.json says. */
    @Test
    void publishedBackboneConfigEqualsItsHubConfig() {
        String hub = "{\"model_type\":\"deberta-v2\",\"attention_probs_dropout_prob\":0.1,\"hidden_act\":\"gelu\",\"hidden_dropout_prob\":0.1,"
                + "\"hidden_size\":768,\"initializer_range\":0.02,\"intermediate_size\":3072,\"max_position_embeddings\":512,"
                + "\"relative_attention\":true,\"position_buckets\":256,\"norm_rel_ebd\":\"layer_norm\",\"share_att_key\":true,"
                + "\"pos_att_type\":\"p2c|c2p\",\"layer_norm_eps\":1e-7,\"max_relative_positions\":-1,\"position_biased_input\":false,"
                + "\"num_attention_heads\":12,\"num_hidden_layers\":6,\"type_vocab_size\":0,\"vocab_size\":128100}";
        assertEquals(DebertaV2Config.from(JsonConfig.parse(hub, "config.json")), PublishedDebertaConfigs.forModelName("microsoft/deberta-v3-small", 0));
        assertEquals(128004, PublishedDebertaConfigs.forModelName("Microsoft/DeBERTa-v3-Small", 128004).vocabSize());
        assertEquals(250105, PublishedDebertaConfigs.forModelName("microsoft/mdeberta-v3-base", 250105).vocabSize());
        assertFalse(PublishedDebertaConfigs.known("microsoft/deberta-v2-xlarge"));
        String msg = assertThrows(IllegalArgumentException.class, () -> PublishedDebertaConfigs.forModelName("x/deberta", 0)).getMessage();
        assertTrue(msg.contains("'x/deberta'"), msg);
    }

    /** Random weights with random biases and norm parameters, so a dropped bias or norm shows. */
    static Map<String, Tensor> randomized(DebertaV2Config c, long seed) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> w = new HashMap<>(DebertaV2Init.weights(c, rng, 0.2f));
        for (var e : w.entrySet()) {
            if (e.getKey().endsWith(".bias")) e.setValue(Randoms.normal(rng, 0f, 0.2f, e.getValue().shape()));
            else if (e.getKey().endsWith("LayerNorm.weight")) e.setValue(Randoms.normal(rng, 1f, 0.2f, e.getValue().shape()));
        }
        return w;
    }
}
