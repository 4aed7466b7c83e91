package dev.genai4j.models.modernbert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.check.FamilyCheck;
import dev.genai4j.models.check.FixtureCase;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@code model_type: modernbert} reference case: {@code input_ids} and (optional)
 * {@code attention_mask} [B, T] from {@code inputs.json} through the class named by
 * {@code architectures} (ModernBertForMaskedLM when absent), loaded from the case folder by the
 * normal loaders. Produces {@code last_hidden_state} [B, T, H] and, for the task models,
 * {@code logits} ([B, T, V] MLM, [B, num_labels] sequence, [B, T, num_labels] token classification).
 */
public final class ModernBertCheck implements FamilyCheck {
    @Override
    public String family() { return "modernbert"; }

    @Override
    public boolean accepts(FixtureCase c) { return c.modelType().equals("modernbert"); }

    @Override
    public Map<String, Tensor> run(FixtureCase c) {
        ModernBertConfig config = ModernBertConfig.fromJson(c.config());
        JsonNode in = c.inputs();
        if (in == null || !in.has("input_ids")) {
            throw new CheckpointException("modernbert check: " + c.dir() + "/inputs.json has no input_ids");
        }
        Tensor ids = matrix(in.get("input_ids"), "input_ids", c);
        Tensor mask = in.has("attention_mask") ? matrix(in.get("attention_mask"), "attention_mask", c) : null;
        String arch = c.config().getStringList("architectures", List.of("ModernBertForMaskedLM")).getFirst();
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsWeights w = Weights.open(c.dir())) {
            switch (arch) {
                case "ModernBertForMaskedLM" -> {
                    var r = ModernBertForMaskedLM.load(w, config).forward(ids, mask);
                    out.put("last_hidden_state", r.lastHiddenState());
                    out.put("logits", r.logits());
                }
                case "ModernBertForSequenceClassification" ->
                        out.put("logits", ModernBertForSequenceClassification.load(w, config).forward(ids, mask));
                case "ModernBertForTokenClassification" ->
                        out.put("logits", ModernBertForTokenClassification.load(w, config).forward(ids, mask));
                case "ModernBertModel" -> {
                    Weights enc = w.has("model.embeddings.tok_embeddings.weight") ? w.sub("model") : w;
                    out.put("last_hidden_state", ModernBertModel.load(enc, config).forward(ids, mask));
                }
                default -> throw new CheckpointException("modernbert check: " + c.dir() + "/config.json names architecture '"
                        + arch + "'; supported: ModernBertForMaskedLM, ModernBertForSequenceClassification, "
                        + "ModernBertForTokenClassification, ModernBertModel");
            }
            // copy out of the mapped file before it closes (outputs are fresh heap tensors already, this is cheap)
            out.replaceAll((k, t) -> Tensor.of(t.toFloatArray(), t.shape()));
        }
        return out;
    }

    /** A rectangular JSON array of integers → fp32 tensor [B, T]. */
    static Tensor matrix(JsonNode a, String name, FixtureCase c) {
        if (a == null || !a.isArray() || a.isEmpty() || !a.get(0).isArray()) {
            throw new CheckpointException("modernbert check: " + c.dir() + "/inputs.json: " + name + " must be a [B, T] array of integers");
        }
        int b = a.size(), t = a.get(0).size();
        float[] data = new float[b * t];
        for (int i = 0; i < b; i++) {
            JsonNode row = a.get(i);
            if (!row.isArray() || row.size() != t) {
                throw new CheckpointException("modernbert check: " + c.dir() + "/inputs.json: " + name + " row " + i
                        + " has " + row.size() + " entries, row 0 has " + t);
            }
            for (int j = 0; j < t; j++) data[i * t + j] = row.get(j).asInt();
        }
        return Tensor.of(data, b, t);
    }
}
