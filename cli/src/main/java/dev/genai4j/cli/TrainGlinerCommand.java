package dev.genai4j.cli;

import dev.genai4j.models.gliner.train.GlinerTrainConfig;
import dev.genai4j.models.gliner.train.GlinerTrainer;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j train gliner}: GLiNER heads on a pretrained BERT, trained on the WordNet silver NER set ({@link GlinerTrainer}). */
@Command(name = "gliner",
        mixinStandardHelpOptions = true,
        description = {
                "Trains a GLiNER zero-shot NER model on a pretrained BERT encoder from the model store",
                "(genai4j models list), by default on a silver NER set built from WordNet and GCIDE:",
                "WordNet's instance-of relation types ~14,000 proper-noun names (Einstein: physicist,",
                "scientist, person), their mentions in glosses and dictionary definitions are the spans.",
                "The set is built into OUTPUT/data on first use (train/dev/test.json in GLiNER's format,",
                "zeroshot.json with entity types never seen in training); --data DIR uses another folder",
                "with train.json, dev.json, test.json (and zeroshot.json + silver.json for zero-shot eval).",
                "",
                "Each step asks every text for its own types plus in-batch negative types (--max-neg-type-ratio),",
                "drops some of its own types (--no-drop-types to keep all), at most --max-types; the loss is",
                "GLiNER's focal loss over all candidate spans (--alpha, --gamma, summed). Only the top --top-layers",
                "encoder layers learn (at --lr-backbone; 0 = frozen backbone), all of them with --finetune.",
                "Warmup then cosine decay; gradients clipped at --clip.",
                "",
                "Progress (loss, texts/s, ETA) goes to stderr; OUTPUT/checkpoint is written every",
                "--checkpoint-every steps and --checkpoint-minutes; a killed run continues with --resume.",
                "At the end OUTPUT is a GLiNER folder (gliner_config.json, model.safetensors, tokenizer.json)",
                "that 'genai4j ner --model OUTPUT' reads, plus heads.safetensors (what the backbone lacks) and",
                "eval.json: exact-span micro P/R/F1 on dev and test (coarse types person/location/organization/",
                "event, and each text's own fine types + negatives) and zero-shot F1 on the held-out types,",
                "each beside a capitalised-words baseline.",
                "",
                "--balance P draws texts by inverse frequency of their coarse type, --synthetic F fills that share",
                "of each batch with everyday template sentences naming training entities; --init FILE starts from",
                "a run's heads.safetensors.",
                "",
                "Examples:  genai4j train gliner --output runs/gliner                       (the shipped model's first run)",
                "           genai4j train gliner --output runs/gliner-bal --data runs/gliner/data --init runs/gliner/heads.safetensors",
                "               --balance 0.5 --synthetic 0.3 --steps 320 --warmup 30 --lr 5e-4   (its rebalanced continuation)",
                "           genai4j train gliner --output runs/try --steps 100 --eval-examples 200",
                "           genai4j train gliner --output runs/gliner --resume"
        })
final class TrainGlinerCommand implements Callable<Integer> {
    private static final GlinerTrainConfig D = GlinerTrainConfig.defaults(Path.of("runs/gliner"));

    @Spec
    CommandSpec spec;

    @Option(names = "--output", paramLabel = "DIR", description = "run folder (default ${DEFAULT-VALUE})")
    Path output = D.outputDir();

    @Option(names = "--data", paramLabel = "DIR", description = "NER data folder (default OUTPUT/data, built from WordNet when absent)")
    Path data;

    @Option(names = "--backbone", paramLabel = "NAME", description = "BERT encoder from the model store (default ${DEFAULT-VALUE})")
    String backbone = D.backbone();

    @Option(names = "--hidden", paramLabel = "N", description = "GLiNER hidden size (default ${DEFAULT-VALUE})")
    int hidden = D.hiddenSize();

    @Option(names = "--max-width", paramLabel = "N", description = "longest span in words (default ${DEFAULT-VALUE})")
    int maxWidth = D.maxWidth();

    @Option(names = "--max-len", paramLabel = "N", description = "most words per text (default ${DEFAULT-VALUE})")
    int maxLen = D.maxLen();

    @Option(names = "--embed-ent-token", description = "read a type at its <<ENT>> marker, not at its first sub-token")
    boolean embedEnt = D.embedEntToken();

    @Option(names = "--finetune", description = "train the backbone too (at --lr-backbone); default: frozen")
    boolean finetune = D.finetune();

    @Option(names = "--top-layers", paramLabel = "N", description = "without --finetune: train the top N encoder layers at --lr-backbone (default ${DEFAULT-VALUE})")
    int topLayers = D.topLayers();

    @Option(names = "--batch", paramLabel = "B", description = "texts per step (default ${DEFAULT-VALUE})")
    int batch = D.batchSize();

    @Option(names = "--steps", paramLabel = "N", description = "optimizer steps (default ${DEFAULT-VALUE})")
    int steps = D.steps();

