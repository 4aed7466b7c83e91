package dev.genai4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes GLiNER's training-data format: a JSON array of
 * {@code {"tokenized_text": [...], "ner": [[start, end, "label"], ...]}} (end inclusive), the
 * format of urchade/GLiNER's {@code train.py} and its published data sets.
 *
 * <pre>{@code
 * NerJson.write(Path.of("train.json"), examples);
 * List<NerExample> back = NerJson.read(Path.of("train.json"));
 * }</pre>
 */
public final class NerJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NerJson() {}

    /** Writes {@code examples} (one object per line inside the array, so the file greps well), atomically. */
    public static void write(Path file, List<NerExample> examples) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (var out = Files.newBufferedWriter(tmp)) {
                out.write("[\n");
                for (int i = 0; i < examples.size(); i++) {
                    out.write(JSON.writeValueAsString(toJson(examples.get(i))));
                    out.write(i + 1 < examples.size() ? ",\n" : "\n");
                }
                out.write("]\n");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataException("NER data: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode toJson(NerExample e) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode words = o.putArray("tokenized_text");
        e.tokens().forEach(words::add);
        ArrayNode ner = o.putArray("ner");
        for (NerExample.Span s : e.ner()) ner.addArray().add(s.start()).add(s.end()).add(s.label());
        if (e.source() != null) o.put("source", e.source());
        return o;
    }

    /**
     * Reads a GLiNER JSON file. @throws DataException naming the file and the example index when
     * the file is not an array of such objects or a span lies outside its text
     */
    public static List<NerExample> read(Path file) {
        MissingDataException.require("NER data", file, "genai4j train gliner (builds the silver set) or a GLiNER-format JSON file");
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new DataException("NER data: " + file + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) throw new DataException("NER data: " + file + " must hold a JSON array of examples");
        List<NerExample> out = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode o = root.get(i);
            try {
                if (!o.path("tokenized_text").isArray() || !o.path("ner").isArray()) {
                    throw new DataException("expected {\"tokenized_text\": [...], \"ner\": [[start, end, label], ...]}");
                }
                List<String> tokens = new ArrayList<>();
                for (JsonNode t : o.get("tokenized_text")) tokens.add(t.asText());
                List<NerExample.Span> ner = new ArrayList<>();
                for (JsonNode s : o.get("ner")) {
                    if (!s.isArray() || s.size() != 3 || !s.get(0).canConvertToInt() || !s.get(1).canConvertToInt()) {
                        throw new DataException("ner entry " + s + " is not [start, end, label]");
                    }
                    ner.add(new NerExample.Span(s.get(0).asInt(), s.get(1).asInt(), s.get(2).asText()));
                }
                out.add(new NerExample(tokens, ner, o.path("source").isTextual() ? o.get("source").asText() : null));
            } catch (DataException e) {
                throw new DataException("NER data: " + file + " example " + i + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
