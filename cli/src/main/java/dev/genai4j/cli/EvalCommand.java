package dev.genai4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code genai4j eval FAMILY}: held-out evaluation of a trained model, one subcommand per family. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = {
                "Evaluates a trained model on held-out data; one subcommand per family.",
                "",
                "Example:  genai4j eval mlm --model runs/mlm"
        },
        subcommands = {EvalMlmCommand.class, EvalGlinerCommand.class, EvalLmCommand.class, EvalClipCommand.class, EvalDiffusionCommand.class})
final class EvalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
