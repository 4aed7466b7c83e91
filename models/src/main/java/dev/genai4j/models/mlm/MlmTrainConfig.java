package dev.genai4j.models.mlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.ConfigException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that decides an MLM pretraining run (see {@link MlmTrainer}). The defaults are sized
 * for a 2-core machine: a ~5 M-parameter ModernBERT that learns useful statistics in under an hour.
 *
 * <pre>{@code
 * MlmTrainConfig c = MlmTrainConfig.defaults(Path.of("runs/mlm")).withSteps(2000);
 * }</pre>
 *
 * @param outputDir          where the tokenizer, checkpoints and the final model go
 * @param corpusBytes        byte cap of each corpus domain (prose, code)
 * @param sampleRate         share of source documents considered (spreads a small cap over the sources)
 * @param vocabSize          BPE vocabulary size, specials included
 * @param hiddenSize         ModernBERT hidden size
 * @param numLayers          encoder layers
 * @param numHeads           attention heads
 * @param intermediateSize   GeGLU intermediate size
 * @param seqLen             tokens per packed block, [CLS] and [SEP] included
 * @param batchSize          blocks per step
 * @param steps              total optimizer steps of the schedule; 0 = decided from {@code minutes}
 * @param minutes            wall-clock training budget; 0 = none (then {@code steps} must be set)
 * @param stopAt             stop (with a checkpoint) after this step without ending the schedule; 0 = never
 * @param lr                 peak learning rate
 * @param warmup             linear warmup steps
 * @param seed               seeds the init, the batch order and the masking
 * @param logEvery           progress line every this many steps
 * @param checkpointEvery    checkpoint every this many steps
 * @param checkpointMinutes  … and at least every this many minutes
 * @param evalBlocks         held-out blocks per domain in the final evaluation
 */
