package dev.genai4j.bench;

import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.mixtral.MixtralConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decode bench's denominators: the probes really move the bytes they count, and the byte count per token is the model's. */
class MoeBenchTest {

    @Test
    void bandwidthProbesReturnFiniteRates() {
        // each probe checks its own result (the copy's last byte, the read's exact chunk sums) and throws otherwise
        double read = MoeBench.readBandwidth(true), copy = MoeBench.copyBandwidth(true, true);
        assertTrue(read > 1e8 && Double.isFinite(read), "read bandwidth " + read);
        assertTrue(copy > 1e8 && Double.isFinite(copy), "copy bandwidth " + copy);
    }

    @Test
    void activeBytesCountAttentionRouterChosenExpertsAndHead() {
        MixtralConfig c = MixtralConfig.fromJson(JsonConfig.parse("""
                {"model_type": "mixtral", "vocab_size": 1000, "hidden_size": 64, "intermediate_size": 96,
                 "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
                 "num_local_experts": 4, "num_experts_per_tok": 2}""", "test config"));
        // per layer: q 64·64 + k, v 2·16·64 each + o 64·64 + router 4·64 + 2 experts × 3 × 64·96; head 1000·64
        double perLayer = 64 * 64 + 2 * (2 * 16 * 64) + 64 * 64 + 4 * 64 + 2 * 3 * 64 * 96;
        assertEquals(2 * (2 * perLayer + 1000 * 64), MoeBench.activeBytes(c, "bf16", 2), 1e-6);
        // q8: the experts at 36 bytes per 32 weights (our Q8_0 block: an fp32 scale + 32 int8), the rest as stored
        double dense = 64 * 64 + 2 * (2 * 16 * 64) + 64 * 64 + 4 * 64, experts = 2 * 3 * 64 * 96;
        assertEquals(2 * (2 * dense + experts * 36.0 / 32) + 2 * 1000 * 64, MoeBench.activeBytes(c, "q8", 2), 1e-6);
    }
}
