package dev.genai4j.models.mlm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.data.TextCorpus;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.models.modernbert.ModernBertForMaskedLM;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Evaluates a trained MLM folder (what {@link MlmTrainer} writes: {@code config.json},
 * {@code model.safetensors}, {@code tokenizer.json}, {@code mlm_run.json}): rebuilds the run's
 * corpus split from the stored settings, tokenizes it with the folder's tokenizer and scores the
 * held-out blocks against the unigram baseline of the training blocks.
 *
 * <pre>{@code
 * List<MlmEvaluator.Result> r = MlmFolderEval.evaluate(Path.of("runs/mlm"),
 *         run -> MlmTrainer.standardCorpus(run.corpusBytes(), run.sampleRate()), System.err);
 * }</pre>
 */
public final class MlmFolderEval {
    private MlmFolderEval() {}

    /** Scores {@code dir}; {@code corpusFor} builds the corpus from the run's stored settings. */
    public static List<MlmEvaluator.Result> evaluate(Path dir, Function<MlmTrainConfig, TextCorpus> corpusFor, PrintStream log) {
        Path runFile = dir.resolve(MlmTrainer.RUN_FILE);
        if (!Files.isRegularFile(runFile)) {
            throw new CheckpointException("mlm eval: " + dir.toAbsolutePath() + " has no " + MlmTrainer.RUN_FILE
                    + " (expected a folder written by 'genai4j train mlm')");
        }
        MlmTrainConfig run;
        try {
            JsonNode json = TrainingCheckpoint.JSON.readTree(runFile.toFile());
            run = MlmTrainConfig.fromJson(json, dir);
        } catch (IOException e) {
            throw new CheckpointException("mlm eval: cannot read " + runFile + ": " + e, e);
        }
        TextCorpus corpus = corpusFor.apply(run);
        try (ModernBertForMaskedLM model = ModernBertForMaskedLM.load(dir);
             MlmCorpus data = MlmCorpus.prepare(corpus, dir.resolve("tokenizer.json"), run.vocabSize(), run.seqLen(), log)) {
            int vocab = model.config().vocabSize();
            if (data.tokenizer().vocabSize() != vocab) {
                throw new CheckpointException("mlm eval: tokenizer.json has " + data.tokenizer().vocabSize() + " tokens, config.json vocab_size is " + vocab);
            }
            return MlmEvaluator.evaluate(model, data.heldOutBlocks(), MlmTrainer.baselines(data, vocab), run.evalBlocks(), run.batchSize());
        }
    }
}
