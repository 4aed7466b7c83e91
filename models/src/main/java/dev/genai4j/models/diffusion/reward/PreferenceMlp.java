package dev.genai4j.models.diffusion.reward;

import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learned "preference" head: an MLP on unit-norm CLIP image embeddings giving one logit,
 * {@code fc2(relu(fc1(e)))} — the shape of the LAION aesthetic predictor and of ImageReward's
 * score head, trained here from labels we can compute (see {@link PreferenceLabels}). Saved as
 * {@code config.json} (sizes, the label rule, the CLIP it was trained on) + {@code model.safetensors}.
 *
 * <pre>{@code
 * PreferenceMlp mlp = PreferenceMlp.load(Path.of("runs/preference"));
 * Tensor logit = mlp.forward(clipImageEmbeddings);     // [B, P] → [B]
 * }</pre>
 */
public final class PreferenceMlp extends Module {
    public static final String MODEL_TYPE = "genai4j_preference_mlp";

    /** Sizes and provenance. */
    public record Config(int embeddingDim, int hidden, String labelRule, String clipModel) {
        public Config {
            if (embeddingDim <= 0 || hidden <= 0) throw new ConfigException("PreferenceMlp: sizes must be positive, got " + embeddingDim + ", " + hidden);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model_type", MODEL_TYPE);
            m.put("embedding_dim", embeddingDim);
            m.put("hidden", hidden);
            m.put("label_rule", labelRule);
            m.put("clip_model", clipModel);
            return m;
        }

        static Config from(JsonConfig j) {
            String type = j.getString("model_type", "");
            if (!MODEL_TYPE.equals(type)) throw new ConfigException(j.file() + ": model_type is '" + type + "', expected '" + MODEL_TYPE + "'");
            return new Config(j.getInt("embedding_dim"), j.getInt("hidden"), j.getString("label_rule", ""), j.getString("clip_model", ""));
        }
    }

    private final Config config;
    private final Linear fc1;   // [H, P]
    private final Linear fc2;   // [1, H]

    public PreferenceMlp(Config config, Rng rng) {
        this.config = config;
        this.fc1 = child("fc1", new Linear(config.embeddingDim(), config.hidden(), true, rng));
        this.fc2 = child("fc2", new Linear(config.hidden(), 1, true, rng));
    }

    public Config config() { return config; }

    /** Embeddings [B, P] → logits [B] (higher = more preferred). */
    public Tensor forward(Tensor embeddings) {
        if (embeddings.dim() != 2 || embeddings.size(1) != config.embeddingDim()) {
            throw ShapeException.of("PreferenceMlp", "CLIP embeddings [B, " + config.embeddingDim() + "]", embeddings.shape());
        }
        return fc2.forward(fc1.forward(embeddings).relu()).reshape(embeddings.size(0));
    }

    public void save(Path dir) { CheckpointFolder.write(dir, config.toJson(), stateDict()); }

    public static PreferenceMlp load(Path dir) {
        CheckpointFolder f = CheckpointFolder.open(dir);
        PreferenceMlp m = new PreferenceMlp(Config.from(f.config()), new Rng(0));
        try (SafetensorsWeights w = f.openWeights()) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (String name : w.names()) state.put(name, Tensor.of(w.get(name).toFloatArray(), w.get(name).shape()));
            m.loadStateDict(state, true);
        }
        m.eval();
        return m;
    }
}
