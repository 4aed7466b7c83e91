package dev.genai4j.cli;

import dev.genai4j.models.diffusion.ClassImages;
import dev.genai4j.models.diffusion.ClassPrompts;
import dev.genai4j.models.diffusion.DefaultDiffusionModel;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.PromptEncoder;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.models.diffusion.eval.BaseModelEvaluation;
import dev.genai4j.models.diffusion.eval.FashionClassifier;
import dev.genai4j.models.diffusion.eval.LabeledImages;
import dev.genai4j.models.diffusion.eval.Metrics;
import dev.genai4j.models.diffusion.eval.ShippedClassifier;
import dev.genai4j.models.diffusion.reward.ContrastivePrompts;
import dev.genai4j.models.diffusion.reward.Reward;
import dev.genai4j.models.diffusion.reward.RewardOptions;
import dev.genai4j.models.diffusion.reward.RewardRegistry;
import dev.genai4j.models.diffusion.reward.TextNorm;
import dev.genai4j.models.diffusion.rl.RlConfig;
import dev.genai4j.models.diffusion.rl.RlMethod;
import dev.genai4j.models.diffusion.rl.RlRun;
import dev.genai4j.models.diffusion.rl.RlRunConfig;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code genai4j rl}: RL fine-tuning of a text-to-image diffusion model (DDPO, DPOK, reward-weighted SFT). */
@Command(name = "rl",
        mixinStandardHelpOptions = true,
        description = {
                "Fine-tunes a text-to-image diffusion model (default: the shipped Fashion-MNIST model) on a reward.",
                "Methods (--method):",
                "  sft      reward-weighted denoising on samples drawn once from the base + beta x pretraining loss",
                "  ddpo-sf  DDPO score function: REINFORCE on per-step DDIM log-probs",
                "  ddpo-is  DDPO importance sampling: PPO-clipped ratio to the sampling policy (--clip-range)",
                "  dpok     policy gradient + beta x per-step KL to the frozen base, value baseline, replay buffer",
                "Rewards (--reward): jpeg (JPEG compressibility), clip (CLIP score, needs --clip),",
                "  classifier (log p(prompted class) under the shipped reward classifier, never the evaluator),",
                "  classifier-p (that probability itself: bounded in [0, 1], steadier for RL than the log),",
                "  preference (learned MLP on CLIP image embeddings, needs --clip and --preference),",
                "  noise (a control with no signal: a normal draw per image; what a run does on it is the optimizer's noise).",
                "  --textnorm normalizes the reward by a softmax over contrastive prompts (TextNorm).",
                "--lora-rank R trains rank-R LoRA adapters on the attention projections only (as DDPO's reference code);",
                "the saved model folder holds the merged weights.",
                "Advantages: per-prompt stat tracker (16-sample buffer), clipped at +-5; gradients accumulate over",
                "timesteps. Writes OUTPUT/rewards.csv, reward_curve.png, before_after.png, eval.json (held-out reward,",
                "independent classifier accuracy, KL proxy, diversity and Fréchet distance to 1,000 real test images,",
                "before/after) and OUTPUT/checkpoint (atomic; a model folder for 'genai4j txt2img --model'); a killed",
                "run continues with --resume.",
                "",
                "Example:  genai4j rl --method ddpo-sf --reward classifier --classes shirt,coat,pullover --epochs 20 --output runs/rl-sf --threads 1"
        })
