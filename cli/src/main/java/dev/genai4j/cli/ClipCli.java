package dev.genai4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** What the {@code clip} subcommands share: error reporting, JSON, vector formatting. */
final class ClipCli {
    private ClipCli() {}

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The API logs each truncated text; the commands print their own one-line warning instead, so
     * that logger is quieted (held here so the level is not lost to garbage collection).
     */
    private static final java.util.logging.Logger TRUNCATION_LOG =
            java.util.logging.Logger.getLogger(dev.genai4j.models.clip.ClipTextBatch.class.getName());

    /** Runs {@code body}; a user-facing error prints "clip TASK: message" and gives exit code 2. */
    static int run(CommandSpec spec, Callable<Integer> body) {
        TRUNCATION_LOG.setLevel(java.util.logging.Level.SEVERE);
        try {
            return body.call();
        } catch (TensorException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("clip " + spec.name() + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.of(e);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    static void printJson(CommandSpec spec, Object value) {
        try {
            PrintWriter out = spec.commandLine().getOut();
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static float[] row(Tensor m, int i) { return m.select(0, i).toFloatArray(); }

    static String vector(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < v.length; j++) sb.append(j == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.6f", v[j]));
        return sb.toString();
    }

    static void warnTruncated(CommandSpec spec, List<String> texts, List<Integer> truncated, int max) {
        for (int i : truncated) {
            spec.commandLine().getErr().println("warning: text " + (i + 1) + " (\"" + texts.get(i) + "\") is longer than "
                    + max + " tokens and was truncated");
        }
        spec.commandLine().getErr().flush();
    }
}