public record MlmTrainConfig(
        Path outputDir, long corpusBytes, double sampleRate, int vocabSize,
        int hiddenSize, int numLayers, int numHeads, int intermediateSize,
        int seqLen, int batchSize, int steps, double minutes, int stopAt,
        double lr, int warmup, long seed, int logEvery, int checkpointEvery, double checkpointMinutes, int evalBlocks) {

    /** The corpus domains a run trains and evaluates on. */
    public static final java.util.List<String> DOMAINS = java.util.List.of("prose", "code");

    public MlmTrainConfig {
        require(corpusBytes > 0, "corpus bytes must be > 0, got " + corpusBytes);
        require(sampleRate > 0 && sampleRate <= 1, "sample rate must be in (0, 1], got " + sampleRate);
        require(vocabSize >= 300 && vocabSize <= 65_536, "vocab size must be in [300, 65536], got " + vocabSize);
        require(hiddenSize > 0 && numHeads > 0 && hiddenSize % numHeads == 0 && (hiddenSize / numHeads) % 2 == 0,
                "hidden size " + hiddenSize + " must be a positive multiple of heads " + numHeads + " with an even head size");
        require(numLayers > 0 && intermediateSize > 0, "layers and intermediate size must be > 0, got " + numLayers + ", " + intermediateSize);
        require(seqLen >= 8, "seq length must be >= 8, got " + seqLen);
        require(batchSize > 0, "batch size must be > 0, got " + batchSize);
        require(steps >= 0 && minutes >= 0 && (steps > 0 || minutes > 0), "set steps > 0 or minutes > 0, got steps " + steps + ", minutes " + minutes);
        require(stopAt >= 0, "stop-at must be >= 0, got " + stopAt);
        require(lr > 0, "lr must be > 0, got " + lr);
        require(warmup >= 0 && (steps == 0 || warmup <= steps), "warmup must be in [0, steps], got " + warmup);
        require(logEvery > 0 && checkpointEvery > 0 && checkpointMinutes > 0 && evalBlocks > 0,
                "log-every, checkpoint-every, checkpoint-minutes and eval-blocks must be > 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new ConfigException("mlm train config: " + message);
    }

    /** The default run (about 55 minutes of training on two shared cores). */
    public static MlmTrainConfig defaults(Path outputDir) {
        return new MlmTrainConfig(outputDir, 8_000_000, 0.5, 4096, 256, 6, 4, 512, 128, 16, 0, 55, 0,
                1e-3, 200, 42, 20, 200, 5, 128);
    }

    public MlmTrainConfig withSteps(int n) {
        return new MlmTrainConfig(outputDir, corpusBytes, sampleRate, vocabSize, hiddenSize, numLayers, numHeads, intermediateSize,
                seqLen, batchSize, n, minutes, stopAt, lr, warmup, seed, logEvery, checkpointEvery, checkpointMinutes, evalBlocks);
    }

    public MlmTrainConfig withStopAt(int step) {
        return new MlmTrainConfig(outputDir, corpusBytes, sampleRate, vocabSize, hiddenSize, numLayers, numHeads, intermediateSize,
                seqLen, batchSize, steps, minutes, step, lr, warmup, seed, logEvery, checkpointEvery, checkpointMinutes, evalBlocks);
    }

    /**
     * HF ModernBERT {@code config.json} for this run's model (special ids as {@link MlmCorpus#SPECIALS});
     * {@code tokenizerVocab} is the trained tokenizer's size (BPE may stop below {@link #vocabSize}).
     */
    public Map<String, Object> modelConfig(int tokenizerVocab) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", java.util.List.of("ModernBertForMaskedLM"));
        m.put("model_type", "modernbert");
        m.put("vocab_size", tokenizerVocab);
        m.put("hidden_size", hiddenSize);
        m.put("intermediate_size", intermediateSize);
        m.put("num_hidden_layers", numLayers);
        m.put("num_attention_heads", numHeads);
        m.put("hidden_activation", "gelu");
        m.put("max_position_embeddings", Math.max(512, seqLen));
        m.put("global_attn_every_n_layers", 3);
        m.put("local_attention", 64);
        m.put("global_rope_theta", 160_000.0);
        m.put("local_rope_theta", 10_000.0);
        m.put("norm_eps", 1e-5);
        m.put("norm_bias", false);
        m.put("attention_bias", false);
        m.put("mlp_bias", false);
        m.put("decoder_bias", true);
        m.put("tie_word_embeddings", true);
        m.put("initializer_range", 0.02);
        m.put("initializer_cutoff_factor", 2.0);
        m.put("pad_token_id", MlmCorpus.PAD_ID);
        m.put("cls_token_id", MlmCorpus.CLS_ID);
        m.put("sep_token_id", MlmCorpus.SEP_ID);
        m.put("bos_token_id", MlmCorpus.CLS_ID);
        m.put("eos_token_id", MlmCorpus.SEP_ID);
        m.put("classifier_pooling", "mean");
        return m;
    }

    /** The settings as JSON (the output dir is not stored: a run folder can be moved). */
    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("corpus_bytes", corpusBytes).put("sample_rate", sampleRate).put("vocab_size", vocabSize)
                .put("hidden_size", hiddenSize).put("num_layers", numLayers).put("num_heads", numHeads)
                .put("intermediate_size", intermediateSize).put("seq_len", seqLen).put("batch_size", batchSize)
                .put("steps", steps).put("minutes", minutes).put("lr", lr).put("warmup", warmup).put("seed", seed)
                .put("log_every", logEvery).put("checkpoint_every", checkpointEvery).put("checkpoint_minutes", checkpointMinutes)
                .put("eval_blocks", evalBlocks);
        return o;
    }

    /** Reads {@link #toJson()} back for {@code outputDir}. */
    public static MlmTrainConfig fromJson(JsonNode o, Path outputDir) {
        return new MlmTrainConfig(outputDir, o.path("corpus_bytes").asLong(), o.path("sample_rate").asDouble(),
                o.path("vocab_size").asInt(), o.path("hidden_size").asInt(), o.path("num_layers").asInt(), o.path("num_heads").asInt(),
                o.path("intermediate_size").asInt(), o.path("seq_len").asInt(), o.path("batch_size").asInt(), o.path("steps").asInt(),
                o.path("minutes").asDouble(), 0, o.path("lr").asDouble(), o.path("warmup").asInt(), o.path("seed").asLong(),
                o.path("log_every").asInt(), o.path("checkpoint_every").asInt(), o.path("checkpoint_minutes").asDouble(),
                o.path("eval_blocks").asInt());
    }
}
