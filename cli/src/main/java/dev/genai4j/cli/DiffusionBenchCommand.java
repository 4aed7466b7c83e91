package dev.genai4j.cli;

import dev.genai4j.bench.DiffusionBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code genai4j bench diffusion}: UNet sampling images/s and training steps/s; PyTorch's side is scripts/bench/diffusion_unet_torch.py. */
@Command(name = "diffusion",
        mixinStandardHelpOptions = true,
        description = {
                "Sampling images/s (CFG, 2B batch per step) and training steps/s of the diffusion UNet at 32x32, batch 16.",
                "The same UNet in PyTorch: /usr/bin/python3 scripts/bench/diffusion_unet_torch.py (same options);",
                "scripts/bench/diffusion.sh runs both and prints the ratios.",
                "",
                "Example:  genai4j bench diffusion --threads 1"
        })
final class DiffusionBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print one JSON object {bench, results: [{name, <figure>: value, …}]} instead of the lines")
    boolean json;

    @Option(names = "--config", paramLabel = "NAME", description = "fashion (16/32/64, attention at 8) or wide (32/64/64, attention at 16 and 8) (default ${DEFAULT-VALUE})")
    String config = "fashion";

    @Option(names = "--threads", paramLabel = "N", description = "compute threads (default ${DEFAULT-VALUE})")
    int threads = 1;

    @Option(names = "--batch", paramLabel = "B", description = "images per batch (default ${DEFAULT-VALUE})")
    int batch = 16;

    @Option(names = "--steps", paramLabel = "S", description = "sampler steps per image (default ${DEFAULT-VALUE})")
    int steps = 20;

    @Option(names = "--warmup", paramLabel = "N", description = "untimed repetitions of each part first, for the JIT (default ${DEFAULT-VALUE})")
    int warmup = 10;

    @Option(names = "--iters", paramLabel = "N", description = "timed repetitions, best taken (default ${DEFAULT-VALUE})")
    int iters = 8;

    @Override
    public Integer call() throws Exception {
        BenchJson.run("diffusion", json, spec.commandLine().getOut(),
                () -> System.out.println(DiffusionBench.run(config, threads, batch, steps, warmup, iters)));
        return 0;
    }
}
