package dev.genai4j.cli;

import dev.genai4j.data.TextCorpus;
import dev.genai4j.models.mixtral.LmTrainConfig;
import dev.genai4j.models.mixtral.MixtralTrainer;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j train lm}: a small Mixtral sparse-MoE causal LM from scratch ({@link MixtralTrainer}). */
@Command(name = "lm",
        mixinStandardHelpOptions = true,
        description = {
                "Pretrains a small Mixtral (sparse mixture of experts, top-k routing, grouped-query attention)",
                "from scratch as a causal LM on three local domains: prose (WordNet glosses, GCIDE), code (JDK",
                "sources) and generated arithmetic. Trains a byte-level BPE on the mix (cached in the output",
                "folder), packs GPT-style blocks; loss = next-token cross-entropy + router_aux_loss_coef x",
                "load-balancing loss; router jitter; AdamW with warmup + cosine decay; clipping at 1.0.",
                "Progress goes to stderr; a checkpoint (output/checkpoint, a loadable HF folder) is written every",
                "--checkpoint-every steps and --checkpoint-minutes; a killed run continues with --resume. At the",
                "end the HF Mixtral folder is written into the output folder and scored (eval.json).",
                "",
                "Example:  genai4j train lm --output runs/moe --minutes 55"
        })
final class TrainLmCommand implements Callable<Integer> {
    private static final LmTrainConfig D = LmTrainConfig.defaults(Path.of("runs/moe"));

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR", description = "run folder (default ${DEFAULT-VALUE})")
    Path output = D.outputDir();

    @Option(names = "--corpus-bytes", paramLabel = "N", description = "byte cap per domain (default ${DEFAULT-VALUE})")
    long corpusBytes = D.corpusBytes();

    @Option(names = "--sample-rate", paramLabel = "R", description = "share of source documents considered (default ${DEFAULT-VALUE})")
    double sampleRate = D.sampleRate();

    @Option(names = "--vocab", paramLabel = "N", description = "BPE vocabulary size (default ${DEFAULT-VALUE})")
    int vocab = D.vocabSize();

    @Option(names = "--hidden", paramLabel = "N", description = "hidden size (default ${DEFAULT-VALUE})")
    int hidden = D.hiddenSize();

    @Option(names = "--layers", paramLabel = "N", description = "decoder layers (default ${DEFAULT-VALUE})")
    int layers = D.numLayers();

    @Option(names = "--heads", paramLabel = "N", description = "attention heads (default ${DEFAULT-VALUE})")
    int heads = D.numHeads();

    @Option(names = "--kv-heads", paramLabel = "N", description = "key/value heads, grouped-query attention (default ${DEFAULT-VALUE})")
    int kvHeads = D.numKvHeads();

    @Option(names = "--intermediate", paramLabel = "N", description = "SwiGLU intermediate size per expert (default ${DEFAULT-VALUE})")
    int intermediate = D.intermediateSize();

    @Option(names = "--experts", paramLabel = "E", description = "experts per layer (default ${DEFAULT-VALUE})")
    int experts = D.numExperts();

    @Option(names = "--top-k", paramLabel = "K", description = "experts per token (default ${DEFAULT-VALUE})")
    int topK = D.topK();

    @Option(names = "--seq-len", paramLabel = "T", description = "tokens per block (default ${DEFAULT-VALUE})")
    int seqLen = D.seqLen();

    @Option(names = "--batch", paramLabel = "B", description = "blocks per step (default ${DEFAULT-VALUE})")
    int batch = D.batchSize();

    @Option(names = "--steps", paramLabel = "N", description = "schedule length in steps; 0 = fit to --minutes (default ${DEFAULT-VALUE})")
    int steps = D.steps();

    @Option(names = "--minutes", paramLabel = "M", description = "training time budget; 0 = none (default ${DEFAULT-VALUE})")
    double minutes = D.minutes();

    @Option(names = "--stop-at", paramLabel = "STEP", description = "stop with a checkpoint at this step, schedule unchanged; 0 = never (default ${DEFAULT-VALUE})")
    int stopAt = 0;

    @Option(names = "--lr", paramLabel = "LR", description = "peak learning rate (default ${DEFAULT-VALUE})")
    double lr = D.lr();

    @Option(names = "--warmup", paramLabel = "N", description = "warmup steps (default ${DEFAULT-VALUE})")
    int warmup = D.warmup();

    @Option(names = "--seed", paramLabel = "S", description = "seed of init, batch order and jitter (default ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--aux-coef", paramLabel = "C", description = "router_aux_loss_coef written to the config (default ${DEFAULT-VALUE})")
    double auxCoef = D.auxLossCoef();

    @Option(names = "--jitter", paramLabel = "EPS", description = "router_jitter_noise written to the config (default ${DEFAULT-VALUE})")
    double jitter = D.jitterNoise();

    @Option(names = "--log-every", paramLabel = "N", description = "progress line every N steps (default ${DEFAULT-VALUE})")
    int logEvery = D.logEvery();

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "checkpoint every N steps (default ${DEFAULT-VALUE})")
    int checkpointEvery = D.checkpointEvery();

    @Option(names = "--checkpoint-minutes", paramLabel = "M", description = "and at least every M minutes (default ${DEFAULT-VALUE})")
    double checkpointMinutes = D.checkpointMinutes();

    @Option(names = "--eval-blocks", paramLabel = "N", description = "held-out blocks per domain in the final eval (default ${DEFAULT-VALUE})")
    int evalBlocks = D.evalBlocks();

    @Option(names = "--resume", description = "continue the checkpoint in --output (its stored settings apply)")
    boolean resume;

    @Option(names = "--json", description = "print one JSON object per logged step (JSON lines), then a summary {steps, final_loss, output, seconds, …}")
    boolean json;

    @Override
    public Integer call() {
        try (TrainReport report = TrainReport.start("train lm", json, spec.commandLine().getOut())) {
            LmTrainConfig cfg = new LmTrainConfig(output, corpusBytes, sampleRate, vocab, hidden, layers, heads, kvHeads, intermediate,
                    experts, topK, seqLen, batch, steps, minutes, stopAt, lr, warmup, seed, logEvery, checkpointEvery, checkpointMinutes,
                    evalBlocks, auxCoef, jitter);
            MixtralTrainer.Summary s = MixtralTrainer.run(cfg, c -> TextCorpus.standard(c.corpusBytes(), c.sampleRate()), resume, report.log(),
                    report.steps());
            report.finish(output, JsonResult.of("steps", s.step(), "total_steps", s.totalSteps(), "final_loss", s.lastLoss(),
                    "eval", s.eval() == null ? null : dev.genai4j.models.mixtral.LmEvaluator.json(s.eval())));
            return 0;
        } catch (TensorException | IllegalArgumentException | dev.genai4j.data.DataException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("train lm: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
