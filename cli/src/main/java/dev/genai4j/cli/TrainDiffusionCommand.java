package dev.genai4j.cli;

import dev.genai4j.models.diffusion.ClassImages;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.DiffusionTrainConfig;
import dev.genai4j.models.diffusion.DiffusionTrainer;
import dev.genai4j.models.diffusion.MiniLmPromptEncoder;
import dev.genai4j.models.diffusion.PromptEncoder;
import dev.genai4j.models.diffusion.ShapeRenderImages;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j train diffusion}: the text-conditioned pixel-space UNet on Fashion-MNIST ({@link DiffusionTrainer}). */
@Command(name = "diffusion",
        mixinStandardHelpOptions = true,
        description = {
                "Trains a text-conditioned diffusion UNet (ε-prediction, DDPM loss) on Fashion-MNIST's training split",
                "(28x28 padded to 32x32, values in [-1, 1], horizontal flips), prompts from the class names with varied",
                "templates, encoded by the frozen all-MiniLM-L6-v2 (token states cached per prompt). The condition is",
                "dropped for --cond-dropout of the images (classifier-free guidance). AdamW, warmup + cosine decay,",
                "gradient clipping, EMA weights. output/checkpoint is written atomically every --checkpoint-minutes",
                "and is itself a model folder for 'genai4j txt2img --model'; a killed run continues with --resume.",
                "Sample grids (EMA weights, guidance 3) go to output/samples every --sample-every steps.",
                "",
                "With --data DIR (a 'genai4j pointe data' set) it trains the text-to-image stage of txt2pc on the shape",
                "renders (32x32 RGB, each scene's caption as its prompt, no flips).",
                "",
                "Example:  genai4j train diffusion --output runs/diffusion --threads 1",
                "          genai4j train diffusion --data data/shapes --output runs/shapes-diffusion --threads 1 --minutes 45"
        })
final class TrainDiffusionCommand implements Callable<Integer> {
    private static final DiffusionTrainConfig D = DiffusionTrainConfig.defaults(Path.of("runs/diffusion"));

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR", description = "run folder (default ${DEFAULT-VALUE})")
    Path output = D.outputDir();

    @Option(names = "--data", paramLabel = "NAME|DIR", description = "training images: fashion-mnist, or a 'genai4j pointe data' folder "
            + "(renders at 32x32 RGB, captions as prompts, the last " + ShapeRenderImages.DEFAULT_HOLD_OUT + " scenes held out) (default ${DEFAULT-VALUE})")
    String data = D.data();

    @Option(names = "--batch", paramLabel = "B", description = "images per step (default ${DEFAULT-VALUE})")
    int batch = D.batchSize();

    @Option(names = "--steps", paramLabel = "N", description = "schedule length in optimizer steps (default ${DEFAULT-VALUE})")
    int steps = D.steps();

    @Option(names = "--minutes", paramLabel = "M", description = "stop with a checkpoint after M minutes; 0 = no limit (default ${DEFAULT-VALUE})")
    double minutes = D.minutes();

    @Option(names = "--stop-at", paramLabel = "STEP", description = "stop with a checkpoint at this step, schedule unchanged; 0 = never (default ${DEFAULT-VALUE})")
    int stopAt = 0;

    @Option(names = "--lr", paramLabel = "LR", description = "peak learning rate (default ${DEFAULT-VALUE})")
    double lr = D.lr();

    @Option(names = "--warmup", paramLabel = "N", description = "warmup steps (default ${DEFAULT-VALUE})")
    int warmup = D.warmup();

    @Option(names = "--ema-decay", paramLabel = "D", description = "maximum EMA decay (default ${DEFAULT-VALUE})")
    double emaDecay = D.emaDecay();

    @Option(names = "--cond-dropout", paramLabel = "P", description = "share of images trained unconditionally (default ${DEFAULT-VALUE})")
    double condDropout = D.condDropout();

    @Option(names = "--checkpoint-minutes", paramLabel = "M", description = "checkpoint at least every M minutes (default ${DEFAULT-VALUE})")
    double checkpointMinutes = D.checkpointMinutes();

    @Option(names = "--sample-every", paramLabel = "N", description = "sample grid every N steps, 0 = never (default ${DEFAULT-VALUE})")
    int sampleEvery = D.sampleEvery();

    @Option(names = "--log-every", paramLabel = "N", description = "progress line every N steps (default ${DEFAULT-VALUE})")
    int logEvery = D.logEvery();

