package dev.genai4j.models.mixtral;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtralConfigTest {
    @Test
    void readsTheFixtureConfigWithHfDefaults() {
        MixtralConfig c = MixtralConfig.read(MixtralTesting.fixture("single_fp32").resolve("config.json"));
        assertEquals(64, c.hiddenSize());
        assertEquals(16, c.headDim());            // head_dim null → hidden / heads
        assertEquals(2, c.groupSize());
        assertEquals(1e6, c.ropeTheta());
        assertNull(c.slidingWindow());
        assertEquals(List.of(2), c.eosTokenIds());
        assertEquals(0.02, c.routerAuxLossCoef(), 1e-12);

        MixtralConfig d = MixtralConfig.fromJson(JsonConfig.parse("{}", "empty"));   // Mixtral-8x7B sizes
        assertEquals(4096, d.hiddenSize());
        assertEquals(14336, d.intermediateSize());
        assertEquals(8, d.numLocalExperts());
        assertEquals(128, d.headDim());
    }

    @Test
    void readsTransformers5RopeParametersAndEosLists() {
        MixtralConfig c = MixtralConfig.fromJson(JsonConfig.parse(
                "{\"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 5000.0}, \"eos_token_id\": [2, 7], \"sliding_window\": 32}", "t5"));
        assertEquals(5000.0, c.ropeTheta());
        assertEquals(List.of(2, 7), c.eosTokenIds());
        assertEquals(32, c.slidingWindow());
    }

    @Test
    void rejectsMoreExpertsPerTokenThanExperts() {
        var e = assertThrows(ConfigException.class, () -> MixtralTesting.config("single_fp32", t -> t.put("num_experts_per_tok", 9)));
        assertTrue(e.getMessage().contains("num_experts_per_tok is 9") && e.getMessage().contains("num_local_experts (8)"), e.getMessage());
    }

    @Test
    void rejectsOtherBadValues() {
        assertThrows(ConfigException.class, () -> MixtralTesting.config("single_fp32", t -> t.put("num_key_value_heads", 3)));
        assertThrows(ConfigException.class, () -> MixtralTesting.config("single_fp32", t -> t.put("model_type", "llama")));
        assertThrows(ConfigException.class, () -> MixtralTesting.config("single_fp32",
                t -> t.putObject("rope_scaling").put("rope_type", "yarn")));
    }

    @Test
    void readsNativeParams() {
        MixtralConfig c = MixtralConfig.fromNativeParams(JsonConfig.parse("{\"dim\": 64, \"n_layers\": 2, \"head_dim\": 16, \"hidden_dim\": 96,"
                + " \"n_heads\": 4, \"n_kv_heads\": 2, \"norm_eps\": 1e-5, \"vocab_size\": 128, \"rope_theta\": 1e6,"
                + " \"moe\": {\"num_experts\": 8, \"num_experts_per_tok\": 2}}", "params.json"));
        assertEquals(96, c.intermediateSize());
        assertEquals(2, c.numKeyValueHeads());
        assertEquals(8, c.numLocalExperts());
        assertThrows(ConfigException.class, () -> MixtralConfig.fromNativeParams(JsonConfig.parse(
                "{\"dim\": 64, \"n_layers\": 2, \"hidden_dim\": 96, \"n_heads\": 4, \"vocab_size\": 128}", "dense params.json")));
    }
}
