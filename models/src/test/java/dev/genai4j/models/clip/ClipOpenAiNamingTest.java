package dev.genai4j.models.clip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenAI's original state-dict names load onto the same model and give identical outputs. */
class ClipOpenAiNamingTest {
    static final Path CASE = ClipFixturesTest.ROOT.resolve("eos_rule_fp32");

    /** The fixture's HF tensors renamed the other way: what OpenAI's {@code model.state_dict()} holds. */
    static Map<String, Tensor> toOpenAi(Weights hf, ClipConfig c) {
        Map<String, Tensor> o = new LinkedHashMap<>();
        o.put("visual.conv1.weight", hf.get("vision_model.embeddings.patch_embedding.weight"));
        o.put("visual.class_embedding", hf.get("vision_model.embeddings.class_embedding"));
        o.put("visual.positional_embedding", hf.get("vision_model.embeddings.position_embedding.weight"));
        norm(hf, "vision_model.pre_layrnorm", o, "visual.ln_pre");
        norm(hf, "vision_model.post_layernorm", o, "visual.ln_post");
        blocks(hf, "vision_model.encoder.layers.", c.vision().numHiddenLayers(), o, "visual.transformer.resblocks.");
        o.put("visual.proj", hf.get("visual_projection.weight").mT().contiguous());
        o.put("token_embedding.weight", hf.get("text_model.embeddings.token_embedding.weight"));
        o.put("positional_embedding", hf.get("text_model.embeddings.position_embedding.weight"));
        blocks(hf, "text_model.encoder.layers.", c.text().numHiddenLayers(), o, "transformer.resblocks.");
        norm(hf, "text_model.final_layer_norm", o, "ln_final");
        o.put("text_projection", hf.get("text_projection.weight").mT().contiguous());
        o.put("logit_scale", hf.get("logit_scale"));
        return o;
    }

    private static void blocks(Weights hf, String from, int n, Map<String, Tensor> o, String to) {
        for (int i = 0; i < n; i++) {
            String f = from + i + ".", t = to + i + ".";
            norm(hf, f + "layer_norm1", o, t + "ln_1");
            norm(hf, f + "layer_norm2", o, t + "ln_2");
            List<Tensor> w = List.of(hf.get(f + "self_attn.q_proj.weight"), hf.get(f + "self_attn.k_proj.weight"), hf.get(f + "self_attn.v_proj.weight"));
            List<Tensor> b = List.of(hf.get(f + "self_attn.q_proj.bias"), hf.get(f + "self_attn.k_proj.bias"), hf.get(f + "self_attn.v_proj.bias"));
            o.put(t + "attn.in_proj_weight", Tensor.cat(w, 0));
            o.put(t + "attn.in_proj_bias", Tensor.cat(b, 0));
            norm(hf, f + "self_attn.out_proj", o, t + "attn.out_proj");
            norm(hf, f + "mlp.fc1", o, t + "mlp.c_fc");
            norm(hf, f + "mlp.fc2", o, t + "mlp.c_proj");
        }
    }

    private static void norm(Weights hf, String from, Map<String, Tensor> o, String to) {
        o.put(to + ".weight", hf.get(from + ".weight"));
        o.put(to + ".bias", hf.get(from + ".bias"));
    }

    static Tensor input(String key) {
        JsonNode in = JsonConfig.read(CASE.resolve("inputs.json")).tree();
        return ClipCheck.nested(in.get(key), key, CASE.toString());
    }

    @Test
    void openAiNamesGiveIdenticalOutputs(@TempDir Path dir) throws Exception {
        ClipConfig c = ClipConfig.from(JsonConfig.read(CASE.resolve("config.json")));
        Tensor pixels = input("pixel_values"), ids = input("input_ids"), mask = input("attention_mask");
        try (SafetensorsWeights hf = Weights.open(CASE); var g = NoGrad.enter()) {
            ClipModel.Output ref = ClipModel.load(hf, c).forward(pixels, ids, mask);
            Map<String, Tensor> openai = toOpenAi(hf, c);
            assertTrue(OpenAiClipWeights.isOpenAi(Weights.ofMap(openai)));
            ClipModel.Output mem = ClipModel.load(Weights.ofMap(openai), c).forward(pixels, ids, mask);
            assertSame(ref, mem);

            // on disk, loaded through the folder path with the HF config beside it
            SafetensorsWriter.save(dir.resolve("model.safetensors"), openai);
            Files.copy(CASE.resolve("config.json"), dir.resolve("config.json"));
            try (ClipModel m = ClipModel.load(dir)) {
                assertSame(ref, m.forward(pixels, ids, mask));
            }
        }
    }

