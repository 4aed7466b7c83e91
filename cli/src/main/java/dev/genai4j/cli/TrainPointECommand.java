package dev.genai4j.cli;

import dev.genai4j.data.DataException;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.models.pointe.train.PatchGrid;
import dev.genai4j.models.pointe.train.PointETrainConfig;
import dev.genai4j.models.pointe.train.PointETrainer;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j train pointe}: the Point-E base transformer on a {@code pointe data} set ({@link PointETrainer}). */
@Command(name = "pointe",
        mixinStandardHelpOptions = true,
        description = {
                "Trains Point-E's base point-cloud diffusion transformer (render -> 1,024 coloured points) on a",
                "dataset from 'genai4j pointe data': improved-DDPM hybrid loss (eps MSE + variational bound for the",
                "learned-range variance), cosine schedule, AdamW with warm-up, EMA weights, 10 %% condition dropout",
                "for classifier-free guidance. Conditioning: raw pixel patches of the render embedded by the model's",
                "own clip_embed (default), or with --clip DIR a frozen CLIP image tower's grid tokens (the reference).",
                "Writes DIR/checkpoint (resumable with --resume), DIR/model (EMA weights for img2pc), DIR/loss.tsv.",
                "",
                "With --upsample it trains the upsampler instead (CLIPImageGridUpsamplePointDiffusionTransformer): each",
                "step's --low-res points of a cloud condition it and it learns --points more of the same cloud (linear",
                "schedule, image grid dropped for guidance, low-res cloud always given); txt2pc/img2pc --upsampler DIR",
                "then give clouds of low-res + points.",
                "",
                "Example:  genai4j train pointe --data data/shapes -o runs/pointe --threads 1 --max-minutes 60",
                "          genai4j train pointe --upsample --low-res 256 --points 768 --data data/shapes -o runs/pointe-up"
        })
