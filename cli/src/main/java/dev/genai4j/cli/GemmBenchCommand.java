package dev.genai4j.cli;

import dev.genai4j.bench.GemmBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code genai4j bench gemm}: our fp32 GEMM against OpenBLAS cblas_sgemm, in one process. */
@Command(name = "gemm",
        mixinStandardHelpOptions = true,
        description = {"fp32 GEMM: genai4j's Vector API kernel against OpenBLAS cblas_sgemm on the same inputs,",
                "in the same process. Prints one line per case with both speeds in GFLOP/s and ours/openblas:",
                "  gemm M=1024 N=1024 K=1024 threads=1 ours=123.4 openblas=150.2 ratio=0.82",
                "",
                "Default cases: 256³, 1024³, 4096³ and the decode shape 1×4096×4096, at 1 and 2 threads.",
                "",
                "Example:  genai4j bench gemm --quick",
                "          genai4j bench gemm --threads 1 --sizes 1024,1x4096x4096",
                "          genai4j bench gemm --sizes 1x4096x4096 --transposed-b --openblas-gemv"})
final class GemmBenchCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print one JSON object {bench, results: [{name, <figure>: value, …}]} instead of the lines")
    boolean json;


    @Option(names = "--quick", description = "A smaller, faster subset (256³, 1024³, decode; fewer samples): well under a minute.")
    boolean quick;

    @Option(names = "--threads", split = ",", paramLabel = "N[,N…]",
            description = "Thread counts to measure, comma-separated (default: 1,2).")
    List<Integer> threads;

    @Option(names = "--sizes", split = ",", paramLabel = "SIZE[,SIZE…]",
            description = "Shapes: N for a cube, or MxNxK (e.g. 1x4096x4096 for decode).")
    List<String> sizes;

    @Option(names = "--transposed-b",
            description = "Store B as [N, K] (as Linear weights are) and compute A·Bᵀ on both sides.")
    boolean transposedB;

    @Option(names = "--openblas-gemv",
            description = "On M=1 (decode) shapes time OpenBLAS cblas_sgemv instead of cblas_sgemm (the stronger baseline).")
    boolean gemvBaseline;

    @Override
    public Integer call() throws Exception {
        GemmBench.Options options = quick ? GemmBench.Options.quick() : GemmBench.Options.full();
        List<GemmBench.Shape> shapes = sizes == null ? null : sizes.stream().map(GemmBench.Shape::parse).toList();
        if (threads != null) {
            for (int t : threads) {
                if (t < 1) throw new IllegalArgumentException("genai4j bench gemm: --threads " + t + " must be at least 1");
            }
        }
        if (transposedB || gemvBaseline) {   // on stderr, so stdout stays one line per case
            System.err.println("# B stored " + (transposedB ? "transposed [N, K]" : "[K, N]")
                    + "; OpenBLAS baseline for M=1: " + (gemvBaseline ? "cblas_sgemv" : "cblas_sgemm"));
        }
        GemmBench.Options chosen = options.with(shapes, threads, transposedB, gemvBaseline);
        BenchJson.run("gemm", json, spec.commandLine().getOut(), () -> GemmBench.run(chosen, System.out::println));
        return 0;
    }
}
