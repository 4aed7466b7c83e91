package dev.genai4j.cli;

import dev.genai4j.bench.GlinerBench;
import dev.genai4j.models.gliner.train.DefaultGliner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j bench gliner}: words/s of a GLiNER model and its head-versus-encoder time. */
@Command(name = "gliner",
        mixinStandardHelpOptions = true,
        description = {"Words per second of a GLiNER folder (default: the shipped default model) on 32 everyday",
                "sentences with labels person, location, organization, date: one text per call (batch 1) and all",
                "32 in one call (batch 32), at each thread count. heads_over_encoder = time after the backbone",
                "(projection, prompt layer, LSTM, span layer, span-label scores) / backbone time, measured inside each",
                "pass; lstm_span_over_encoder = the word LSTM plus the span layer alone (the issue's 25 %% bar) / backbone.",
                "At 1 thread the cpu_ figures give the same ratios by the calling thread's CPU time, unaffected by other",
                "processes on the machine.", "",
                "Example:  genai4j bench gliner --threads 1,2"})
final class GlinerBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print one JSON object {bench, results: [{name, <figure>: value, …}]} instead of the lines")
    boolean json;

    @Option(names = "--model", paramLabel = "DIR", description = "GLiNER folder (default: the shipped default model)")
    Path model;

    @Option(names = "--quick", description = "shorter timing runs")
    boolean quick;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "thread counts (default: ${DEFAULT-VALUE})")
    int[] threads;

    @Override
    public Integer call() throws Exception {
        Path dir = model != null ? model : DefaultGliner.folder();
        BenchJson.run("gliner", json, spec.commandLine().getOut(), () -> GlinerBench.run(dir, threads, quick));
        return 0;
    }
}
