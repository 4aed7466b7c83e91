package dev.genai4j.cli;

import dev.genai4j.models.bert.onnx.ModelStore;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks every {@code --model DIR} (and {@code --baseline DIR}) given on the command line before the command starts: a folder
 * that is not there (or, for NAME|DIR options, a name that is not a known model) is a
 * {@link MissingModelException}, exit code {@link ExitCodes#MISSING}, whatever the family's loader
 * would have said. Hub ids ({@code hf:org/name}) are left to the hub client.
 */
final class ModelCheck {
    private ModelCheck() {}

    /** Options that name a model folder: the model itself, and a second model to compare it with. */
    private static final java.util.Set<String> MODEL_OPTIONS = java.util.Set.of("--model", "--baseline");

    static void require(CommandLine.ParseResult pr) {
        CommandLine.ParseResult leaf = pr;
        while (leaf.hasSubcommand()) leaf = leaf.subcommand();
        for (OptionSpec o : leaf.matchedOptions()) {
            if (!MODEL_OPTIONS.contains(o.longestName()) || !o.paramLabel().contains("DIR")) continue;
            Object v = o.getValue();
            if (v == null || v.toString().startsWith("hf:")) continue;
            String who = leaf.commandSpec().qualifiedName(" ").replaceFirst("^genai4j ", "");
            if (v instanceof Path p && !Files.exists(p)) {
                throw fail(leaf, who + ": model folder not found: " + p.toAbsolutePath());
            }
            if (v instanceof String s && !Files.isDirectory(Path.of(s)) && ModelStore.KNOWN.stream().noneMatch(k -> k.name().equals(s))) {
                throw fail(leaf, who + ": unknown model '" + s + "': not a folder and not a known name "
                        + ModelStore.KNOWN.stream().map(ModelStore.Known::name).toList());
            }
        }
    }

    private static CommandLine.ExecutionException fail(CommandLine.ParseResult leaf, String message) {
        return new CommandLine.ExecutionException(leaf.commandSpec().commandLine(), message, new MissingModelException(message));
    }
}
