package dev.genai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.gliner.Entity;
import dev.genai4j.models.gliner.ExtractOptions;
import dev.genai4j.models.gliner.Gliner;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j ner}: zero-shot named-entity recognition with a GLiNER checkpoint ({@link Gliner}). */
@Command(name = "ner",
        mixinStandardHelpOptions = true,
        description = {
                "Finds entities of the types named by --labels with a GLiNER checkpoint folder",
                "(gliner_config.json, model.safetensors, tokenizer.json; BERT backbones, span mode markerV0).",
                "Prints 'start end label score text' per entity (start/end are character offsets, end exclusive);",
                "--json prints a list of {start, end, text, label, score} objects as the reference does.",
                "",
                "Example:  genai4j ner --model models/gliner --labels person,location \"Marie Curie was born in Warsaw.\""
        })
final class NerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "GLiNER checkpoint folder")
    Path model;

    @Option(names = "--labels", required = true, paramLabel = "L1,L2", description = "entity types, comma-separated")
    String labels;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "P", description = "minimum score (default ${DEFAULT-VALUE})")
    double threshold;

    static final class Mode {
        @Option(names = "--flat", description = "no overlapping entities (default)") boolean flat;
        @Option(names = "--nested", description = "allow an entity inside another") boolean nested;
    }

    @ArgGroup(exclusive = true)
    Mode mode;

    @Option(names = "--multi-label", description = "a span may carry several labels")
    boolean multiLabel;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Parameters(arity = "1", paramLabel = "TEXT", description = "the text to search")
    String text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        List<String> types = Arrays.stream(labels.split(",", -1)).map(String::strip).toList();
        List<Entity> found;
        try {
            ExtractOptions o = new ExtractOptions(threshold, mode == null || !mode.nested, multiLabel);
            try (Gliner g = Gliner.load(model)) {
                found = g.extract(text, types, o);
            }
        } catch (TensorException | IllegalArgumentException e) {
            err.println("ner: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode all = mapper.createArrayNode();
            for (Entity e : found) {
                ObjectNode n = all.addObject();
                n.put("start", e.start());
                n.put("end", e.end());
                n.put("text", e.text());
                n.put("label", e.label());
                n.put("score", e.score());
            }
            out.println(all.toPrettyString());
        } else {
            for (Entity e : found) out.printf("%d\t%d\t%s\t%.4f\t%s%n", e.start(), e.end(), e.label(), e.score(), e.text());
        }
        out.flush();
        return 0;
    }
}