    /**
     * Same tensors, same function: equal to rounding. Not bit for bit, because a memory-mapped
     * (read-only) weight goes through the cached packed GEMM while the renamed in-memory copy
     * streams through the few-rows kernel, and the two sum in different orders (a 2-ulp
     * difference was seen); a wrongly mapped tensor would be off by orders of magnitude more.
     */
    private static void assertSame(ClipModel.Output a, ClipModel.Output b) {
        assertClose(a.imageEmbeds(), b.imageEmbeds(), "image_embeds");
        assertClose(a.textEmbeds(), b.textEmbeds(), "text_embeds");
        assertClose(a.logitsPerImage(), b.logitsPerImage(), "logits_per_image");
        assertClose(a.vision().lastHiddenState(), b.vision().lastHiddenState(), "vision last_hidden_state");
        assertClose(a.text().pooled(), b.text().pooled(), "text pooled");
    }

    private static void assertClose(Tensor a, Tensor b, String what) {
        assertArrayEquals(a.shape(), b.shape(), what + " shape");
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            float tol = 1e-6f * Math.max(1f, Math.abs(x[i]));
            if (Math.abs(x[i] - y[i]) > tol) {
                throw new AssertionError(what + "[" + i + "]: " + x[i] + " vs " + y[i] + " (tolerance " + tol + ")");
            }
        }
    }

    /** Independent of our own renaming: a torch model written in OpenAI's layout (scripts/reference/clip_openai_reference.py). */
    @Test
    void torchModelInOpenAiLayoutMatches() {
        var r = dev.genai4j.models.check.CheckRunner.check(Path.of("src/test/resources/clip/openai"));
        r.lines().forEach(l -> System.out.println("openai " + l.format()));
        assertEquals(3, r.lines().size());
        assertTrue(r.allOk(), r.summary());
    }

    @Test
    void configInferredFromOpenAiWeightsAsBuildModelDoes() {
        ClipConfig c = ClipConfig.from(JsonConfig.read(CASE.resolve("config.json")));
        try (SafetensorsWeights hf = Weights.open(CASE)) {
            ClipConfig d = ClipConfig.fromOpenAiWeights(Weights.ofMap(toOpenAi(hf, c)));
            assertEquals(64, d.vision().hiddenSize());
            assertEquals(128, d.vision().intermediateSize());
            assertEquals(2, d.vision().numHiddenLayers());
            assertEquals(8, d.vision().patchSize());
            assertEquals(32, d.vision().imageSize());
            assertEquals(1, d.vision().numAttentionHeads(), "OpenAI: width / 64 heads");
            assertEquals(48, d.text().hiddenSize());
            assertEquals(100, d.text().vocabSize());
            assertEquals(16, d.text().maxPositionEmbeddings());
            assertEquals(2, d.text().numHiddenLayers());
            assertTrue(d.text().legacyPooling(), "OpenAI pools at argmax of the ids");
            assertEquals(32, d.projectionDim());
        }
    }

    @Test
    void openAiFolderWithoutConfigLoadsWithTheInferredConfig(@TempDir Path dir) throws Exception {
        ClipConfig c = ClipConfig.from(JsonConfig.read(CASE.resolve("config.json")));
        try (SafetensorsWeights hf = Weights.open(CASE)) {
            SafetensorsWriter.save(dir.resolve("model.safetensors"), toOpenAi(hf, c));
        }
        try (ClipModel m = ClipModel.load(dir); var g = NoGrad.enter()) {
            assertEquals(1, m.config().vision().numAttentionHeads());
            ClipModel.Output o = m.forward(input("pixel_values"), input("input_ids"), input("attention_mask"));
            assertArrayEquals(new int[]{3, 4}, o.logitsPerImage().shape());
        }
        // an HF-named folder without config.json is refused with the file named
        try (SafetensorsWeights hf = Weights.open(CASE)) {
            Path other = Files.createDirectory(dir.resolve("hf"));
            SafetensorsWriter.save(other.resolve("model.safetensors"), Map.of("logit_scale", hf.get("logit_scale")));
            var e = assertThrows(dev.genai4j.io.CheckpointException.class, () -> ClipModel.load(other));
            assertTrue(e.getMessage().contains("config.json"), e.getMessage());
        }
    }

    @Test
    void resNetTowerIsRefusedClearly() {
        Map<String, Tensor> rn = new LinkedHashMap<>();
        rn.put("visual.conv1.weight", Tensor.zeros(32, 3, 3, 3));
        rn.put("visual.layer1.0.conv1.weight", Tensor.zeros(64, 32, 1, 1));
        rn.put("visual.attnpool.positional_embedding", Tensor.zeros(50, 64));
        rn.put("token_embedding.weight", Tensor.zeros(10, 8));
        UnsupportedClipException e = assertThrows(UnsupportedClipException.class,
                () -> ClipModel.load(Weights.ofMap(rn), ClipConfig.from(JsonConfig.read(CASE.resolve("config.json")))));
        assertTrue(e.getMessage().contains("ResNet") && e.getMessage().contains("out of scope"), e.getMessage());
        assertThrows(UnsupportedClipException.class, () -> ClipConfig.fromOpenAiWeights(Weights.ofMap(rn)));
    }
}
