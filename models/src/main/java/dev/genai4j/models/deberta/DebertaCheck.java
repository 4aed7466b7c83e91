package dev.genai4j.models.deberta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.check.FamilyCheck;
import dev.genai4j.models.check.FixtureCase;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code genai4j check} for {@code model_type: deberta-v2}: runs {@link DebertaV2Model} on
 * {@code input_ids}, {@code attention_mask} (default all 1) and {@code token_type_ids} (default
 * all 0) from {@code inputs.json}, and returns {@code last_hidden_state} [B, T, H].
 */
public final class DebertaCheck implements FamilyCheck {
    @Override
    public String family() { return "deberta-v2"; }

    @Override
    public boolean accepts(FixtureCase c) { return c.modelType().equals("deberta-v2"); }

    @Override
    public Map<String, Tensor> run(FixtureCase c) {
        if (c.inputs() == null) throw new CheckpointException("check " + c.dir() + ": deberta-v2 needs inputs.json with input_ids");
        Tensor ids = matrix(c, "input_ids", true);
        Tensor mask = matrix(c, "attention_mask", false);
        Tensor types = matrix(c, "token_type_ids", false);
        DebertaV2Config config = DebertaV2Config.from(c.config());
        try (SafetensorsWeights w = Weights.open(c.dir())) {
            Tensor hidden = DebertaV2Model.load(w, config).forward(ids, mask, types);   // [B, T, H]
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("last_hidden_state", Tensor.of(hidden.toFloatArray(), hidden.shape()));   // a copy: the weights unmap on return
            return out;
        }
    }

    /** A [B, T] integer matrix from inputs.json; null when absent and optional. */
    static Tensor matrix(FixtureCase c, String key, boolean required) {
        JsonNode n = c.inputs().get(key);
        if (n == null) {
            if (required) throw new CheckpointException("check " + c.dir() + ": inputs.json has no '" + key + "' ([B, T] token ids)");
            return null;
        }
        if (!n.isArray() || n.isEmpty() || !n.get(0).isArray()) {
            throw new CheckpointException("check " + c.dir() + ": inputs.json '" + key + "' must be a [B, T] array of integers");
        }
        int b = n.size(), t = n.get(0).size();
        float[] v = new float[b * t];
        for (int i = 0; i < b; i++) {
            JsonNode row = n.get(i);
            if (row.size() != t) throw new CheckpointException("check " + c.dir() + ": inputs.json '" + key + "' row " + i + " has " + row.size() + " entries, row 0 has " + t);
            for (int j = 0; j < t; j++) v[i * t + j] = row.get(j).asInt();
        }
        return Tensor.of(v, b, t);
    }
}
