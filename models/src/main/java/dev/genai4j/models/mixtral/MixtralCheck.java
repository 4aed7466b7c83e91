package dev.genai4j.models.mixtral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.check.FamilyCheck;
import dev.genai4j.models.check.FixtureCase;
import dev.genai4j.nn.Positions;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@code model_type: mixtral} reference case: {@code input_ids}, {@code attention_mask} and
 * {@code position_ids} [B, T] from {@code inputs.json} through {@link MixtralForCausalLM} loaded by the
 * normal loader. Produces {@code logits} [B, T, V], {@code router_logits.<layer>} [B·T, E],
 * {@code aux_loss} (HF {@code load_balancing_loss_func} with the attention mask, coefficient not
 * applied) and, when {@code max_new_tokens} is given, {@code greedy_tokens} [B, max_new_tokens]:
 * the arg-max continuation of each (unpadded) prompt through {@link Generator} with the KV cache,
 * left-padded as HF pads a batch.
 */
public final class MixtralCheck implements FamilyCheck {
    @Override
    public String family() { return "mixtral"; }

    @Override
    public boolean accepts(FixtureCase c) { return c.modelType().equals("mixtral"); }

    @Override
    public Map<String, Tensor> run(FixtureCase c) {
        MixtralConfig config = MixtralConfig.fromJson(c.config());
        JsonNode in = c.inputs();
        if (in == null || !in.has("input_ids")) throw new CheckpointException("mixtral check: " + c.dir() + "/inputs.json has no input_ids");
        int[][] ids = matrix(in.get("input_ids"), "input_ids", c);
        int b = ids.length, t = ids[0].length;
        int[][] mask = in.has("attention_mask") ? matrix(in.get("attention_mask"), "attention_mask", c) : null;
        int[][] pos = in.has("position_ids") ? matrix(in.get("position_ids"), "position_ids", c) : null;
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsWeights w = Weights.open(c.dir())) {
            MixtralForCausalLM lm = MixtralForCausalLM.load(w, config);
            Tensor maskT = mask == null ? null : floats(mask);
            MixtralForCausalLM.Output o = lm.forward(floats(ids), maskT, pos == null ? null : Positions.perBatch(pos), null, false);
            out.put("logits", o.logits());
            List<Tensor> router = o.routerLogits();
            for (int l = 0; l < router.size(); l++) out.put("router_logits." + l, router.get(l));
            out.put("aux_loss", LoadBalancingLoss.compute(router, config.numLocalExperts(), config.numExpertsPerTok(), maskT));
            if (in.has("max_new_tokens")) {
                List<int[]> prompts = new ArrayList<>(b);
                for (int r = 0; r < b; r++) {
                    int[] row = ids[r], m = mask == null ? null : mask[r];
                    prompts.add(m == null ? row : Arrays.stream(range(t)).filter(i -> m[i] != 0).map(i -> row[i]).toArray());
                }
                int maxNew = in.get("max_new_tokens").asInt();
                GenerationResult g = new Generator(lm).generateIds(prompts, GenerationOptions.greedy(maxNew).withStopAtEos(false), null);
                float[] greedy = new float[b * maxNew];
                Arrays.fill(greedy, Float.NaN);
                for (int r = 0; r < b; r++) {
                    int[] toks = g.tokens().get(r);
                    for (int i = 0; i < toks.length; i++) greedy[r * maxNew + i] = toks[i];
                }
                out.put("greedy_tokens", Tensor.of(greedy, b, maxNew));
            }
            out.replaceAll((k, x) -> Tensor.of(x.toFloatArray(), x.shape()));   // off the mapped file before it closes
        }
        return out;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static Tensor floats(int[][] m) {
        int b = m.length, t = m[0].length;
        float[] d = new float[b * t];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) d[i * t + j] = m[i][j];
        return Tensor.of(d, b, t);
    }

    /** A rectangular JSON array of integers [B, T]. */
    static int[][] matrix(JsonNode a, String name, FixtureCase c) {
        if (a == null || !a.isArray() || a.isEmpty() || !a.get(0).isArray()) {
            throw new CheckpointException("mixtral check: " + c.dir() + "/inputs.json: " + name + " must be a [B, T] array of integers");
        }
        int b = a.size(), t = a.get(0).size();
        int[][] out = new int[b][t];
        for (int i = 0; i < b; i++) {
            JsonNode row = a.get(i);
            if (!row.isArray() || row.size() != t) {
                throw new CheckpointException("mixtral check: " + c.dir() + "/inputs.json: " + name + " row " + i + " has "
                        + row.size() + " entries, row 0 has " + t);
            }
            for (int j = 0; j < t; j++) out[i][j] = row.get(j).asInt();
        }
        return out;
    }
}
