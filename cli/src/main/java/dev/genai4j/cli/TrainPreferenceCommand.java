package dev.genai4j.cli;

import dev.genai4j.models.diffusion.reward.PreferenceTrainer;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j train preference}: the learned preference reward (MLP on CLIP image embeddings). */
@Command(name = "preference",
        mixinStandardHelpOptions = true,
        description = {
                "Trains the 'preference' reward of genai4j rl: an MLP on CLIP image embeddings (the stand-in for",
                "ImageReward / the aesthetic score). Labels are computed: a Fashion-MNIST training image is",
                "'preferred' when its mean grey level is above the median of the sampled images. 80 %% train /",
                "20 %% held out; writes config.json, model.safetensors and eval.json (accuracies) to --output.",
                "",
                "Example:  genai4j train preference --clip runs/clip-fashion -o runs/preference --images 3000"
        })
final class TrainPreferenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--clip", required = true, paramLabel = "DIR", description = "CLIP model folder whose image embeddings the MLP reads")
    Path clip;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "model folder (default ${DEFAULT-VALUE})")
    Path output = Path.of("runs/preference");

    @Option(names = "--images", paramLabel = "N", description = "training images sampled from the standard split (default ${DEFAULT-VALUE})")
    int images = 3000;

    @Option(names = "--hidden", paramLabel = "N", description = "hidden units (default ${DEFAULT-VALUE})")
    int hidden = 64;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the embeddings (default ${DEFAULT-VALUE})")
    int epochs = 60;

    @Option(names = "--batch", paramLabel = "B", description = "minibatch size (default ${DEFAULT-VALUE})")
    int batch = 64;

    @Option(names = "--lr", paramLabel = "LR", description = "AdamW learning rate (default ${DEFAULT-VALUE})")
    double lr = 1e-3;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the image sample, init and order (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--threads", paramLabel = "N", description = "compute threads; 0 = all cores (default ${DEFAULT-VALUE})")
    int threads = 0;

    @Option(names = "--json", description = "print one JSON object per logged step (JSON lines), then a summary {steps, final_loss, output, seconds, …}")
    boolean json;

    @Override
    public Integer call() {
        try (TrainReport report = TrainReport.start("train preference", json, spec.commandLine().getOut())) {
            PreferenceTrainer.Settings s = new PreferenceTrainer.Settings(clip, output, images, hidden, epochs, batch, lr, seed);
            PreferenceTrainer.Summary[] sum = new PreferenceTrainer.Summary[1];
            Runnable body = () -> sum[0] = PreferenceTrainer.run(s, report.log(), report.steps());
            if (threads > 0) Parallel.withThreads(threads, body); else body.run();
            report.finish(output, JsonResult.of("final_loss", sum[0].finalLoss(), "train_accuracy", sum[0].trainAccuracy(),
                    "held_out_accuracy", sum[0].heldOutAccuracy(), "median_brightness", sum[0].medianBrightness()));
            return 0;
        } catch (TensorException | IllegalArgumentException | java.io.UncheckedIOException | dev.genai4j.data.DataException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("train preference: " + e.getMessage());
            err.flush();
            return 2;
        }
    }
}
