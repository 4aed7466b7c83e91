package dev.genai4j.cli;

import picocli.CommandLine.Command;

/** {@code genai4j bench …}: side-by-side benchmarks (see BENCHMARKS.md). */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Side-by-side benchmarks against reference libraries, as ratios.", "",
                "Example:  genai4j bench gemm"},
        subcommands = {GemmBenchCommand.class, EncoderBenchCommand.class, JlamaBenchCommand.class, QuantBenchCommand.class,
                ServeBenchCommand.class, DebertaBenchCommand.class, MoeBenchCommand.class, GlinerBenchCommand.class, DiffusionBenchCommand.class,
                ClipVitBenchCommand.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
