package dev.genai4j.models.mixtral;

import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.KvCache;
import dev.genai4j.nn.Positions;
import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** f16 storage is read in place and converted in the kernels; the sliding window limits what a query sees, with and without the cache. */
class MixtralStorageAndWindowTest {

    @Test
    void f16WeightsGiveTheLogitsOfTheirF32Values(@TempDir Path dir) throws Exception {
        Path src = MixtralTesting.fixture("single_fp32");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        try (SafetensorsWeights w = Weights.open(src)) {
            Map<String, Tensor> all = new LinkedHashMap<>();
            for (String n : w.names()) all.put(n, w.get(n));
            new SafetensorsWriter().storeFloatsAs(DType.F16).write(dir.resolve("model.safetensors"), all);
        }
        Tensor ids = Tensor.of(new float[]{1, 11, 42, 80, 47, 104, 11, 115}, 1, 8);
        MixtralConfig c = MixtralConfig.read(dir.resolve("config.json"));
        try (var half = MixtralForCausalLM.load(dir); SafetensorsWeights w = Weights.open(dir); var g = NoGrad.enter()) {
            assertEquals(DType.F16, half.model().layers().get(1).moe().experts().get(0).parameters().getFirst().value().dtype());
            Map<String, Tensor> widened = new LinkedHashMap<>();
            for (String n : w.names()) widened.put(n, Tensor.of(w.get(n).toFloatArray(), w.get(n).shape()));
            MixtralTesting.assertClose(MixtralForCausalLM.load(Weights.ofMap(widened), c).forward(ids).logits().toFloatArray(),
                    half.forward(ids).logits().toFloatArray(), 1e-5f, "f16 logits");
        }
    }

    @Test
    void slidingWindowSeesOnlyTheLastWindowKeys(@TempDir Path dir) {
        int window = 4, n = 11;
        MixtralConfig c = MixtralConfig.fromJson(JsonConfig.parse("{\"vocab_size\": 64, \"hidden_size\": 32, \"intermediate_size\": 48,"
                + " \"num_hidden_layers\": 1, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"num_local_experts\": 4,"
                + " \"num_experts_per_tok\": 2, \"max_position_embeddings\": 64, \"sliding_window\": " + window + "}", "windowed"));
        MixtralInit.write(dir, c, DType.F32, 3, 1L << 30);
        float[] ids = new float[n];
        for (int i = 0; i < n; i++) ids[i] = (i * 7 + 3) % 64;
        try (var lm = MixtralForCausalLM.load(dir); var g = NoGrad.enter()) {
            int v = c.vocabSize();
            float[] full = lm.forward(Tensor.of(ids, 1, n)).logits().toFloatArray();
            // one layer: position t depends only on tokens t−w+1 … t, at their own positions
            for (int t = window; t < n; t++) {
                float[] part = Arrays.copyOfRange(ids, t - window + 1, t + 1);
                int[] pos = new int[window];
                for (int i = 0; i < window; i++) pos[i] = t - window + 1 + i;
                float[] last = lm.forward(Tensor.of(part, 1, window), null, Positions.shared(pos), null, true).logits().toFloatArray();
                MixtralTesting.assertClose(Arrays.copyOfRange(full, t * v, (t + 1) * v), last, 1e-4f, "position " + t);
            }
            // and the cache (which keeps every key) gives the same logits token by token
            KvCache[] caches = lm.newCaches(1, n);
            for (int t = 0; t < n; t++) {
                float[] step = lm.forward(Tensor.of(new float[]{ids[t]}, 1, 1), null, null, caches, true).logits().toFloatArray();
                MixtralTesting.assertClose(Arrays.copyOfRange(full, t * v, (t + 1) * v), step, 1e-4f, "cached position " + t);
            }
        }
    }
}
