package dev.genai4j.cli;

import dev.genai4j.bench.DebertaBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code genai4j bench deberta}: a deberta-v3-small-shaped backbone against BERT of the same width. */
@Command(name = "deberta",
        mixinStandardHelpOptions = true,
        description = {"Tokens/s of a deberta-v3-small-shaped DebertaV2Model (random weights) next to a BERT of the same",
                "width and depth, in one process, at batch 1x128 and 8x384, 1 and 2 threads.",
                "ratio = DeBERTa time / BERT time.", "",
                "Example:  genai4j bench deberta --quick"})
final class DebertaBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print one JSON object {bench, results: [{name, <figure>: value, …}]} instead of the lines")
    boolean json;

    @Option(names = "--quick", description = "shorter timing runs")
    boolean quick;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "thread counts (default: ${DEFAULT-VALUE})")
    int[] threads;

    @Override
    public Integer call() throws Exception {
        BenchJson.run("deberta", json, spec.commandLine().getOut(), () -> DebertaBench.run(threads, quick));
        return 0;
    }
}
