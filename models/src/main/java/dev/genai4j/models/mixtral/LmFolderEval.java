package dev.genai4j.models.mixtral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.data.TextCorpus;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.models.mlm.TrainingCheckpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Evaluates a trained LM folder: the final folder {@link MixtralTrainer} writes (with
 * {@code lm_run.json}) or, while a run is going, its {@code checkpoint/} (with
 * {@code trainer_state.json}). Rebuilds the run's corpus split from the stored settings,
 * tokenizes it with the folder's tokenizer and scores the held-out blocks against the bigram
 * baseline of the training blocks.
 *
 * <pre>{@code
 * List<LmEvaluator.Result> r = LmFolderEval.evaluate(Path.of("runs/moe/checkpoint"),
 *         run -> TextCorpus.standard(run.corpusBytes(), run.sampleRate()), System.err);
 * }</pre>
 */
public final class LmFolderEval {
    private LmFolderEval() {}

    /** The run settings stored in {@code dir}. */
    public static LmTrainConfig runConfig(Path dir) {
        Path runFile = dir.resolve(MixtralTrainer.RUN_FILE), stateFile = dir.resolve(TrainingCheckpoint.STATE_FILE);
        try {
            if (Files.isRegularFile(runFile)) return LmTrainConfig.fromJson(new ObjectMapper().readTree(runFile.toFile()), dir);
            if (Files.isRegularFile(stateFile)) {
                JsonNode state = new ObjectMapper().readTree(stateFile.toFile());
                return LmTrainConfig.fromJson(state.get("config"), dir);
            }
        } catch (IOException e) {
            throw new CheckpointException("lm eval: cannot read the run settings in " + dir + ": " + e, e);
        }
        throw new CheckpointException("lm eval: " + dir.toAbsolutePath() + " has neither " + MixtralTrainer.RUN_FILE + " nor "
                + TrainingCheckpoint.STATE_FILE + " (expected a folder written by 'genai4j train lm', or its checkpoint/)");
    }

    /** Scores {@code dir}; {@code corpusFor} builds the corpus from the run's stored settings. */
    public static List<LmEvaluator.Result> evaluate(Path dir, Function<LmTrainConfig, TextCorpus> corpusFor, PrintStream log) {
        LmTrainConfig run = runConfig(dir);
        TextCorpus corpus = corpusFor.apply(run);
        try (MixtralForCausalLM model = MixtralForCausalLM.load(dir);
             LmCorpus data = LmCorpus.prepare(corpus, dir.resolve("tokenizer.json"), run.vocabSize(), run.seqLen(), log)) {
            int vocab = model.config().vocabSize();
            if (data.tokenizer().vocabSize() != vocab) {
                throw new CheckpointException("lm eval: tokenizer.json has " + data.tokenizer().vocabSize() + " tokens, config.json vocab_size is " + vocab);
            }
            return LmEvaluator.evaluate(model, data.heldOutBlocks(), LmEvaluator.baselines(data.trainBlocksByDomain(), vocab),
                    run.evalBlocks(), run.batchSize());
        }
    }
}
