package dev.genai4j.models.mixtral;

import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.HfTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A random folder from {@link MixtralInit} loads back (sharded or not), has HF's init statistics and generates from text. */
class MixtralInitTest {
    private static MixtralConfig tiny(int vocab) {
        return MixtralConfig.fromJson(JsonConfig.parse("{\"vocab_size\": " + vocab + ", \"hidden_size\": 32, \"intermediate_size\": 48,"
                + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"num_local_experts\": 4,"
                + " \"num_experts_per_tok\": 2, \"max_position_embeddings\": 128, \"sliding_window\": 8}", "tiny"));
    }

    @Test
    void shardedAndSingleFilesHoldTheSameWeights(@TempDir Path dir) {
        MixtralConfig c = tiny(300);
        Path one = dir.resolve("one"), many = dir.resolve("many");
        MixtralInit.write(one, c, DType.BF16, 7, 1L << 30);
        MixtralInit.write(many, c, DType.BF16, 7, 20_000);
        assertTrue(Files.exists(one.resolve("model.safetensors")));
        assertTrue(Files.exists(many.resolve("model.safetensors.index.json")));
        assertFalse(Files.exists(many.resolve("model.safetensors")));
        assertEquals(c, MixtralConfig.read(many.resolve("config.json")));
        Tensor ids = Tensor.of(new float[]{1, 17, 250, 3, 99, 42, 5, 6, 7, 8, 9, 10}, 1, 12);   // longer than the window
        try (var a = MixtralForCausalLM.load(one); var b = MixtralForCausalLM.load(many); var g = NoGrad.enter()) {
            assertEquals(DType.BF16, a.lmHead().weight().value().dtype());
            float[] la = a.forward(ids).logits().toFloatArray(), lb = b.forward(ids).logits().toFloatArray();
            // not bit-exact: Vector API float reductions may sum in another order once C2 compiles
            // them (the first forward runs partly interpreted), so the same weights agree to rounding
            assertArrayEquals(la, lb, 1e-5f);
            for (float v : la) assertTrue(Float.isFinite(v));
        }
        try (SafetensorsWeights w = Weights.open(many)) {
            float[] x = w.get("model.layers.1.block_sparse_moe.experts.3.w2.weight").toFloatArray();
            double sum = 0, sq = 0;
            for (float v : x) { sum += v; sq += v * v; }
            double mean = sum / x.length, std = Math.sqrt(sq / x.length - mean * mean);
            assertEquals(0.0, mean, 0.003);
            assertEquals(0.02, std, 0.002);
            for (float v : w.get("model.layers.0.input_layernorm.weight").toFloatArray()) assertEquals(1f, v);
        }
    }

    @Test
    void trainedTokenizerRoundTripsAndTextGenerationRuns(@TempDir Path dir) {
        MixtralConfig c = tiny(400);
        MixtralInit.write(dir, c, DType.F32, 1, 1L << 30);
        var bpe = MixtralInit.writeTokenizer(dir, 300, null);
        assertTrue(bpe.vocabSize() <= 300);
        try (var lm = MixtralForCausalLM.load(dir); var tok = HfTokenizer.load(dir.resolve("tokenizer.json"))) {
            assertEquals("The river ran fast.", tok.decode(tok.encode("The river ran fast.").ids(), true));
            assertEquals(1, tok.tokenToId("<s>"));
            assertEquals(2, tok.tokenToId("</s>"));
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = new Generator(lm, tok).generate(List.of("The river"), GenerationOptions.greedy(10).withStopAtEos(false),
                    (row, id, text) -> streamed.append(text));
            assertEquals(10, r.tokens().getFirst().length);
            assertEquals(r.texts().getFirst(), streamed.toString());
        }
    }
}
