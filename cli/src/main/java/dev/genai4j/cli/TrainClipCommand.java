package dev.genai4j.cli;

import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.data.images.Twemoji;
import dev.genai4j.models.bert.Embedder;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.models.clip.train.ClipTrainConfig;
import dev.genai4j.models.clip.train.ClipTrainData;
import dev.genai4j.models.clip.train.ClipTrainer;
import dev.genai4j.models.clip.train.FashionCaptions;
import dev.genai4j.models.clip.train.LitClip;
import dev.genai4j.models.clip.train.ShapeClipPairs;
import dev.genai4j.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j train clip}: contrastive CLIP training on Fashion-MNIST and Twemoji ({@link ClipTrainer}). */
@Command(name = "clip",
        mixinStandardHelpOptions = true,
        description = {
                "Trains a small CLIP: a ViT image tower (patch 4 on 32x32) against captions,",
                "symmetric InfoNCE, learnable temperature clamped at 100, AdamW, warmup + cosine.",
                "Data: Fashion-MNIST's standard training split (the 10,000 test images are never",
                "used), captions from class names, synonyms and templates; mixed with Twemoji's",
                "training 80%% (captions from names, short names, categories); --fashion-share",
                "of the pairs come from Fashion-MNIST. Augmentation: shift +-2 px, scale +-10%%,",
                "horizontal flips for clothes only (never for emoji: text, arrows, flags).",
                "",
                "--text scratch: our CLIP text transformer + a caption BPE; OUTPUT/checkpoint is",
                "  an HF CLIPModel folder ('genai4j clip classify --model OUTPUT/checkpoint').",
                "--text minilm: LiT, the frozen all-MiniLM-L6-v2 + a learned projection",
                "  (lit_config.json folder, see LitClip).",
                "--hold-out-classes removes those classes' images and captions (and emoji whose",
                "captions name them). OUTPUT/checkpoint is replaced atomically; --resume continues.",
                "Evaluate with 'genai4j eval clip --model OUTPUT/checkpoint'.",
                "",
                "--shapes DIR: train on a 'genai4j pointe data' set instead (Fashion-MNIST and Twemoji off):",
                "  each pair is a 32x32 splat render of a scene's ground-truth cloud (256 random points, a",
                "  random camera) with the scene's caption or another phrasing of the same objects; the",
                "  last --shapes-hold-out scenes are never used (as 'train pointe --hold-out'). Such a CLIP",
                "  judges clouds: 'genai4j pointe eval --clip-model OUTPUT/checkpoint' (R-precision).",
                "",
                "Examples:",
                "  genai4j train clip --output runs/clip --threads 1 --minutes 72",
                "  genai4j train clip --output runs/lit --text minilm --no-twemoji \\",
                "      --hold-out-classes \"Sneaker,Bag\" --steps 450",
                "  genai4j train clip --output runs/clip-shapes --shapes data/shapes --threads 1 --minutes 60",
                "  genai4j train clip --output runs/clip --resume"
        })
