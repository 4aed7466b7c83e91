package dev.genai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.modernbert.FillMask;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j fill-mask}: the top-k tokens for each mask token in a text ({@link FillMask}). */
@Command(name = "fill-mask",
        mixinStandardHelpOptions = true,
        description = {
                "Predicts the tokens hidden behind the tokenizer's mask token with a masked-LM checkpoint",
                "(a folder with config.json, model.safetensors and tokenizer.json).",
                "Prints, per mask, 'score token_str sequence' best first; --json prints HF pipeline-style",
                "objects {score, token, token_str, sequence} (a list per mask when there are several).",
                "",
                "Example:  genai4j fill-mask --model models/ModernBERT-base --top-k 5 \"The capital of France is [MASK].\""
        })
final class FillMaskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf:ID", description = "checkpoint folder"
            + "; or a hub model hf:org/name[@rev] (see genai4j models download)")
    Path model;

    @Mixin
    HubOptions hub;

    @Option(names = "--top-k", defaultValue = "5", paramLabel = "K", description = "predictions per mask (default ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Parameters(arity = "1", paramLabel = "TEXT", description = "text containing the mask token, e.g. [MASK]")
    String text;

    @Override
    public Integer call() {
        model = ModelLocator.locate(model, hub);   // hf:org/name[@rev] -> its snapshot folder in the hub cache
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        List<List<FillMask.Prediction>> result;
        try (FillMask fm = FillMask.load(model)) {
            result = fm.predict(text, topK);
        } catch (TensorException | IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            err.println(m.startsWith("fill-mask:") ? m : "fill-mask: " + m);
            err.flush();
            return ExitCodes.of(e);
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode all = mapper.createArrayNode();
            for (List<FillMask.Prediction> perMask : result) {
                ArrayNode list = mapper.createArrayNode();
                for (FillMask.Prediction p : perMask) {
                    ObjectNode o = list.addObject();
                    o.put("score", p.score());
                    o.put("token", p.tokenId());
                    o.put("token_str", p.text());
                    o.put("sequence", p.sequence());
                }
                all.add(list);
            }
            out.println(all.size() == 1 ? all.get(0).toPrettyString() : all.toPrettyString());
        } else {
            for (int m = 0; m < result.size(); m++) {
                if (result.size() > 1) out.println("mask " + (m + 1) + ":");
                for (FillMask.Prediction p : result.get(m)) {
                    out.printf("%.4f  %-16s  %s%n", p.score(), p.text(), p.sequence());
                }
            }
        }
        out.flush();
        return 0;
    }
}
