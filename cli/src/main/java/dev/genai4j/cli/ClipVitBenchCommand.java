package dev.genai4j.cli;

import dev.genai4j.bench.ClipVitBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genai4j bench clip-vit}: ViT-B/32 image-tower throughput ({@link ClipVitBench}). */
@Command(name = "clip-vit",
        mixinStandardHelpOptions = true,
        description = {"Images/s encoding 224x224 images with a ViT-B/32-shaped CLIP image tower (random weights),",
                "best of --reps runs once the JIT has settled. --weights heap: weights as after init (packed on every",
                "product, as PyTorch/OpenBLAS does); checkpoint: the same init saved as safetensors and memory-mapped,",
                "as a user runs a model (packed once, kept). scripts/bench/clip_vit_bench.sh runs it next to PyTorch.",
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

    @Option(names = "--weights", defaultValue = "checkpoint",
            description = "heap | checkpoint: where the weights live (default: ${DEFAULT-VALUE})")
    String weights;

    @Option(names = "--reps", defaultValue = "3", description = "timed runs per case (default: ${DEFAULT-VALUE})")
    int reps;

    @Override
    public Integer call() throws Exception {
        ClipVitBench.WeightSource source = switch (weights.toLowerCase(java.util.Locale.ROOT)) {
            case "heap" -> ClipVitBench.WeightSource.HEAP;
            case "checkpoint" -> ClipVitBench.WeightSource.CHECKPOINT;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--weights must be heap or checkpoint, got '" + weights + "'");
        };
        BenchJson.run("clip-vit", json, spec.commandLine().getOut(), () -> ClipVitBench.run(threads, batches, reps, source));
        return 0;
    }
}