    @Option(names = "--minutes", paramLabel = "M", description = "stop training after M minutes, then save and evaluate; 0 = no limit (default ${DEFAULT-VALUE})")
    double minutes = D.minutes();

    @Option(names = "--stop-at", paramLabel = "STEP", description = "stop with a checkpoint at this step, schedule unchanged; 0 = never")
    int stopAt = 0;

    @Option(names = "--lr", paramLabel = "LR", description = "peak lr of the heads (default ${DEFAULT-VALUE})")
    double lr = D.lrHeads();

    @Option(names = "--lr-backbone", paramLabel = "LR", description = "peak lr of the backbone with --finetune (default ${DEFAULT-VALUE})")
    double lrBackbone = D.lrBackbone();

    @Option(names = "--warmup", paramLabel = "N", description = "warmup steps (default ${DEFAULT-VALUE})")
    int warmup = D.warmup();

    @Option(names = "--clip", paramLabel = "NORM", description = "global gradient-norm clip (default ${DEFAULT-VALUE})")
    double clip = D.clipNorm();

    @Option(names = "--alpha", paramLabel = "A", description = "focal loss alpha, < 0 disables (default ${DEFAULT-VALUE})")
    double alpha = D.alpha();

    @Option(names = "--gamma", paramLabel = "G", description = "focal loss gamma (default ${DEFAULT-VALUE})")
    double gamma = D.gamma();

    @Option(names = "--max-types", paramLabel = "N", description = "most entity types per prompt (default ${DEFAULT-VALUE})")
    int maxTypes = D.maxTypes();

    @Option(names = "--max-neg-type-ratio", paramLabel = "R", description = "in-batch negative types per positive, drawn in [0, R] (default ${DEFAULT-VALUE})")
    int negRatio = D.maxNegTypeRatio();

    @Option(names = "--no-drop-types", description = "always ask a text for all its own types")
    boolean noDrop;

    @Option(names = "--seed", paramLabel = "S", description = "seed of init, batch order and type sampling (default ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--log-every", paramLabel = "N", description = "progress line every N steps (default ${DEFAULT-VALUE})")
    int logEvery = D.logEvery();

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "checkpoint every N steps (default ${DEFAULT-VALUE})")
    int checkpointEvery = D.checkpointEvery();

    @Option(names = "--checkpoint-minutes", paramLabel = "M", description = "and at least every M minutes (default ${DEFAULT-VALUE})")
    double checkpointMinutes = D.checkpointMinutes();

    @Option(names = "--eval-examples", paramLabel = "N", description = "texts per split in the final eval, 0 = all (default ${DEFAULT-VALUE})")
    int evalExamples = D.evalExamples();

    @Option(names = "--threshold", paramLabel = "P", description = "decoding threshold in the eval (default ${DEFAULT-VALUE})")
    double threshold = D.threshold();

    @Option(names = "--balance", paramLabel = "P", description = "draw texts with weight (texts of their rarest coarse type)^-P:"
            + " 1 = every coarse type equally often, 0 = plain epochs (default ${DEFAULT-VALUE})")
    double balance = D.balance();

    @Option(names = "--synthetic", paramLabel = "F", description = "share of each batch made of everyday template sentences filled with"
            + " training names, e.g. 0.25 (default ${DEFAULT-VALUE})")
    double synthetic = D.synthetic();

    @Option(names = "--init", paramLabel = "FILE", description = "start from these trained tensors (a run's heads.safetensors) instead of fresh heads")
    Path init;

    @Option(names = "--resume", description = "continue the checkpoint in --output (its stored settings apply)")
    boolean resume;

    @Option(names = "--json", description = "print one JSON object per logged step (JSON lines), then a summary {steps, final_loss, output, seconds, …}")
    boolean json;

    @Override
    public Integer call() {
        try (TrainReport report = TrainReport.start("train gliner", json, spec.commandLine().getOut())) {
            GlinerTrainConfig cfg = new GlinerTrainConfig(output, data, backbone, hidden, maxWidth, maxLen, embedEnt, finetune, topLayers, batch,
                    steps, minutes, stopAt, lr, lrBackbone, D.weightDecayHeads(), D.weightDecayBackbone(), Math.min(warmup, steps), clip,
                    alpha, gamma, maxTypes, negRatio, !noDrop, seed, logEvery, checkpointEvery, checkpointMinutes, evalExamples, threshold,
                    balance, synthetic, init);
            GlinerTrainer.Summary s = GlinerTrainer.run(cfg, resume, report.log(), report.steps());
            java.util.Map<String, Object> eval = new java.util.LinkedHashMap<>();
            if (s.eval() != null) {
                s.eval().forEach((protocol, sc) -> eval.put(protocol, JsonResult.of("precision", sc.micro().precision(),
                        "recall", sc.micro().recall(), "f1", sc.micro().f1(), "examples", sc.examples())));
            }
            report.finish(output, JsonResult.of("steps", s.step(), "final_loss", s.lastLoss(), "eval", s.eval() == null ? null : eval));
            return 0;
        } catch (TensorException | IllegalArgumentException | dev.genai4j.data.DataException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("train gliner: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
