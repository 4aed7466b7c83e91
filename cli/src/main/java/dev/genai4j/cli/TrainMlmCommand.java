package dev.genai4j.cli;

import dev.genai4j.models.mlm.MlmTrainConfig;
import dev.genai4j.models.mlm.MlmTrainer;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j train mlm}: ModernBERT masked-LM pretraining from scratch ({@link MlmTrainer}). */
@Command(name = "mlm",
        mixinStandardHelpOptions = true,
        description = {
                "Pretrains a ModernBERT masked-LM from scratch on the local prose (WordNet, GCIDE) and code",
                "(JDK sources) corpus: trains a byte-level BPE (cached in the output folder), packs",
                "[CLS] ... [SEP] blocks, masks 30 %% (80/10/10), AdamW with warmup + cosine decay.",
                "Progress goes to stderr; a checkpoint (output/checkpoint) is written every --checkpoint-every",
                "steps and --checkpoint-minutes; a killed run continues with --resume. At the end the model",
                "(config.json, model.safetensors, tokenizer.json) is written into the output folder and",
                "evaluated on held-out prose and code (eval.json).",
                "",
                "Example:  genai4j train mlm --output runs/mlm --minutes 55"
        })
final class TrainMlmCommand implements Callable<Integer> {
    private static final MlmTrainConfig D = MlmTrainConfig.defaults(Path.of("runs/mlm"));

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

    @Option(names = "--layers", paramLabel = "N", description = "encoder layers (default ${DEFAULT-VALUE})")
    int layers = D.numLayers();

    @Option(names = "--heads", paramLabel = "N", description = "attention heads (default ${DEFAULT-VALUE})")
    int heads = D.numHeads();

    @Option(names = "--intermediate", paramLabel = "N", description = "GeGLU intermediate size (default ${DEFAULT-VALUE})")
    int intermediate = D.intermediateSize();

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

    @Option(names = "--seed", paramLabel = "S", description = "seed of init, batch order and masking (default ${DEFAULT-VALUE})")
    long seed = D.seed();

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
        // progress goes straight to stderr as it happens (or JSON lines to stdout); errors through picocli's writer
        try (TrainReport report = TrainReport.start("train mlm", json, spec.commandLine().getOut())) {
            MlmTrainConfig cfg = new MlmTrainConfig(output, corpusBytes, sampleRate, vocab, hidden, layers, heads, intermediate, seqLen,
                    batch, steps, minutes, stopAt, lr, warmup, seed, logEvery, checkpointEvery, checkpointMinutes, evalBlocks);
            MlmTrainer.Summary s = MlmTrainer.run(cfg, c -> MlmTrainer.standardCorpus(c.corpusBytes(), c.sampleRate()), resume, report.log(),
                    report.steps());
            report.finish(output, JsonResult.of("steps", s.step(), "total_steps", s.totalSteps(), "final_loss", s.lastLoss(),
                    "eval", s.eval() == null ? null : dev.genai4j.models.mlm.MlmEvaluator.json(s.eval())));
            return 0;
        } catch (TensorException | IllegalArgumentException | dev.genai4j.data.DataException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("train mlm: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
