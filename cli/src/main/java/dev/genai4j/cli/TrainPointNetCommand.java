package dev.genai4j.cli;

import dev.genai4j.data.DataException;
import dev.genai4j.models.pointe.eval.PointNetTrainConfig;
import dev.genai4j.models.pointe.eval.PointNetTrainer;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j train pointnet}: the shape classifier that scores generated clouds ({@link PointNetTrainer}). */
@Command(name = "pointnet",
        mixinStandardHelpOptions = true,
        description = {
                "Trains a PointNet classifier (shared per-point MLP, max-pool, MLP head) to name the primitive",
                "of a point cloud, on ground-truth clouds drawn fresh each step from the shape generator (random",
                "colour, size and yaw, Gaussian noise up to --max-noise); AdamW with cosine decay. At the end it",
                "measures accuracy on held-out clouds (another seed, 1,024 points like Point-E's base output),",
                "clean and with noise 0.01/0.02/0.03, and writes config.json,",
                "model.safetensors and eval.json into --output. About two minutes at 1 thread with the defaults.",
                "",
                "Example:  genai4j train pointnet --output runs/pointnet --threads 1"
        })
final class TrainPointNetCommand implements Callable<Integer> {
    private static final PointNetTrainConfig D = PointNetTrainConfig.defaults(Path.of("runs/pointnet"));

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR", description = "model folder (default ${DEFAULT-VALUE})")
    Path output = D.outputDir();

    @Option(names = "--steps", paramLabel = "N", description = "optimizer steps (default ${DEFAULT-VALUE})")
    int steps = D.steps();

    @Option(names = "--batch", paramLabel = "B", description = "clouds per step (default ${DEFAULT-VALUE})")
    int batch = D.batch();

    @Option(names = "--points", paramLabel = "N", description = "points per cloud (default ${DEFAULT-VALUE})")
    int points = D.points();

    @Option(names = "--lr", paramLabel = "LR", description = "peak learning rate (default ${DEFAULT-VALUE})")
    double lr = D.lr();

    @Option(names = "--seed", paramLabel = "S", description = "seed of init and data (default ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--eval-per-class", paramLabel = "N", description = "held-out clouds per primitive (default ${DEFAULT-VALUE})")
    int evalPerClass = D.evalPerClass();

    @Option(names = "--max-noise", paramLabel = "SIGMA", description = "training clouds get Gaussian noise up to SIGMA scene units (default ${DEFAULT-VALUE})")
    double maxNoise = D.maxNoise();

    @Option(names = "--log-every", paramLabel = "N", description = "progress line every N steps (default ${DEFAULT-VALUE})")
    int logEvery = D.logEvery();

    @Option(names = "--threads", paramLabel = "T", description = "compute threads (default: all cores)")
    int threads = 0;

    @Option(names = "--json", description = "print one JSON object per logged step (JSON lines), then a summary {steps, final_loss, output, seconds, …}")
    boolean json;

    @Override
    public Integer call() {
        try {
            PointNetTrainConfig cfg = new PointNetTrainConfig(output, steps, batch, points, lr, seed, evalPerClass, D.evalCloudPoints(), logEvery, maxNoise);
            try (TrainReport report = TrainReport.start("train pointnet", json, spec.commandLine().getOut())) {
                PointNetTrainer.Report[] r = new PointNetTrainer.Report[1];
                Runnable body = () -> r[0] = PointNetTrainer.run(cfg, report.log(), report.steps());
                if (threads > 0) Parallel.withThreads(threads, body); else body.run();
                report.finish(cfg.outputDir(), java.util.Map.of("held_out_accuracy", r[0].accuracy()));
            }
            return 0;
        } catch (TensorException | IllegalArgumentException | DataException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("train pointnet: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
