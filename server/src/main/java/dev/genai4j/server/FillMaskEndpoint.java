package dev.genai4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.modernbert.FillMask;

import java.util.List;
import java.util.Set;

/**
 * {@code POST /fill-mask}: {@code {"text": "The capital of France is [MASK].", "top_k": 5}} →
 * {@code {"model", "predictions": [[{"score", "token", "token_str", "sequence"}, …], …]}}: one list,
 * best first, per mask token in the text (the fields of HF's fill-mask pipeline).
 */
final class FillMaskEndpoint implements ServerExtension {
    private static final Set<String> FIELDS = Set.of("text", "top_k");

    @Override
    public void register(Routes r, ServerContext c) {
        r.post("/fill-mask", ctx -> {
            ObjectNode body = c.json().read(ctx);
            Fields.allowOnly(body, FIELDS);
            String text = Fields.text(body, "text", c.limits());
            int k = Fields.integer(body, "top_k", 5, 1, c.limits().maxTopK());
            try (WorkQueue.Slot slot = c.work().admit()) {
                List<List<FillMask.Prediction>> result = c.models().withFillMask(fm -> ModelCalls.run("fill-mask", () -> fm.predict(text, k)));
                ObjectNode out = RequestJson.MAPPER.createObjectNode();
                out.put("model", c.models().list().stream().filter(m -> m.task().equals("fill-mask")).findFirst().map(ModelCatalog.ModelInfo::id).orElse(""));
                ArrayNode all = out.putArray("predictions");
                for (List<FillMask.Prediction> perMask : result) {
                    ArrayNode list = all.addArray();
                    for (FillMask.Prediction p : perMask) {
                        list.addObject().put("score", p.score()).put("token", p.tokenId()).put("token_str", p.text()).put("sequence", p.sequence());
                    }
                }
                Responses.json(ctx, out);
            }
        });
    }
}