    @Option(names = "--schedule", paramLabel = "NAME", description = "beta schedule: linear or squaredcos_cap_v2 (default ${DEFAULT-VALUE})")
    String schedule = D.schedule();

    @Option(names = "--seed", paramLabel = "S", description = "seed (default ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--text-encoder", paramLabel = "NAME|DIR", description = "frozen text encoder (default ${DEFAULT-VALUE})")
    String textEncoder = MiniLmPromptEncoder.DEFAULT;

    @Option(names = "--threads", paramLabel = "N", description = "compute threads, 0 = all cores (default ${DEFAULT-VALUE})")
    int threads = 0;

    @Option(names = "--hold-out", paramLabel = "N",
            description = "with --data DIR: the last N scenes are never trained on (default ${DEFAULT-VALUE}, as 'train pointe' and 'pointe eval')")
    int holdOut = ShapeRenderImages.DEFAULT_HOLD_OUT;

    @Option(names = "--channels", paramLabel = "C1,C2,C3", split = ",",
            description = "UNet channels per resolution level, highest first, for a new run (default: the data's layout, 16,32,64 = 1.15 M "
                    + "parameters for both data sets); each a multiple of 8, those of attention levels and the last of 32")
    int[] channels;

    @Option(names = "--resume", description = "continue the checkpoint in --output")
    boolean resume;

    @Option(names = "--json", description = "print one JSON object per logged step (JSON lines), then a summary {steps, final_loss, output, seconds, …}")
    boolean json;

    @Override
    public Integer call() {
        try (TrainReport report = TrainReport.start("train diffusion", json, spec.commandLine().getOut())) {
            boolean shapes = !data.equals("fashion-mnist");
            if (shapes && !Files.isRegularFile(Path.of(data).resolve("captions.jsonl"))) {
                throw new DiffusionException("unknown --data '" + data + "'; expected fashion-mnist or a folder written by 'genai4j pointe data' (with captions.jsonl)");
            }
            if (channels != null) {     // a layout that cannot be built fails now, before the data and the text encoder load
                (shapes ? dev.genai4j.models.diffusion.UNetConfig.shapeRenders() : dev.genai4j.models.diffusion.UNetConfig.fashionMnist())
                        .withBlockOutChannels(channels);
            }
            DiffusionTrainConfig cfg = new DiffusionTrainConfig(output, data, batch, steps, minutes, lr, warmup, D.weightDecay(), emaDecay,
                    D.gradClip(), condDropout, checkpointMinutes, sampleEvery, logEvery, seed, D.textLength(), schedule, D.trainTimesteps(), stopAt);
            Runnable body = () -> {
                try (PromptEncoder enc = MiniLmPromptEncoder.load(textEncoder, cfg.textLength())) {
                    ClassImages images = shapes ? ShapeRenderImages.load(Path.of(data), 32, holdOut) : ClassImages.fashionMnistTrain();
                    if (channels != null) images = images.withBlockOutChannels(channels);
                    if (resume && channels != null) refuseOtherChannels(channels);
                    DiffusionTrainer.run(cfg, images, enc, resume, report.log(), report.steps());
                }
            };
            if (threads > 0) Parallel.withThreads(threads, body); else body.run();
            report.finish(output.resolve(dev.genai4j.models.diffusion.DiffusionCheckpoint.DIR), java.util.Map.of());
            return 0;
        } catch (TensorException | IllegalArgumentException | dev.genai4j.data.DataException e) {
            PrintWriter err = spec.commandLine().getErr();
            String m = String.valueOf(e.getMessage());
            err.println(m.startsWith("train diffusion:") ? m : "train diffusion: " + m);
            err.flush();
            return 2;
        }
    }

    /** --resume keeps the checkpoint's UNet; a --channels that names another layout is a mistake worth stopping for. */
    private void refuseOtherChannels(int[] asked) {
        Path config = output.resolve(dev.genai4j.models.diffusion.DiffusionCheckpoint.DIR).resolve("config.json");
        if (!Files.isRegularFile(config)) return;   // no checkpoint yet: the trainer's own resume error names what is missing
        int[] saved = dev.genai4j.models.diffusion.UNetConfig.read(config).blockOutChannels();
        if (!java.util.Arrays.equals(saved, asked)) {
            throw new DiffusionException("train diffusion: --resume continues the checkpoint's UNet with channels " + java.util.Arrays.toString(saved)
                    + ", but --channels asks for " + java.util.Arrays.toString(asked) + "; drop --channels or start a new --output");
        }
    }
}
