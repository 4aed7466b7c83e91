package dev.genai4j.cli;

import dev.genai4j.data.DataException;
import dev.genai4j.models.pointe.eval.UpsampleCheck;
import dev.genai4j.models.pointe.train.PointEUpsampler;
import dev.genai4j.models.pointe.train.ShapeCloudData;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j pointe upsample-check}: an upsampler on ground-truth low-res subsets of held-out scenes ({@link UpsampleCheck}). */
@Command(name = "upsample-check",
        mixinStandardHelpOptions = true,
        description = {
                "Scores a Point-E upsampler on held-out scenes: a seeded ground-truth subset of cond_ctx points of each",
                "scene is upsampled (the scene's first render as the image) and the Chamfer distance to the scene's whole",
                "cloud is printed for the low-res input, the upsampled cloud, the untrained baseline (the low-res points",
                "copied with Gaussian jitter of half their spacing: a learned upsampler must beat it to be worth running)",
                "and a ground-truth subset of the same size (what a perfect upsampler reaches).",
                "--preview writes one row per scene: render | low-res | upsampled | ground-truth subset.",
                "",
                "Example:  genai4j pointe upsample-check --upsampler runs/pointe-up --data data/shapes --preview up.png"
        })
final class PointeUpsampleCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--upsampler", required = true, paramLabel = "DIR", description = "upsampler run or model folder")
    Path upsampler;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "dataset from 'genai4j pointe data'")
    Path data;

    @Option(names = "--hold-out", paramLabel = "N", description = "held-out scenes at the end of the data, as in training (default ${DEFAULT-VALUE})")
    int holdOut = 100;

    @Option(names = "--scenes", paramLabel = "N", description = "held-out scenes to score (default ${DEFAULT-VALUE})")
    int scenes = 4;

    @Option(names = "--guidance", paramLabel = "G", description = "upsampler guidance (the reference uses 3; 1 = none) (default ${DEFAULT-VALUE})")
    float guidance = 3f;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the subsets and the sampler (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--start-sigma", paramLabel = "S", description = "our option, 0 = the reference's sampler from pure noise at sigma 160: "
            + "start the new points as the jittered copies noised to sigma S (model space, e.g. 0.3) and denoise from there (default ${DEFAULT-VALUE})")
    double startSigma = 0;

    @Option(names = "--preview", paramLabel = "PNG", description = "write the render and three clouds per scene")
    Path preview;

    @Option(names = "--threads", paramLabel = "T", description = "compute threads (default: all cores)")
    int threads = 0;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
        try {
            if (preview != null) Img2PcCommand.checkWritableFile(preview);
            PointEUpsampler up = PointEUpsampler.load(upsampler, null);
            List<ShapeCloudData.Example> held = ShapeCloudData.open(data, holdOut).heldOut();
            if (scenes < 1 || scenes > held.size()) throw new DataException("--scenes must be 1.." + held.size() + " (the held-out scenes), got " + scenes);
            UpsampleCheck.Report[] r = new UpsampleCheck.Report[1];
            Runnable body = () -> r[0] = UpsampleCheck.run(up, held.subList(0, scenes), guidance, seed, startSigma);
            if (threads > 0) Parallel.withThreads(threads, body); else body.run();
            int low = up.config().condCtx(), full = low + up.config().nCtx();
            for (UpsampleCheck.Scene s : r[0].scenes()) {
                out.printf(java.util.Locale.ROOT, "%s  chamfer to the whole cloud: low-res %d %.5f  upsampled %d %.5f  jittered copies %d %.5f  "
                        + "truth subset %d %.5f%n", s.id(), low, s.lowResChamfer(), full, s.upsampledChamfer(), full, s.jitteredChamfer(), full,
                        s.truthSubsetChamfer());
            }
            out.printf(java.util.Locale.ROOT, "mean over %d held-out scenes (guidance %.1f%s): low-res %d %.5f  upsampled %d %.5f  jittered copies %d %.5f  "
                    + "truth subset %d %.5f%n", scenes, guidance, startSigma > 0 ? ", from the copies at sigma " + startSigma : "", low, r[0].meanLowRes(), full, r[0].meanUpsampled(), full, r[0].meanJittered(), full,
                    r[0].meanTruthSubset());
            if (preview != null) {
                r[0].preview(128).writePng(preview);
                out.println("preview -> " + preview);
            }
            out.flush();
            return 0;
        } catch (TensorException | IllegalArgumentException | DataException e) {
            err.println("pointe upsample-check: " + e.getMessage());
            err.flush();
            return 2;
        }
    }
}
