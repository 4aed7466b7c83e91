package dev.genai4j.models.gliner.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.ConfigException;

import java.nio.file.Path;

/**
 * Everything that decides a GLiNER training run ({@link GlinerTrainer}). The defaults make the
 * shipped model: heads (hidden 256) on all-MiniLM-L6-v2 with only its top layer trained, on the WordNet silver set.
 *
 * <pre>{@code
 * GlinerTrainConfig c = GlinerTrainConfig.defaults(Path.of("runs/gliner")).withSteps(200);
 * }</pre>
 *
 * @param outputDir         run folder: checkpoint, final model, eval
 * @param dataDir           silver set folder (built there when absent), or a folder with train/dev/test.json in GLiNER format
 * @param backbone          model-store name of the BERT encoder ({@code genai4j models list})
 * @param hiddenSize        GLiNER hidden size (a projection maps the backbone to it)
 * @param maxWidth          longest span in words
 * @param maxLen            most words of a text
 * @param embedEntToken     read a type at its {@code <<ENT>>} marker (else at its first sub-token)
 * @param finetune          also train the backbone (at {@code lrBackbone}); else it stays frozen
 * @param topLayers         without {@code finetune}: train only the top this many encoder layers (at {@code lrBackbone}); 0 = frozen
 * @param batchSize         examples per step
 * @param steps             optimizer steps (the cosine schedule's length)
 * @param minutes           stop training after this many minutes (0 = no limit); the model is still saved and evaluated
 * @param stopAt            stop with a checkpoint at this step without the final save (0 = never)
 * @param lrHeads           peak lr of the heads (reference: {@code lr_others})
 * @param lrBackbone        peak lr of the backbone (reference: {@code lr_encoder})
 * @param weightDecayHeads  AdamW weight decay of the heads
 * @param weightDecayBackbone AdamW weight decay of the backbone
 * @param warmup            linear warmup steps, then cosine decay to 0
 * @param clipNorm          global gradient-norm clip (reference: {@code max_grad_norm})
 * @param alpha             focal-loss α (reference: {@code loss_alpha})
 * @param gamma             focal-loss γ (reference: {@code loss_gamma})
 * @param maxTypes          most types in one prompt
 * @param maxNegTypeRatio   in-batch negative types per positive, drawn in [0, ratio]
 * @param dropTypes         keep a random subset of an example's own types (reference: {@code random_drop})
 * @param seed              seeds the heads' init, the batch order and the type sampling
 * @param logEvery          progress line every this many steps
 * @param checkpointEvery   checkpoint every this many steps
 * @param checkpointMinutes … and at least every this many minutes
 * @param evalExamples      texts per split in the final evaluation (0 = all)
 * @param threshold         decoding threshold in evaluation
 * @param balance           draw texts ∝ (texts of their rarest coarse type)^-balance; 0 = plain epochs ({@link NerTrainingStream})
 * @param synthetic         share of each batch that is everyday template sentences with training names (0 = none)
 * @param init              heads file ({@code heads.safetensors}) to start from instead of fresh heads; null = fresh
 */