final class TrainClipCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final ClipTrainConfig D = ClipTrainConfig.defaults("scratch");

    @Option(names = "--output", paramLabel = "DIR", required = true, description = "run folder")
    Path output;

    @Option(names = "--resume", description = "continue the run in OUTPUT with its saved settings")
    boolean resume;

    @Option(names = "--extend-to", paramLabel = "N", description = "with --resume: stretch the schedule to N steps (the cosine restarts from where N puts it)")
    int extendTo = 0;

    @Option(names = "--text", paramLabel = "SIDE", description = "scratch | minilm (default ${DEFAULT-VALUE})")
    String text = "scratch";

    @Option(names = "--no-fashion", description = "leave Fashion-MNIST out")
    boolean noFashion;

    @Option(names = "--no-twemoji", description = "leave Twemoji out")
    boolean noTwemoji;

    @Option(names = "--fashion-share", paramLabel = "P", description = "share of pairs from Fashion-MNIST when both are on (default ${DEFAULT-VALUE})")
    double fashionShare = D.fashionShare();

    @Option(names = "--shapes", paramLabel = "DIR", description = "train on splat renders of a 'genai4j pointe data' set's clouds and their captions (Fashion-MNIST and Twemoji off)")
    Path shapes;

    @Option(names = "--shapes-hold-out", paramLabel = "N", description = "with --shapes: last N scenes never trained on (default ${DEFAULT-VALUE}, as 'train pointe')")
    int shapesHoldOut = 100;

    @Option(names = "--hold-out-classes", paramLabel = "A,B", description = "Fashion-MNIST classes removed from training, e.g. \"Sneaker,Bag\"")
    String holdOut = "";

    @Option(names = "--steps", paramLabel = "N", description = "optimizer steps of the schedule (default ${DEFAULT-VALUE})")
    int steps = D.steps();

    @Option(names = "--minutes", paramLabel = "M", description = "stop (with a checkpoint) after M minutes; 0 = no limit (default ${DEFAULT-VALUE})")
    double minutes = 0;

    @Option(names = "--batch", paramLabel = "B", description = "pairs per step (default ${DEFAULT-VALUE})")
    int batch = D.batch();

    @Option(names = "--lr", paramLabel = "LR", description = "peak learning rate (default ${DEFAULT-VALUE})")
    double lr = D.lr();

    @Option(names = "--warmup", paramLabel = "N", description = "warmup steps (default ${DEFAULT-VALUE})")
    int warmup = D.warmup();

    @Option(names = "--weight-decay", paramLabel = "W", description = "AdamW decay on matrices (default ${DEFAULT-VALUE})")
    double weightDecay = D.weightDecay();

    @Option(names = "--vision", paramLabel = "WIDTH,LAYERS,HEADS", split = ",", description = "image tower (default 48,2,2)")
    int[] vision = {D.visionWidth(), D.visionLayers(), D.visionHeads()};

    @Option(names = "--text-model", paramLabel = "WIDTH,LAYERS,HEADS", split = ",", description = "scratch text tower (default 32,1,1)")
    int[] textModel = {D.textWidth(), D.textLayers(), D.textHeads()};

    @Option(names = "--projection", paramLabel = "P", description = "shared embedding width (default ${DEFAULT-VALUE})")
    int projection = D.projectionDim();

    @Option(names = "--vocab", paramLabel = "N", description = "caption BPE vocabulary for --text scratch (default ${DEFAULT-VALUE})")
    int vocab = D.vocabSize();

    @Option(names = "--seed", paramLabel = "S", description = "seed of init and batches (default ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--threads", paramLabel = "N", description = "compute threads (default: all cores)")
    int threads = 0;

    @Option(names = "--log-every", paramLabel = "N", description = "progress line every N steps (default ${DEFAULT-VALUE})")
    int logEvery = 20;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "checkpoint every N steps (default ${DEFAULT-VALUE})")
    int checkpointEvery = 200;

    @Option(names = "--json", description = "print one JSON object per logged step (JSON lines), then a summary {steps, final_loss, output, seconds, …}")
    boolean json;

    @Override
    public Integer call() {
        int[] run = new int[]{0};
        try (TrainReport report = TrainReport.start("train clip", json, spec.commandLine().getOut())) {
            Runnable body = () -> run[0] = train(report);
            if (threads > 0) Parallel.withThreads(threads, body); else body.run();
        }
        return run[0];
    }

    private int train(TrainReport report) {
        java.io.PrintStream log = report.log();
        ClipTrainer t;
        if (resume) {
            if (!ClipTrainer.hasCheckpoint(output)) {
                System.err.println("train clip: --resume, but " + output + " has no checkpoint");
                return 2;
            }
            ClipTrainConfig saved = ClipTrainer.savedConfig(output);
            t = ClipTrainer.resume(output, data(saved), TrainClipCommand::minilm, log, extendTo);
            log.println("resumed at step " + t.step() + " of " + t.config().steps());
        } else {
            if (ClipTrainer.hasCheckpoint(output)) {
                System.err.println("train clip: " + output + " already has a checkpoint; use --resume or another --output");
                return 2;
            }
            if (vision.length != 3 || textModel.length != 3) throw new IllegalArgumentException("--vision and --text-model take WIDTH,LAYERS,HEADS");
            ClipTrainConfig c = new ClipTrainConfig(text, !noFashion, !noTwemoji, fashionShare, FashionCaptions.parseClasses(holdOut),
                    steps, batch, lr, warmup, weightDecay, seed, vision[0], vision[1], vision[2], textModel[0], textModel[1],
                    textModel[2], projection, vocab, D.maxTokens(), null, 0);
            if (shapes != null) c = c.withShapes(shapes.toAbsolutePath().normalize().toString(), shapesHoldOut);
            t = ClipTrainer.start(output, c, data(c), TrainClipCommand::minilm, log);
        }
        log.printf("CLIP training: %s text side, %,d parameters, batch %d, threads %d%n", t.config().textSide(),
                t.model().module().parameterCount(), t.config().batch(), Parallel.threads());
        if (t.config().shapes() != null) {
            log.printf("data: splat renders of the training clouds in %s (the last %d scenes held out), no Fashion-MNIST or Twemoji%n",
                    t.config().shapes(), t.config().shapesHoldOut());
        }
        t.reportingTo(report.steps()).train(minutes, logEvery, checkpointEvery);
        log.println("checkpoint: " + ClipTrainer.checkpointDir(output) + " (step " + t.step() + ")");
        report.finish(ClipTrainer.checkpointDir(output), JsonResult.of("steps", t.step(), "total_steps", t.config().steps()));
        return 0;
    }

    static ClipTrainData data(ClipTrainConfig c) {
        if (c.shapes() != null) return ClipTrainData.shapes(ShapeClipPairs.open(Path.of(c.shapes()), c.shapesHoldOut()));
        return ClipTrainData.build(c.fashion() ? FashionMnist.load() : null, c.twemoji() ? Twemoji.load() : null,
                c.fashionShare(), c.holdOut());
    }

    static Embedder minilm() { return Embedder.load(ModelStore.get(LitClip.TEXT_ENCODER)); }
}
