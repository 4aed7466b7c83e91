package dev.genai4j.cli;

import dev.genai4j.bench.EncoderBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code genai4j bench encoder}: BertModel vs ONNX Runtime fp32 on all-MiniLM-L6-v2. */
@Command(name = "encoder",
        mixinStandardHelpOptions = true,
        description = {"Our BertModel against ONNX Runtime fp32 on the same all-MiniLM-L6-v2 weights, 1 and 2 threads,",
                "batch 1x12 and 8x128 tokens. Prints median milliseconds per forward and ratio = ORT / ours",
                "(>= 1 means we are faster).", "",
                "Example:  genai4j bench encoder --quick"})
final class EncoderBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print one JSON object {bench, results: [{name, <figure>: value, …}]} instead of the lines")
    boolean json;

    @Option(names = "--quick", description = "shorter timing runs")
    boolean quick;

    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "a known model name (default: ${DEFAULT-VALUE})")
    String model;

    @Override
    public Integer call() throws Exception {
        BenchJson.run("encoder", json, spec.commandLine().getOut(), () -> EncoderBench.run(model, new int[]{1, 2}, quick));
        return 0;
    }
}
