package dev.genai4j.models.clip.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.models.clip.ClipConfig;
import dev.genai4j.models.clip.ClipTextConfig;
import dev.genai4j.models.clip.ClipVisionConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON files of a trained CLIP folder: HF {@code config.json} ({@code CLIPConfig}) and a
 * {@code preprocessor_config.json} for 32 × 32 inputs normalized with mean = std = 0.5 (so a
 * 32 × 32 PNG given to {@code genai4j clip classify} gets exactly the training pixels: no resize,
 * no crop, {@code x/255·2 − 1}).
 */
public final class ClipFolders {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ClipFolders() {}

    /** HF {@code CLIPConfig} as a JSON map. */
    public static Map<String, Object> config(ClipConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of("CLIPModel"));
        m.put("model_type", "clip");
        m.put("projection_dim", c.projectionDim());
        m.put("logit_scale_init_value", ClipInit.LOGIT_SCALE_INIT);
        m.put("text_config", textConfig(c.text()));
        m.put("vision_config", visionConfig(c.vision()));
        return m;
    }

    static Map<String, Object> textConfig(ClipTextConfig t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", "clip_text_model");
        m.put("vocab_size", t.vocabSize());
        m.put("hidden_size", t.hiddenSize());
        m.put("intermediate_size", t.intermediateSize());
        m.put("num_hidden_layers", t.numHiddenLayers());
        m.put("num_attention_heads", t.numAttentionHeads());
        m.put("max_position_embeddings", t.maxPositionEmbeddings());
        m.put("hidden_act", "quick_gelu");
        m.put("layer_norm_eps", t.layerNormEps());
        m.put("bos_token_id", t.bosTokenId());
        m.put("eos_token_id", t.eosTokenId());
        m.put("pad_token_id", t.padTokenId());
        return m;
    }

    static Map<String, Object> visionConfig(ClipVisionConfig v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", "clip_vision_model");
        m.put("hidden_size", v.hiddenSize());
        m.put("intermediate_size", v.intermediateSize());
        m.put("num_hidden_layers", v.numHiddenLayers());
        m.put("num_attention_heads", v.numAttentionHeads());
        m.put("num_channels", v.numChannels());
        m.put("image_size", v.imageSize());
        m.put("patch_size", v.patchSize());
        m.put("hidden_act", "quick_gelu");
        m.put("layer_norm_eps", v.layerNormEps());
        return m;
    }

    /** {@code preprocessor_config.json} for {@code side} × {@code side} inputs in [-1, 1]. */
    public static Map<String, Object> preprocessor(int side) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_processor_type", "CLIPImageProcessor");
        m.put("do_resize", true);
        m.put("size", Map.of("shortest_edge", side));
        m.put("resample", 3);
        m.put("do_center_crop", true);
        m.put("crop_size", Map.of("height", side, "width", side));
        m.put("do_rescale", true);
        m.put("rescale_factor", 1 / 255.0);
        m.put("do_normalize", true);
        m.put("image_mean", List.of(0.5, 0.5, 0.5));
        m.put("image_std", List.of(0.5, 0.5, 0.5));
        m.put("do_convert_rgb", true);
        return m;
    }

    static void writeJson(Path file, Object value) {
        try {
            Files.write(file, JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + file + ": " + e, e);
        }
    }
}
