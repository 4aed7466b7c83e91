package dev.genai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.bert.Embedder;
import dev.genai4j.models.bert.SemanticSearch;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j search}: semantic search over a small set of texts with a sentence encoder. */
@Command(name = "search",
        mixinStandardHelpOptions = true,
        description = {
                "Semantic search over a small set of texts: every document is embedded once, each QUERY is",
                "embedded with the model's query prefix (E5: 'query: '/'passage: ', BGE: its retrieval",
                "instruction) and the best documents are printed by cosine similarity.",
                "Documents come from --corpus (one per line, blank lines skipped; '-' reads stdin) and/or --doc.",
                "",
                "Examples:",
                "  genai4j search --doc \"Reset your password in Settings.\" --doc \"We are closed on Sundays.\" \"forgot my login\"",
                "  genai4j search --model e5-small-v2 --corpus faq.txt --top 3 --json \"refund policy\""
        })
final class SearchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", paramLabel = "NAME|DIR",
            description = "a known model name (see 'genai4j models list'), an HF folder or a hub model hf:org/name[@rev] (default: ${DEFAULT-VALUE})")
    String model;

    @Mixin
    HubOptions hub;

    @Option(names = "--corpus", paramLabel = "FILE", description = "a text file with one document per line ('-' for stdin)")
    String corpus;

    @Option(names = "--doc", paramLabel = "TEXT", description = "a document (repeatable)")
    List<String> docs = new ArrayList<>();

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "results per query (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--query-prefix", paramLabel = "TEXT", description = "override the query prefix the model is known to want")
    String queryPrefix;

    @Option(names = "--doc-prefix", paramLabel = "TEXT", description = "override the document prefix the model is known to want")
    String docPrefix;

    @Option(names = "--json", description = "print JSON: {\"model\": …, \"results\": [{\"query\": …, \"hits\": [{\"index\", \"score\", \"text\"}]}]}")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "what to look for")
    List<String> queries;

    @Override
    public Integer call() {
        try {
            List<String> documents = new ArrayList<>(readCorpus());
            documents.addAll(docs);
            if (documents.isEmpty()) {
                spec.commandLine().getErr().println("search: no documents: give --corpus FILE and/or --doc TEXT");
                return ExitCodes.USAGE;
            }
            if (top < 1) {
                spec.commandLine().getErr().println("search: --top must be at least 1, got " + top);
                return ExitCodes.USAGE;
            }
            Path dir = ModelLocator.isHub(model) ? ModelLocator.locate(model, hub)
                    : Files.isDirectory(Path.of(model)) ? Path.of(model) : ModelStore.get(model);
            SemanticSearch.Prefixes known = SemanticSearch.Prefixes.forModel(model);
            SemanticSearch.Prefixes prefixes = new SemanticSearch.Prefixes(
                    queryPrefix != null ? queryPrefix : known.query(), docPrefix != null ? docPrefix : known.document());
            try (Embedder e = Embedder.load(dir)) {
                SemanticSearch s = SemanticSearch.index(e, prefixes, documents);
                print(s.searchAll(queries, top));
            }
            return 0;
        } catch (TensorException e) {
            String m = e.getMessage();
            spec.commandLine().getErr().println(m.startsWith("search:") ? m : "search: " + m);
            return ExitCodes.of(e);
        } catch (IOException e) {
            spec.commandLine().getErr().println("search: cannot read corpus " + corpus + ": " + e.getMessage());
            return ExitCodes.of(e);
        }
    }

    private List<String> readCorpus() throws IOException {
        if (corpus == null) return List.of();
        List<String> lines;
        if (corpus.equals("-")) {
            lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList();
        } else {
            Path p = Path.of(corpus);
            if (!Files.isRegularFile(p)) throw new java.nio.file.NoSuchFileException(corpus, null, "no such file");
            lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        }
        return lines.stream().filter(l -> !l.isBlank()).toList();
    }

    private void print(List<List<SemanticSearch.Hit>> results) {
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode().put("model", model);
            ArrayNode all = root.putArray("results");
            for (int q = 0; q < results.size(); q++) {
                ObjectNode r = all.addObject().put("query", queries.get(q));
                ArrayNode hits = r.putArray("hits");
                for (SemanticSearch.Hit h : results.get(q))
                    hits.addObject().put("index", h.index()).put("score", Math.round(h.score() * 1e4) / 1e4).put("text", h.text());
            }
            spec.commandLine().getOut().println(root);
            spec.commandLine().getOut().flush();
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int q = 0; q < results.size(); q++) {
            if (results.size() > 1) sb.append(q == 0 ? "" : "\n").append("query: ").append(queries.get(q)).append('\n');
            for (SemanticSearch.Hit h : results.get(q)) sb.append(h).append('\n');
        }
        spec.commandLine().getOut().print(sb);
        spec.commandLine().getOut().flush();
    }
}