final class TrainPointECommand implements Callable<Integer> {
    private static final PointETrainConfig D = PointETrainConfig.small(Path.of("data/shapes"), Path.of("runs/pointe"));

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "dataset from 'genai4j pointe data'")
    Path data;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "run folder")
    Path output;

    @Option(names = "--resume", description = "continue the checkpoint in the run folder")
    boolean resume;

    @Option(names = "--clip", paramLabel = "DIR", description = "condition on this frozen CLIP's grid tokens instead of pixel patches")
    Path clip;

    @Option(names = "--image-size", paramLabel = "PX", description = "renders resized to this for the patch grid (default ${DEFAULT-VALUE})")
    int imageSize = D.imageSize();

    @Option(names = "--patch", paramLabel = "PX", description = "patch side of the patch grid (default ${DEFAULT-VALUE})")
    int patch = D.patch();

    @Option(names = "--position-features", paramLabel = "F", description = "position sinusoids added to each pixel-patch token, a multiple of 4; "
            + "without them the LayerNorm of clip_embed erases the brightness of flat patches (default " + PatchGrid.DEFAULT_POSITION_FEATURES + "; 0 with --clip)")
    Integer positionFeatures;

    @Option(names = "--image-noise", paramLabel = "SIGMA", description = "Gaussian noise added to the training renders' pixel values in [-1, 1], so "
            + "that views drawn by a text-to-image model are not out of distribution (default " + PointETrainConfig.DEFAULT_IMAGE_NOISE + "; 0 with --clip)")
    Double imageNoise;

    @Option(names = "--snr-weight-cap", paramLabel = "C", description = "weight each sample's eps loss by max(1, min(1/SNR, C)), so that "
            + "low-SNR steps learn what the image says about the whole cloud; 1 = the reference's loss (default " + PointETrainConfig.DEFAULT_SNR_WEIGHT_CAP
            + "; with --upsample 1: the low-res cloud already fixes the shape)")
    Double snrWeightCap;

    @Option(names = "--points", paramLabel = "N", description = "points per cloud, the model's n_ctx; with --upsample the points it adds "
            + "(default " + 1024 + "; with --upsample 3 x --low-res, the reference's 1,024 -> 4,096)")
    Integer points;

    @Option(names = "--upsample", description = "train the upsampler (conditioned on --low-res points of the cloud) instead of the base model")
    boolean upsample;

    @Option(names = "--low-res", paramLabel = "N", description = "with --upsample: points of the low-res condition, the base model's n_ctx (default ${DEFAULT-VALUE})")
    int lowRes = 256;

    @Option(names = "--point-frequencies", paramLabel = "F", description = "our extension (0 = the reference's point tokens): also feed each point's "
            + "sin and cos of 2^f*pi*xyz, f < F, to input_proj and cond_point_proj, so that attention can compare positions at the scale of the "
            + "point spacing from the first layer (0.." + dev.genai4j.models.pointe.PointEConfig.MAX_POINT_FREQUENCIES + "; default ${DEFAULT-VALUE})")
    int pointFrequencies = 0;

    @Option(names = "--timestep-power", paramLabel = "P", description = "draw training timesteps as floor(T*u^P), u uniform: 1 = uniform, the "
            + "reference; P > 1 trains low-noise steps more often (P = 3: a third of the samples below T/27), where the upsampler's fine "
            + "placement is learned; with --resume a P other than 1 replaces the run's own (default ${DEFAULT-VALUE})")
    double timestepPower = 1;

    @Option(names = "--width", paramLabel = "W", description = "transformer width (default ${DEFAULT-VALUE})")
    int width = D.width();

    @Option(names = "--layers", paramLabel = "L", description = "transformer blocks (default ${DEFAULT-VALUE})")
    int layers = D.layers();

    @Option(names = "--heads", paramLabel = "H", description = "attention heads (default ${DEFAULT-VALUE})")
    int heads = D.heads();

    @Option(names = "--steps", paramLabel = "N", description = "optimizer steps in all (default ${DEFAULT-VALUE})")
    int steps = D.steps();

    @Option(names = "--batch", paramLabel = "B", description = "clouds per step (default ${DEFAULT-VALUE})")
    int batch = D.batch();

    @Option(names = "--lr", paramLabel = "LR", description = "peak learning rate (default ${DEFAULT-VALUE})")
    double lr = D.lr();

    @Option(names = "--warmup", paramLabel = "N", description = "warm-up steps (default ${DEFAULT-VALUE})")
    int warmup = D.warmup();

    @Option(names = "--ema-decay", paramLabel = "D", description = "largest EMA decay (default ${DEFAULT-VALUE})")
    double emaDecay = D.emaDecay();

    @Option(names = "--cond-drop", paramLabel = "P", description = "share of samples trained unconditioned (default ${DEFAULT-VALUE})")
    double condDrop = D.condDrop();

    @Option(names = "--seed", paramLabel = "S", description = "seed of init and batches (default ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--hold-out", paramLabel = "N", description = "last N scenes kept out of training (default ${DEFAULT-VALUE})")
    int holdOut = D.holdOut();

    @Option(names = "--log-every", paramLabel = "N", description = "progress line every N steps (default ${DEFAULT-VALUE})")
    int logEvery = D.logEvery();

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "checkpoint every N steps (default ${DEFAULT-VALUE})")
    int checkpointEvery = D.checkpointEvery();

    @Option(names = "--max-minutes", paramLabel = "M", description = "stop at a checkpoint after M minutes, 0 for no limit (default ${DEFAULT-VALUE})")
    double maxMinutes = D.maxMinutes();

    @Option(names = "--threads", paramLabel = "T", description = "compute threads (default: all cores)")
    int threads = 0;

    @Option(names = "--json", description = "print one JSON object per logged step (JSON lines), then a summary {steps, final_loss, output, seconds, …}")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (TrainReport report = TrainReport.start("train pointe", json, spec.commandLine().getOut())) {
            checkWritable(output);
            if (!upsample && spec.commandLine().getParseResult().hasMatchedOption("--low-res")) {
                throw new IllegalArgumentException("--low-res sets the upsampler's condition; add --upsample to train the upsampler");
            }
            int n = points != null ? points : upsample ? 3 * lowRes : D.points();
            PointETrainConfig cfg = new PointETrainConfig(data, output, clip, imageSize, patch, n, width, layers, heads, D.timesteps(), steps,
                    batch, lr, D.weightDecay(), warmup, emaDecay, condDrop, D.gradClip(), seed, logEvery, checkpointEvery, maxMinutes, holdOut,
                    positionFeatures != null ? positionFeatures : clip != null ? 0 : D.positionFeatures(),
                    imageNoise != null ? imageNoise : clip != null ? 0 : D.imageNoise(), snrWeightCap != null ? snrWeightCap : upsample ? 1 : D.snrWeightCap(), upsample ? lowRes : 0,
                    pointFrequencies, timestepPower);
            Runnable body = () -> PointETrainer.create(cfg, resume).run(report.log(), report.steps());
            if (threads > 0) Parallel.withThreads(threads, body); else body.run();
            report.finish(output, java.util.Map.of());
            return 0;
        } catch (TensorException | IllegalArgumentException | DataException | UncheckedIOException e) {
            err.println("train pointe: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    /** Fails before any work when the run folder cannot be created or written. */
    static void checkWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new CheckpointException("output folder " + dir + " is not writable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }
}
