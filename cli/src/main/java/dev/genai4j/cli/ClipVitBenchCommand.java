package dev.genai4j.cli;

import dev.genai4j.bench.ClipVitBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genai4j bench clip-vit}: ViT-B/32 image-tower throughput ({@link ClipVitBench}). */
@Command(name = "clip-vit",
        mixinStandardHelpOptions = true,
        description = {"Images/s encoding 224x224 images with a ViT-B/32-shaped CLIP image tower (random weights),",
                "best of --reps runs after a warmup. scripts/bench/clip_vit_bench.sh runs it next to PyTorch.",
                "",
                "Example:  genai4j bench clip-vit --threads 1,2 --batches 1,32 --reps 3"})
final class ClipVitBenchCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print one JSON object {bench, results: [{name, <figure>: value, …}]} instead of the lines")
    boolean json;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "thread counts (default: ${DEFAULT-VALUE})")
    int[] threads;

    @Option(names = "--batches", split = ",", defaultValue = "1,32", description = "batch sizes (default: ${DEFAULT-VALUE})")
    int[] batches;

    @Option(names = "--reps", defaultValue = "3", description = "timed runs per case (default: ${DEFAULT-VALUE})")
    int reps;

    @Override
    public Integer call() throws Exception {
        BenchJson.run("clip-vit", json, spec.commandLine().getOut(), () -> ClipVitBench.run(threads, batches, reps));
        return 0;
    }
}