public record GlinerTrainConfig(
        Path outputDir, Path dataDir, String backbone, int hiddenSize, int maxWidth, int maxLen, boolean embedEntToken, boolean finetune, int topLayers,
        int batchSize, int steps, double minutes, int stopAt, double lrHeads, double lrBackbone, double weightDecayHeads,
        double weightDecayBackbone, int warmup, double clipNorm, double alpha, double gamma, int maxTypes, int maxNegTypeRatio,
        boolean dropTypes, long seed, int logEvery, int checkpointEvery, double checkpointMinutes, int evalExamples, double threshold,
        double balance, double synthetic, Path init) {

    public GlinerTrainConfig {
        require(hiddenSize > 0 && hiddenSize % 2 == 0, "hidden size must be positive and even (BiLSTM halves), got " + hiddenSize);
        require(maxWidth > 0 && maxLen > 0, "max width and max len must be > 0, got " + maxWidth + ", " + maxLen);
        require(topLayers >= 0, "top layers must be >= 0, got " + topLayers);
        require(batchSize > 0, "batch size must be > 0, got " + batchSize);
        require(steps > 0, "steps must be > 0, got " + steps);
        require(minutes >= 0 && stopAt >= 0, "minutes and stop-at must be >= 0");
        require(lrHeads > 0 && lrBackbone >= 0, "lr of the heads must be > 0 and of the backbone >= 0");
        require(warmup >= 0 && warmup <= steps, "warmup must be in [0, steps], got " + warmup);
        require(clipNorm > 0, "clip norm must be > 0, got " + clipNorm);
        require(alpha <= 1 && gamma >= 0, "alpha must be <= 1 (< 0 disables) and gamma >= 0, got " + alpha + ", " + gamma);
        require(maxTypes > 0 && maxNegTypeRatio >= 0, "max types must be > 0 and neg-type ratio >= 0");
        require(logEvery > 0 && checkpointEvery > 0 && checkpointMinutes > 0 && evalExamples >= 0, "log/checkpoint intervals must be > 0");
        require(threshold > 0 && threshold < 1, "threshold must be in (0, 1), got " + threshold);
        require(balance >= 0 && synthetic >= 0 && synthetic <= 1, "balance must be >= 0 and synthetic in [0, 1], got " + balance + ", " + synthetic);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new ConfigException("gliner train config: " + message);
    }

    /** The shipped model's first run: heads + the top encoder layer, 1,000 steps of 8 texts on the plain stream (README: then a rebalanced continuation). */
    public static GlinerTrainConfig defaults(Path outputDir) {
        return new GlinerTrainConfig(outputDir, null, "all-minilm-l6-v2", 256, 12, 64, false, false, 1,
                8, 1000, 0, 0, 1e-3, 5e-5, 0.01, 0.1, 100, 10.0, 0.75, 2.0, 25, 1, true, 42, 20, 250, 5, 500, 0.5, 0, 0, null);
    }

    /** Where the silver set is read (and built when absent). */
    public Path data() { return dataDir != null ? dataDir : outputDir.resolve("data"); }

    public GlinerTrainConfig withSteps(int n) {
        return new GlinerTrainConfig(outputDir, dataDir, backbone, hiddenSize, maxWidth, maxLen, embedEntToken, finetune, topLayers, batchSize, n, minutes,
                stopAt, lrHeads, lrBackbone, weightDecayHeads, weightDecayBackbone, Math.min(warmup, n), clipNorm, alpha, gamma, maxTypes,
                maxNegTypeRatio, dropTypes, seed, logEvery, checkpointEvery, checkpointMinutes, evalExamples, threshold, balance, synthetic, init);
    }

    public GlinerTrainConfig withStopAt(int step, double minutesLimit) {
        return new GlinerTrainConfig(outputDir, dataDir, backbone, hiddenSize, maxWidth, maxLen, embedEntToken, finetune, topLayers, batchSize, steps, minutesLimit,
                step, lrHeads, lrBackbone, weightDecayHeads, weightDecayBackbone, warmup, clipNorm, alpha, gamma, maxTypes,
                maxNegTypeRatio, dropTypes, seed, logEvery, checkpointEvery, checkpointMinutes, evalExamples, threshold, balance, synthetic, init);
    }

    /** The settings as JSON (paths left out: a run folder can be moved). */
    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("backbone", backbone).put("hidden_size", hiddenSize).put("max_width", maxWidth).put("max_len", maxLen)
                .put("embed_ent_token", embedEntToken).put("finetune", finetune).put("top_layers", topLayers).put("batch_size", batchSize).put("steps", steps)
                .put("lr_heads", lrHeads).put("lr_backbone", lrBackbone).put("weight_decay_heads", weightDecayHeads)
                .put("weight_decay_backbone", weightDecayBackbone).put("warmup", warmup).put("clip_norm", clipNorm)
                .put("alpha", alpha).put("gamma", gamma).put("max_types", maxTypes).put("max_neg_type_ratio", maxNegTypeRatio)
                .put("drop_types", dropTypes).put("seed", seed).put("log_every", logEvery).put("checkpoint_every", checkpointEvery)
                .put("checkpoint_minutes", checkpointMinutes).put("eval_examples", evalExamples).put("threshold", threshold)
                .put("balance", balance).put("synthetic", synthetic).put("init", init == null ? null : init.toString());
        return o;
    }

    /** Reads {@link #toJson()} back for {@code outputDir} / {@code dataDir}. */
    public static GlinerTrainConfig fromJson(JsonNode o, Path outputDir, Path dataDir) {
        return new GlinerTrainConfig(outputDir, dataDir, o.path("backbone").asText(), o.path("hidden_size").asInt(), o.path("max_width").asInt(),
                o.path("max_len").asInt(), o.path("embed_ent_token").asBoolean(), o.path("finetune").asBoolean(), o.path("top_layers").asInt(0), o.path("batch_size").asInt(),
                o.path("steps").asInt(), 0, 0, o.path("lr_heads").asDouble(), o.path("lr_backbone").asDouble(),
                o.path("weight_decay_heads").asDouble(), o.path("weight_decay_backbone").asDouble(), o.path("warmup").asInt(),
                o.path("clip_norm").asDouble(), o.path("alpha").asDouble(), o.path("gamma").asDouble(), o.path("max_types").asInt(),
                o.path("max_neg_type_ratio").asInt(), o.path("drop_types").asBoolean(), o.path("seed").asLong(), o.path("log_every").asInt(),
                o.path("checkpoint_every").asInt(), o.path("checkpoint_minutes").asDouble(), o.path("eval_examples").asInt(),
                o.path("threshold").asDouble(), o.path("balance").asDouble(0), o.path("synthetic").asDouble(0),
                o.path("init").isTextual() ? Path.of(o.path("init").asText()) : null);
    }
}
