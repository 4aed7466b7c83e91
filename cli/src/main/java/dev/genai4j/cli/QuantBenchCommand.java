package dev.genai4j.cli;

import dev.genai4j.bench.QuantBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code genai4j bench quant}: decode-shaped products with fp32, bf16, Q8_0 and Q4_0 weights. */
@Command(name = "quant",
        mixinStandardHelpOptions = true,
        description = {"y = x · Wᵀ with W [N, K] held in fp32, bf16, Q8_0 and Q4_0, for 1 row (decode) and 8 rows",
                "(a short prompt), 1 and 2 threads, timed in rotation in one process. Prints median",
                "milliseconds and the speed-up over fp32 of each format.", "",
                "Example:  genai4j bench quant --quick"})
final class QuantBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print one JSON object {bench, results: [{name, <figure>: value, …}]} instead of the lines")
    boolean json;

    @Option(names = "--quick", description = "shorter timing runs")
    boolean quick;

    @Option(names = "--n", defaultValue = "4096", description = "output rows N (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--k", defaultValue = "4096", description = "inner size K (default: ${DEFAULT-VALUE})")
    int k;

    @Override
    public Integer call() throws Exception {
        BenchJson.run("quant", json, spec.commandLine().getOut(), () -> QuantBench.run(n, k, new int[]{1, 2}, quick));
        return 0;
    }
}