final class RlCommand implements Callable<Integer> {
    private static final RlConfig D = RlConfig.defaults(RlMethod.DDPO_SF);

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "sft, ddpo-sf, ddpo-is or dpok")
    String method;

    @Option(names = "--reward", required = true, paramLabel = "NAME", description = "jpeg, clip, classifier, classifier-p, preference or noise")
    String reward;

    @Option(names = "--textnorm", description = "normalize the reward over contrastive prompts (TextNorm)")
    boolean textNorm;

    @Option(names = "--textnorm-temperature", paramLabel = "T", description = "TextNorm softmax temperature (default ${DEFAULT-VALUE})")
    float textNormTemperature = 1f;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "run folder")
    Path output;

    @Option(names = "--model", paramLabel = "DIR", description = "base model folder (default: the shipped Fashion-MNIST model)")
    Path model;

    @Option(names = "--classes", split = ",", paramLabel = "NAME", description = "Fashion-MNIST classes to train on, prompts 'a photo of a NAME' (default: all ten)")
    List<String> classes;

    @Option(names = "--prompts", split = ";", paramLabel = "TEXT", description = "training prompts, ';'-separated (instead of --classes)")
    List<String> prompts;

    @Option(names = "--eval-prompts", split = ";", paramLabel = "TEXT", description = "held-out prompts (default: 'a picture showing a NAME' per class)")
    List<String> evalPrompts;

    @Option(names = "--eval-per-prompt", paramLabel = "N", description = "evaluation images per held-out prompt, 0 = no evaluation (default ${DEFAULT-VALUE})")
    int evalPerPrompt = 8;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs in all (default ${DEFAULT-VALUE})")
    int epochs = 20;

    @Option(names = "--samples", paramLabel = "N", description = "images sampled per epoch (default ${DEFAULT-VALUE})")
    int samples = D.samplesPerEpoch();

    @Option(names = "--sample-batch", paramLabel = "N", description = "images per sampling pass (default ${DEFAULT-VALUE})")
    int sampleBatch = D.sampleBatch();

    @Option(names = "--train-batch", paramLabel = "N", description = "minibatch; 0 = the method's default (default ${DEFAULT-VALUE})")
    int trainBatch = 0;

    @Option(names = "--inner-epochs", paramLabel = "N", description = "passes over each epoch's samples (default ${DEFAULT-VALUE})")
    int innerEpochs = D.innerEpochs();

    @Option(names = "--steps", paramLabel = "S", description = "DDIM steps per trajectory (default ${DEFAULT-VALUE})")
    int steps = D.steps();

    @Option(names = "--eta", paramLabel = "E", description = "DDIM eta > 0 (default ${DEFAULT-VALUE})")
    float eta = D.eta();

    @Option(names = "--guidance", paramLabel = "G", description = "classifier-free guidance >= 0 (default ${DEFAULT-VALUE})")
    float guidance = D.guidance();

    @Option(names = "--lr", paramLabel = "LR", description = "learning rate (default ${DEFAULT-VALUE})")
    double lr = D.lr();

    @Option(names = "--clip-range", paramLabel = "EPS", description = "importance-ratio clip (default ${DEFAULT-VALUE})")
    float clipRange = D.clipRange();

    @Option(names = "--adv-clip", paramLabel = "A", description = "advantage clip (default ${DEFAULT-VALUE})")
    float advClip = D.advClip();

    @Option(names = "--alpha", paramLabel = "A", description = "dpok reward weight (default ${DEFAULT-VALUE})")
    float alpha = D.alpha();

    @Option(names = "--beta", paramLabel = "B", description = "dpok KL weight; sft pretraining-loss weight (default ${DEFAULT-VALUE})")
    float beta = D.beta();

    @Option(names = "--replay", paramLabel = "N", description = "dpok replay-buffer transitions, 0 = four epochs' worth (default ${DEFAULT-VALUE})")
    int replay = 0;

    @Option(names = "--sft-samples", paramLabel = "N", description = "sft: base samples drawn once (default ${DEFAULT-VALUE})")
    int sftSamples = D.sftSamples();

    @Option(names = "--sft-steps", paramLabel = "N", description = "sft: optimizer steps per epoch (default ${DEFAULT-VALUE})")
    int sftSteps = D.sftStepsPerEpoch();

    @Option(names = "--seed", paramLabel = "S", description = "seed (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "checkpoint every N epochs (default ${DEFAULT-VALUE})")
    int checkpointEvery = 1;

    @Option(names = "--minutes", paramLabel = "M", description = "stop with a checkpoint after M minutes, 0 = no limit (default ${DEFAULT-VALUE})")
    double minutes = 0;

    @Option(names = "--resume", description = "continue the checkpoint in --output")
    boolean resume;

    @Option(names = "--clip", paramLabel = "DIR", description = "CLIP model folder (rewards clip, preference)")
    Path clip;

    @Option(names = "--reward-classifier", paramLabel = "DIR", description = "reward classifier folder (default: the shipped one)")
    Path rewardClassifier;

    @Option(names = "--preference", paramLabel = "DIR", description = "preference MLP folder (reward preference)")
    Path preference;

    @Option(names = "--lora-rank", paramLabel = "R", description = "fine-tune rank-R LoRA adapters on every attention projection (q, k, v, out)"
            + " instead of all weights; 0 = all weights (default ${DEFAULT-VALUE})")
    int loraRank = 0;

    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha (adapter scale alpha/R); 0 = R, scale 1 (default ${DEFAULT-VALUE})")
    float loraAlpha = 0;

    @Option(names = "--threads", paramLabel = "N", description = "compute threads, 0 = all cores (default ${DEFAULT-VALUE})")
    int threads = 0;

    @Override
    public Integer call() {
        // cheap checks first, as usage errors (exit 2): a typo must not cost a model load
        RlConfig cfg;
        RlRunConfig run;
        try {
            RlMethod m = RlMethod.parse(method);
            if (loraRank < 0) throw new IllegalArgumentException("rl: --lora-rank must be ≥ 0 (0 = fine-tune all weights), got " + loraRank);
            if (!(loraAlpha >= 0) || Float.isInfinite(loraAlpha)) throw new IllegalArgumentException("rl: --lora-alpha must be a finite number ≥ 0, got " + loraAlpha);
            RewardRegistry.check(reward);
            cfg = new RlConfig(m, samples, sampleBatch, trainBatch, innerEpochs, steps, eta, guidance, lr, D.gradClip(), clipRange, advClip,
                    D.bufferSize(), D.minCount(), alpha, beta, replay, D.valueLr(), sftSamples, sftSteps, D.sftTemperature(), seed);
            ClassPrompts fm = ClassPrompts.fashionMnist();
            List<String> names = classes == null ? fm.classNames() : classes;
            for (String c : names) {
                if (!fm.classNames().contains(c)) throw new DiffusionException("rl: unknown class '" + c + "'; Fashion-MNIST classes: " + String.join(", ", fm.classNames()));
            }
            List<String> train = prompts != null ? prompts : names.stream().map(c -> fm.prompt(fm.classNames().indexOf(c), ClassPrompts.TRAIN_TEMPLATES.get(0))).toList();
            List<String> held = evalPrompts != null ? evalPrompts
                    : names.stream().map(c -> fm.prompt(fm.classNames().indexOf(c), ClassPrompts.HELD_OUT_TEMPLATES.get(0))).toList();
            run = new RlRunConfig(output, reward, textNorm, train, held, epochs, evalPerPrompt, checkpointEvery, minutes, resume);
        } catch (DiffusionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Path dir = model != null ? model : DefaultDiffusionModel.folder();
        int length = NoiseSchedule.read(dir.resolve(NoiseSchedule.CONFIG_FILE)).length();   // before the encoder loads
        if (steps > length) throw new IllegalArgumentException("rl: --steps must lie in 1.." + length + " (the model's num_train_timesteps), got " + steps);
        RewardOptions ro = RewardOptions.none().withClip(clip).withClassifier(rewardClassifier).withPreference(preference);
        Runnable body = () -> {
            try (DiffusionPipeline p = DiffusionPipeline.load(dir); RewardRegistry.Loaded r = RewardRegistry.create(reward, ro)) {
                if (loraRank > 0) p.unet().addLora(loraRank, loraAlpha > 0 ? loraAlpha : loraRank, new Rng(seed + 31));
                Reward base = r.reward();
                Reward used = textNorm ? new TextNorm(base, ContrastivePrompts.fashionMnist(), textNormTemperature, meanPooled(p.prompts().encoder()), 0.1f) : base;
                FashionClassifier judge = ShippedClassifier.EVALUATOR.available() ? ShippedClassifier.EVALUATOR.load() : null;
                Metrics.Moments real = null;
                if (judge != null && evalPerPrompt > 0) {   // the Fréchet reference: 1,000 held-out test images, as eval diffusion uses
                    FashionMnist fm = FashionMnist.load();
                    real = BaseModelEvaluation.realReference(judge, LabeledImages.fashionMnist(fm, fm.standardSplit().test()), 1000, 0);
                }
                var in = new RlRun.Inputs(p.unet(), UNet.load(dir), p.schedule(), p.prompts(), dir.resolve(DiffusionPipeline.TEXT_ENCODER_FILE), used,
                        textNorm ? base : null, ClassImages::fashionMnistTrain, judge, real);
                RlRun.run(run, cfg, in, System.err);
            }
        };
        if (threads > 0) Parallel.withThreads(threads, body); else body.run();
        System.out.println("rl: wrote " + output.resolve(RlRun.CSV) + ", " + output.resolve(RlRun.CURVE) + " and " + output.resolve("checkpoint"));
        return 0;
    }

    /** The frozen prompt encoder's token states averaged: the text embedding TextNorm's inconsistency term compares. */
    static Function<List<String>, float[][]> meanPooled(PromptEncoder enc) {
        return texts -> {
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                float[] s = enc.encode(texts.get(i));
                float[] e = new float[enc.dim()];
                for (int l = 0; l < enc.length(); l++) for (int d = 0; d < enc.dim(); d++) e[d] += s[l * enc.dim() + d] / enc.length();
                out[i] = e;
            }
            return out;
        };
    }
}
