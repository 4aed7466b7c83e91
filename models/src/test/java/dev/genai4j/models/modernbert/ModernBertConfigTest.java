package dev.genai4j.models.modernbert;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.modernbert.ModernBertConfig.LayerType;
import dev.genai4j.nn.Activation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.genai4j.models.modernbert.ModernBertConfig.LayerType.GLOBAL;
import static dev.genai4j.models.modernbert.ModernBertConfig.LayerType.LOCAL;
import static org.junit.jupiter.api.Assertions.*;

class ModernBertConfigTest {
    private static ModernBertConfig parse(String json) {
        return ModernBertConfig.fromJson(JsonConfig.parse(json, "test config.json"));
    }

    @Test
    void defaultsAreHfsModernBertBase() {
        ModernBertConfig c = parse("{\"model_type\": \"modernbert\"}");
        assertEquals(50368, c.vocabSize());
        assertEquals(768, c.hiddenSize());
        assertEquals(1152, c.intermediateSize());
        assertEquals(22, c.numHiddenLayers());
        assertEquals(12, c.numAttentionHeads());
        assertEquals(64, c.headDim());
        assertEquals(8192, c.maxPositionEmbeddings());
        assertEquals(128, c.localAttention());
        assertEquals(160_000.0, c.ropeTheta(GLOBAL));
        assertEquals(10_000.0, c.ropeTheta(LOCAL));
        assertEquals(Activation.GELU, c.hiddenActivation());
        assertEquals(ModernBertConfig.Pooling.CLS, c.classifierPooling());
        assertFalse(c.normBias());
        assertTrue(c.decoderBias());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(50283, c.padTokenId());
        assertEquals(2, c.numLabels());
        // every third layer global, starting with layer 0
        for (int i = 0; i < 22; i++) assertEquals(i % 3 == 0 ? GLOBAL : LOCAL, c.layerTypes().get(i), "layer " + i);
    }

    @Test
    void classicAndV5LayoutsOfTheSameModelAgree() {
        ModernBertConfig classic = parse("""
                {"model_type": "modernbert", "num_hidden_layers": 4, "global_attn_every_n_layers": 2,
                 "global_rope_theta": 80000.0, "local_rope_theta": 5000.0, "local_attention": 16}""");
        ModernBertConfig v5 = parse("""
                {"model_type": "modernbert", "num_hidden_layers": 4, "local_attention": 16,
                 "layer_types": ["full_attention", "sliding_attention", "full_attention", "sliding_attention"],
                 "rope_parameters": {"full_attention": {"rope_theta": 80000.0, "rope_type": "default"},
                                     "sliding_attention": {"rope_theta": 5000.0, "rope_type": "default"}}}""");
        assertEquals(classic, v5);
        assertEquals(List.of(GLOBAL, LOCAL, GLOBAL, LOCAL), v5.layerTypes());
    }

    @Test
    void layerTypesWinOverTheIntegerPattern() {
        ModernBertConfig c = parse("""
                {"num_hidden_layers": 3, "global_attn_every_n_layers": 3,
                 "layer_types": ["sliding_attention", "full_attention", "sliding_attention"]}""");
        assertEquals(List.of(LOCAL, GLOBAL, LOCAL), c.layerTypes());
    }

    @Test
    void nullLocalRopeThetaMeansTheGlobalTheta() {
        ModernBertConfig c = parse("{\"global_rope_theta\": 123.0, \"local_rope_theta\": null}");
        assertEquals(123.0, c.ropeTheta(LOCAL));
    }

    @Test
    void v5WithoutRopeParametersUsesTheDefaults() {
        ModernBertConfig c = parse("{\"num_hidden_layers\": 1, \"layer_types\": [\"full_attention\"]}");
        assertEquals(160_000.0, c.ropeTheta(GLOBAL));
        assertEquals(10_000.0, c.ropeTheta(LOCAL));
    }

    @Test
    void numLabelsComesFromId2Label() {
        assertEquals(3, parse("{\"id2label\": {\"0\": \"a\", \"1\": \"b\", \"2\": \"c\"}}").numLabels());
        assertEquals(5, parse("{\"num_labels\": 5}").numLabels());
    }

    @Test
    void unmappableValuesNameTheField() {
        assertMessage("layer_types[1]", "{\"num_hidden_layers\": 2, \"layer_types\": [\"full_attention\", \"chunked\"]}");
        assertMessage("layer_types has 1 entries", "{\"num_hidden_layers\": 2, \"layer_types\": [\"full_attention\"]}");
        assertMessage("rope_type", "{\"rope_parameters\": {\"full_attention\": {\"rope_type\": \"yarn\", \"factor\": 2}}}");
        assertMessage("classifier_pooling", "{\"classifier_pooling\": \"max\"}");
        assertMessage("hidden_activation", "{\"hidden_activation\": \"swiglu2\"}");
        assertMessage("num_attention_heads", "{\"hidden_size\": 100, \"num_attention_heads\": 12}");
        assertMessage("model_type", "{\"model_type\": \"bert\"}");
        assertMessage("global_attn_every_n_layers", "{\"global_attn_every_n_layers\": 0}");
        assertMessage("rope_scaling", "{\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}}");
    }

    private static void assertMessage(String fragment, String json) {
        var e = assertThrows(ConfigException.class, () -> parse(json));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void fixtureConfigsParse() {
        for (String name : List.of("classic_fp32", "classic_bf16", "v5_format_fp32")) {
            ModernBertConfig c = ModernBertConfig.read(ModernBertFixturesTest.fixture(name).resolve("config.json"));
            assertEquals(List.of(GLOBAL, LOCAL, LOCAL, GLOBAL), c.layerTypes(), name);
            assertEquals(8, c.localAttention());
            assertEquals(160_000.0, c.ropeTheta(LayerType.GLOBAL));
            assertEquals(10_000.0, c.ropeTheta(LayerType.LOCAL));
        }
    }
}
