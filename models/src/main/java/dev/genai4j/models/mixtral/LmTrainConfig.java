package dev.genai4j.models.mixtral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.ConfigException;
import dev.genai4j.nn.Activation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides a Mixtral causal-LM pretraining run ({@link MixtralTrainer}). The defaults
 * are sized for two shared cores: a 4-layer, 8-expert top-2 model with grouped-query attention
 * (about 14 M parameters, 5 M active per token) that trains for 55 minutes.
 *
 * <pre>{@code
 * LmTrainConfig c = LmTrainConfig.defaults(Path.of("runs/moe")).withSteps(300);
 * }</pre>
 *
 * @param outputDir         where the tokenizer, checkpoints and the final model go
 * @param corpusBytes       byte cap of each corpus domain (prose, code, arithmetic)
 * @param sampleRate        share of source documents considered (spreads a small cap over the sources)
 * @param vocabSize         BPE vocabulary size, specials included
 * @param numKvHeads        key/value heads (grouped-query attention: numHeads is a multiple)
 * @param intermediateSize  SwiGLU intermediate size of each expert
 * @param steps             schedule length; 0 = fit to {@code minutes} from the measured speed
 * @param minutes           training time budget; 0 = none
 * @param stopAt            stop with a checkpoint at this step, schedule unchanged (0 = never; not stored)
 * @param auxLossCoef       {@code router_aux_loss_coef} of the written config (weight of the load-balancing loss)
 * @param jitterNoise       {@code router_jitter_noise} of the written config
 * @param evalBlocks        held-out blocks per domain in the final evaluation
 */
