package dev.genai4j.cli;

import dev.genai4j.bench.JlamaEncoderBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code genai4j bench jlama-encoder}: our Embedder vs Jlama 0.8.4 on all-MiniLM-L6-v2. */
@Command(name = "jlama-encoder",
        mixinStandardHelpOptions = true,
        description = {"Our sentence embedding against Jlama 0.8.4's BERT on the same all-MiniLM-L6-v2 folder, text in,",
                "mean-pooled vector out, at one thread count (Jlama fixes its threads once per process: run once",
                "per count). Prints median milliseconds, ratio = Jlama / ours (>= 1 means we are faster) and the",
                "least cosine between the two sides' embeddings.", "",
                "Example:  genai4j bench jlama-encoder --threads 1 --quick"})
final class JlamaBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print one JSON object {bench, results: [{name, <figure>: value, …}]} instead of the lines")
    boolean json;

    @Option(names = "--quick", description = "shorter timing runs")
    boolean quick;

    @Option(names = "--threads", defaultValue = "1", description = "threads for both sides (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "a known model name (default: ${DEFAULT-VALUE})")
    String model;

    @Override
    public Integer call() throws Exception {
        BenchJson.run("jlama-encoder", json, spec.commandLine().getOut(), () -> JlamaEncoderBench.run(model, threads, quick));
        return 0;
    }
}
