package dev.genai4j.cli;

import dev.genai4j.models.diffusion.eval.ClassifierTrainConfig;
import dev.genai4j.models.diffusion.eval.FashionClassifierTrainer;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j train fashion-classifier}: the independent Fashion-MNIST evaluator (or, reseeded, the reward classifier). */
@Command(name = "fashion-classifier",
        mixinStandardHelpOptions = true,
        description = {
                "Trains the small CNN that judges Fashion-MNIST samples (diffusion Must-show) on the TRAIN part of",
                "the standard split (28 x 28 padded to 32 x 32, [-1, 1], random +-2 pixel shifts), then reports its",
                "accuracy on the 10,000 held-out test images (eval.json) and writes config.json + model.safetensors.",
                "A checkpoint is written every --checkpoint-every steps; a killed run continues with --resume.",
                "The 'classifier' reward uses a second, separately seeded one (e.g. --width 16 --seed 2).",
                "",
                "Example:  genai4j train fashion-classifier -o runs/fashion-classifier --threads 1"
        })
final class TrainFashionClassifierCommand implements Callable<Integer> {
    private static final ClassifierTrainConfig D = ClassifierTrainConfig.defaults(Path.of("runs/fashion-classifier"));

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "model folder (default ${DEFAULT-VALUE})")
    Path output = D.output();

    @Option(names = "--width", paramLabel = "N", description = "channels of the first conv; then 2N, 4N (default ${DEFAULT-VALUE})")
    int width = D.width();

    @Option(names = "--features", paramLabel = "N", description = "size of the penultimate feature layer (default ${DEFAULT-VALUE})")
    int features = D.featureDim();

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the training images (default ${DEFAULT-VALUE})")
    int epochs = D.epochs();

    @Option(names = "--batch", paramLabel = "B", description = "images per step (default ${DEFAULT-VALUE})")
    int batch = D.batchSize();

    @Option(names = "--lr", paramLabel = "LR", description = "peak AdamW learning rate (default ${DEFAULT-VALUE})")
    double lr = D.lr();

    @Option(names = "--weight-decay", paramLabel = "WD", description = "AdamW weight decay (default ${DEFAULT-VALUE})")
    double weightDecay = D.weightDecay();

    @Option(names = "--max-shift", paramLabel = "PX", description = "random shift augmentation, pixels (default ${DEFAULT-VALUE})")
    int maxShift = D.maxShift();

    @Option(names = "--seed", paramLabel = "S", description = "seed of init, batch order and augmentation (default ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--limit-train", paramLabel = "N", description = "train on a seeded subset of N images; 0 = all (default ${DEFAULT-VALUE})")
    int limitTrain = 0;

    @Option(names = "--log-every", paramLabel = "N", description = "progress line every N steps (default ${DEFAULT-VALUE})")
    int logEvery = D.logEvery();

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "checkpoint every N steps (default ${DEFAULT-VALUE})")
    int checkpointEvery = D.checkpointEvery();

    @Option(names = "--threads", paramLabel = "N", description = "compute threads; 0 = all cores (default ${DEFAULT-VALUE})")
    int threads = 0;

    @Option(names = "--resume", description = "continue the checkpoint in --output (its stored settings apply)")
    boolean resume;

    @Option(names = "--json", description = "print one JSON object per logged step (JSON lines), then a summary {steps, final_loss, output, seconds, …}")
    boolean json;

    @Override
    public Integer call() {
        try (TrainReport report = TrainReport.start("train fashion-classifier", json, spec.commandLine().getOut())) {
            ClassifierTrainConfig cfg = new ClassifierTrainConfig(output, width, features, epochs, batch, lr, weightDecay, maxShift, seed,
                    logEvery, checkpointEvery, limitTrain);
            FashionClassifierTrainer.Summary[] s = new FashionClassifierTrainer.Summary[1];
            Runnable body = () -> s[0] = FashionClassifierTrainer.run(cfg, resume, report.log(), report.steps());
            if (threads > 0) Parallel.withThreads(threads, body); else body.run();
            report.finish(output, JsonResult.of("steps", s[0].steps(), "test_accuracy", s[0].testAccuracy(),
                    "per_class_accuracy", s[0].perClassAccuracy()));
            return 0;
        } catch (TensorException | IllegalArgumentException | java.io.UncheckedIOException | dev.genai4j.data.DataException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("train fashion-classifier: " + e.getMessage());
            err.flush();
            return 2;
        }
    }
}
