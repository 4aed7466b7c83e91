package dev.genai4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code genai4j moe ...}: tools for sparse mixture-of-experts (Mixtral-style) models. */
@Command(name = "moe",
        mixinStandardHelpOptions = true,
        description = {
                "Sparse mixture-of-experts (Mixtral) tools.",
                "",
                "Example:  genai4j moe init --hidden 1024 --experts 8 --top-k 2 --layers 8 -o runs/moe-random"
        },
        subcommands = {MoeInitCommand.class, MoeRoutingCommand.class})
final class MoeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
