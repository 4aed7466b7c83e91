package dev.genai4j.cli;

import dev.genai4j.bench.MoeBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j bench moe}: Mixtral prefill/decode tokens/s, ours vs Jlama 0.8.4, f32/bf16/q8/q4. */
@Command(name = "moe",
        mixinStandardHelpOptions = true,
        description = {"Mixtral prefill and decode tokens/s on a 'genai4j moe init' folder, ours and Jlama 0.8.4 side by side,",
                "at one thread count (Jlama fixes its threads once per process: run once per count), with decode's",
                "fraction of the memory-bandwidth limit (bw_frac: active weight bytes per token / measured copy",
                "bandwidth, bytes read + written), of a read-only stream probed in the same process (read_frac: what a",
                "step that only reads its weights can reach) and the process's peak resident memory (cumulative over",
                "modes: run --modes bf16 --no-jlama alone for it). scripts/bench/membw.c measures the same ceilings in C.", "",
                "Example:  genai4j moe init -o runs/moe-bench && genai4j bench moe --model runs/moe-bench --threads 1 --modes bf16,q8"})
final class MoeBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print one JSON object {bench, results: [{name, <figure>: value, …}]} instead of the lines")
    boolean json;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a Mixtral folder (bf16, as moe init writes it)")
    Path model;

    @Option(names = "--f32", paramLabel = "DIR", description = "the same model stored in f32, for the f32 mode")
    Path f32;

    @Option(names = "--threads", defaultValue = "1", description = "threads for both sides (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--modes", split = ",", defaultValue = "f32,bf16,q8,q4", description = "f32, bf16, q8, q4 (default: ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--prompt", defaultValue = "128", description = "prefill tokens (default: ${DEFAULT-VALUE})")
    int prompt;

    @Option(names = "--decode", defaultValue = "64", description = "decode steps (default: ${DEFAULT-VALUE})")
    int decode;

    @Option(names = "--no-jlama", description = "ours only")
    boolean noJlama;

    @Option(names = "--quick", description = "one timed run, smaller bandwidth probe")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        if (prompt < 1 || decode < 1) throw new IllegalArgumentException("--prompt and --decode must be at least 1");
        BenchJson.run("moe", json, spec.commandLine().getOut(),
                () -> MoeBench.run(model, f32, threads, modes, prompt, decode, !noJlama, quick));
        return 0;
    }
}
