package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.gliner.Entity;
import dev.genai4j.models.gliner.ExtractOptions;
import dev.genai4j.models.gliner.Gliner;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j ner}: zero-shot named-entity recognition with a GLiNER checkpoint ({@link Gliner}). */
@Command(name = "ner",
        mixinStandardHelpOptions = true,
        description = {
                "Finds entities of the types named by --labels with a GLiNER checkpoint folder",
                "(gliner_config.json, model.safetensors, tokenizer.json).",
                "Texts of any length are read whole (overlapping windows); many labels run as several passes.",
                "Prints 'start end label score text' per entity: start/end count characters as Unicode code points",
                "(Python str indices, as the reference; an emoji counts 1, not 2 UTF-16 units), end exclusive;",
                "--json prints a list of {start, end, text, label, score} objects as the reference does.",
                "--jsonl IN.jsonl reads one JSON object per line ({\"text\": ..., optional \"labels\": [...]}) and prints",
                "that object plus \"entities\" per line, in order (lines with their own labels use those).",
                "",
                "Without --model the shipped default model is used (genai4j train gliner reproduces it).",
                "",
                "Example:  genai4j ner --labels person,location \"Marie Curie was born in Warsaw.\"",
                "          genai4j ner --model models/gliner --labels person,location \"Marie Curie was born in Warsaw.\""
        })
final class NerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|hf:ID", description = "GLiNER checkpoint folder (default: the shipped model, heads trained on"
            + " WordNet over all-MiniLM-L6-v2, assembled on first use)"
            + "; or a hub model hf:org/name[@rev] (see genai4j models download)")
    Path model;

    @Mixin
    HubOptions hub;

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

    @Option(names = "--jsonl", paramLabel = "IN.jsonl", description = "batch mode: one {\"text\", \"labels\"?} object per line")
    Path jsonl;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "the text to search (or use --jsonl)")
    String text;

    @Override
    public Integer call() {
        model = ModelLocator.locate(model, hub);   // hf:org/name[@rev] -> its snapshot folder in the hub cache
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        List<String> types = Arrays.stream(labels.split(",", -1)).map(String::strip).toList();
        if ((text == null) == (jsonl == null)) {
            err.println("ner: give either a TEXT or --jsonl IN.jsonl (exactly one)");
            err.flush();
            return ExitCodes.USAGE;
        }
        List<Entity> found;
        try {
            ExtractOptions o = new ExtractOptions(threshold, mode == null || !mode.nested, multiLabel);
            try (Gliner g = Gliner.load(model != null ? model : dev.genai4j.models.gliner.train.DefaultGliner.folder())) {
                if (jsonl != null) return batch(g, types, o, out);
                found = g.extract(text, types, o);
            }
        } catch (TensorException | IllegalArgumentException | IOException e) {
            err.println("ner: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        } catch (RuntimeException e) {
            // anything else is our bug, still reported as one line (the class names what broke)
            err.println("ner: internal error (" + e.getClass().getSimpleName() + "): " + e.getMessage());
            err.flush();
            return 1;
        }
        if (json) {
            out.println(toJson(new ObjectMapper(), found).toPrettyString());
        } else {
            for (Entity e : found) out.printf("%d\t%d\t%s\t%.4f\t%s%n", e.start(), e.end(), e.label(), e.score(), e.text());
        }
        out.flush();
        return 0;
    }

    /** Lines read and run together, so their passes share batches, and printed before the next block is read. */
    static final int JSONL_BLOCK = 64;

    /** One output line per input line, in order: the input object plus "entities". */
    private Integer batch(Gliner g, List<String> types, ExtractOptions o, PrintWriter out) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        try (Progress progress = Progress.start("ner", lines.size(), "lines", false)) {
        for (int from = 0; from < lines.size(); from += JSONL_BLOCK) {
            List<ObjectNode> nodes = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            List<List<String>> labelSets = new ArrayList<>();
            for (int i = from; i < Math.min(lines.size(), from + JSONL_BLOCK); i++) {
                String where = jsonl + " line " + (i + 1);
                JsonNode node;
                try {
                    node = mapper.readTree(lines.get(i));
                } catch (IOException e) {
                    throw new IllegalArgumentException(where + ": not JSON: " + e.getMessage());
                }
                if (node == null || !node.isObject() || !node.path("text").isTextual()) {
                    throw new IllegalArgumentException(where + ": expected an object with a string \"text\"");
                }
                List<String> own = types;
                if (node.has("labels")) {
                    if (!node.get("labels").isArray()) throw new IllegalArgumentException(where + ": \"labels\" must be an array of strings");
                    own = new ArrayList<>();
                    for (JsonNode l : node.get("labels")) own.add(l.asText());
                    try {
                        Gliner.checkLabels(own);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                    }
                }
                nodes.add((ObjectNode) node);
                texts.add(node.get("text").asText());
                labelSets.add(own);
            }
            List<List<Entity>> found;
            try {
                found = g.extractBatchPerText(texts, labelSets, o);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(jsonl + " lines " + (from + 1) + "-" + (from + texts.size()) + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < nodes.size(); i++) {
                nodes.get(i).set("entities", toJson(mapper, found.get(i)));
                out.println(mapper.writeValueAsString(nodes.get(i)));
            }
            out.flush();   // results before the progress line that counts them
            progress.step(nodes.size());
        }
        }
        out.flush();
        return 0;
    }

    private static ArrayNode toJson(ObjectMapper mapper, List<Entity> found) {
        ArrayNode all = mapper.createArrayNode();
        for (Entity e : found) {
            ObjectNode n = all.addObject();
            n.put("start", e.start());
            n.put("end", e.end());
            n.put("text", e.text());
            n.put("label", e.label());
            n.put("score", e.score());
        }
        return all;
    }
}