public record LmTrainConfig(Path outputDir, long corpusBytes, double sampleRate, int vocabSize, int hiddenSize, int numLayers,
                            int numHeads, int numKvHeads, int intermediateSize, int numExperts, int topK, int seqLen, int batchSize,
                            int steps, double minutes, int stopAt, double lr, int warmup, long seed, int logEvery,
                            int checkpointEvery, double checkpointMinutes, int evalBlocks, double auxLossCoef, double jitterNoise) {
    public LmTrainConfig {
        require(corpusBytes > 0 && sampleRate > 0 && sampleRate <= 1, "corpus-bytes must be > 0 and sample-rate in (0, 1]");
        require(vocabSize > 3, "vocab must be > 3 (three specials), got " + vocabSize);
        require(hiddenSize > 0 && numLayers > 0 && intermediateSize > 0 && seqLen > 1 && batchSize > 0,
                "hidden, layers, intermediate, batch must be > 0 and seq-len > 1");
        require(numHeads > 0 && hiddenSize % numHeads == 0 && (hiddenSize / numHeads) % 2 == 0,
                "heads (" + numHeads + ") must divide hidden (" + hiddenSize + ") into an even head size");
        require(numKvHeads > 0 && numHeads % numKvHeads == 0, "kv-heads (" + numKvHeads + ") must divide heads (" + numHeads + ")");
        require(numExperts > 0 && topK > 0 && topK <= numExperts, "top-k must be in 1 … experts (" + numExperts + "), got " + topK);
        require(steps >= 0 && minutes >= 0 && (steps > 0 || minutes > 0), "give --steps or --minutes (both >= 0, one > 0)");
        require(stopAt >= 0 && lr > 0, "stop-at must be >= 0 and lr > 0");
        require(warmup >= 0 && (steps == 0 || warmup <= steps), "warmup must be in [0, steps], got " + warmup);
        require(logEvery > 0 && checkpointEvery > 0 && checkpointMinutes > 0 && evalBlocks > 0,
                "log-every, checkpoint-every, checkpoint-minutes and eval-blocks must be > 0");
        require(auxLossCoef >= 0 && jitterNoise >= 0 && jitterNoise < 1, "aux-coef must be >= 0 and jitter in [0, 1)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new ConfigException("lm train config: " + message);
    }

    /** The default run (about 55 minutes of training on two shared cores). */
    public static LmTrainConfig defaults(Path outputDir) {
        return new LmTrainConfig(outputDir, 3_000_000, 0.5, 4096, 256, 4, 8, 2, 512, 8, 2, 128, 16,
                0, 55, 0, 1e-3, 100, 42, 10, 200, 4, 64, 0.02, 0.01);
    }

    public LmTrainConfig withSteps(int n) {
        return new LmTrainConfig(outputDir, corpusBytes, sampleRate, vocabSize, hiddenSize, numLayers, numHeads, numKvHeads,
                intermediateSize, numExperts, topK, seqLen, batchSize, n, minutes, stopAt, lr, warmup, seed, logEvery, checkpointEvery,
                checkpointMinutes, evalBlocks, auxLossCoef, jitterNoise);
    }

    public LmTrainConfig withStopAt(int step) {
        return new LmTrainConfig(outputDir, corpusBytes, sampleRate, vocabSize, hiddenSize, numLayers, numHeads, numKvHeads,
                intermediateSize, numExperts, topK, seqLen, batchSize, steps, minutes, step, lr, warmup, seed, logEvery, checkpointEvery,
                checkpointMinutes, evalBlocks, auxLossCoef, jitterNoise);
    }

    /** The model's config; {@code tokenizerVocab} is the trained tokenizer's size (BPE may stop below {@link #vocabSize}). */
    public MixtralConfig modelConfig(int tokenizerVocab) {
        return new MixtralConfig(tokenizerVocab, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, hiddenSize / numHeads,
                Activation.SILU, Math.max(1024, seqLen), 1e-5f, 10_000.0, null, numExperts, topK, auxLossCoef, jitterNoise, false,
                LmCorpus.BOS_ID, List.of(LmCorpus.EOS_ID), null, 0.02);
    }

    /** HF {@code config.json} of {@link #modelConfig}. */
    public Map<String, Object> modelJson(int tokenizerVocab) { return modelConfig(tokenizerVocab).toHfJson("float32"); }

    /** The settings as JSON (the output dir is not stored: a run folder can be moved). */
    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("corpus_bytes", corpusBytes).put("sample_rate", sampleRate).put("vocab_size", vocabSize)
                .put("hidden_size", hiddenSize).put("num_layers", numLayers).put("num_heads", numHeads).put("num_kv_heads", numKvHeads)
                .put("intermediate_size", intermediateSize).put("num_experts", numExperts).put("top_k", topK)
                .put("seq_len", seqLen).put("batch_size", batchSize).put("steps", steps).put("minutes", minutes).put("lr", lr)
                .put("warmup", warmup).put("seed", seed).put("log_every", logEvery).put("checkpoint_every", checkpointEvery)
                .put("checkpoint_minutes", checkpointMinutes).put("eval_blocks", evalBlocks)
                .put("router_aux_loss_coef", auxLossCoef).put("router_jitter_noise", jitterNoise);
        return o;
    }

    /** Reads {@link #toJson()} back for {@code outputDir}. */
    public static LmTrainConfig fromJson(JsonNode o, Path outputDir) {
        return new LmTrainConfig(outputDir, o.path("corpus_bytes").asLong(), o.path("sample_rate").asDouble(),
                o.path("vocab_size").asInt(), o.path("hidden_size").asInt(), o.path("num_layers").asInt(), o.path("num_heads").asInt(),
                o.path("num_kv_heads").asInt(), o.path("intermediate_size").asInt(), o.path("num_experts").asInt(), o.path("top_k").asInt(),
                o.path("seq_len").asInt(), o.path("batch_size").asInt(), o.path("steps").asInt(), o.path("minutes").asDouble(), 0,
                o.path("lr").asDouble(), o.path("warmup").asInt(), o.path("seed").asLong(), o.path("log_every").asInt(),
                o.path("checkpoint_every").asInt(), o.path("checkpoint_minutes").asDouble(), o.path("eval_blocks").asInt(),
                o.path("router_aux_loss_coef").asDouble(), o.path("router_jitter_noise").asDouble());
    }
}
