package dev.genai4j.cli;

import dev.genai4j.models.bert.Embedder;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code genai4j embed}: sentence embeddings (or their cosine similarities) from a BERT encoder. */
@Command(name = "embed",
        mixinStandardHelpOptions = true,
        description = {
                "Sentence embeddings (or their cosine similarities) from a BERT-family encoder.",
                "Prints one L2-normalized embedding per TEXT (mean pooling, or CLS for BGE), or with",
                "--similarity the matrix of cosine similarities. Texts longer than the model's 512 positions",
                "are truncated with a warning (or rejected with --no-truncation).",
                "",
                "Examples:",
                "  genai4j embed \"A cat sits on the mat.\"",
                "  genai4j embed --model bge-small-en-v1.5 --similarity \"How old are you?\" \"What is your age?\" \"Nice weather\"",
                "  genai4j embed --model models/minilm --json \"hello\" \"world\""
        })
final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", paramLabel = "NAME|DIR",
            description = "a known model name (see 'genai4j models list'), an HF folder or a hub model hf:org/name[@rev] (default: ${DEFAULT-VALUE})")
    String model;

    @Mixin
    HubOptions hub;

    @Option(names = "--json", description = "print JSON: {\"model\": …, \"embeddings\": [[…], …]} (or \"similarity\")")
    boolean json;

    @Option(names = "--similarity", description = "print cosine similarities between the texts instead of the vectors")
    boolean similarity;

    @Option(names = "--no-truncation", description = "fail on a text longer than the model's positions instead of truncating it")
    boolean noTruncation;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "texts to embed")
    List<String> texts;

    @Override
    public Integer call() {
        try {
            Path dir = ModelLocator.isHub(model) ? ModelLocator.locate(model, hub)
                    : Files.isDirectory(Path.of(model)) ? Path.of(model) : ModelStore.get(model);
            try (Embedder e = Embedder.load(dir)) {
                if (noTruncation) e.overflow(dev.genai4j.text.EncodeOptions.Overflow.ERROR);
                float[][] v = e.embed(texts);
                if (similarity) printSimilarity(v); else printVectors(v);
            }
            return 0;
        } catch (TensorException e) {
            String m = e.getMessage();
            System.err.println(m.startsWith("embed:") ? m : "embed: " + m);
            return ExitCodes.of(e);
        }
    }

    private void printVectors(float[][] v) {
        StringBuilder sb = new StringBuilder();
        if (json) sb.append("{\"model\": \"").append(model.replace("\"", "\\\"")).append("\", \"embeddings\": [");
        for (int i = 0; i < v.length; i++) {
            if (json) sb.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < v[i].length; j++) {
                if (j > 0) sb.append(json ? ", " : " ");
                sb.append(String.format(Locale.ROOT, "%.6f", v[i][j]));
            }
            sb.append(json ? "]" : "\n");
        }
        if (json) sb.append("]}\n");
        System.out.print(sb);
    }

    private void printSimilarity(float[][] v) {
        StringBuilder sb = new StringBuilder(json ? "{\"model\": \"" + model.replace("\"", "\\\"") + "\", \"similarity\": [" : "");
        for (int i = 0; i < v.length; i++) {
            if (json) sb.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < v.length; j++) {
                if (j > 0) sb.append(json ? ", " : " ");
                sb.append(String.format(Locale.ROOT, "%.4f", Embedder.cosine(v[i], v[j])));
            }
            if (json) sb.append("]");
            else sb.append("  ").append(texts.get(i)).append('\n');
        }
        if (json) sb.append("]}\n");
        System.out.print(sb);
    }
}
