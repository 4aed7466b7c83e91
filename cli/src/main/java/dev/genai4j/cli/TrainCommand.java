package dev.genai4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code genai4j train FAMILY}: pretraining from scratch, one subcommand per model family. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
                "Trains a model from scratch on the local corpora; one subcommand per family.",
                "",
                "Example:  genai4j train mlm --output runs/mlm --minutes 55"
        },
        subcommands = {TrainMlmCommand.class, TrainGlinerCommand.class, TrainLmCommand.class, TrainPointNetCommand.class,
                TrainFashionClassifierCommand.class, TrainPreferenceCommand.class, TrainDiffusionCommand.class, TrainClipCommand.class,
                TrainPointECommand.class})
final class TrainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
