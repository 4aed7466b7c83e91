package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;

/**
 * ModernBERT with its masked-language-model head (arXiv 2412.13663; HF
 * {@code ModernBertForMaskedLM}): encoder → {@code head} (dense, act, norm) → {@code decoder},
 * whose weight is the token embedding table when {@code tie_word_embeddings} (the published
 * checkpoints store only {@code decoder.bias}).
 *
 * <pre>{@code
 * try (var mlm = ModernBertForMaskedLM.load(Path.of("ModernBERT-base"));
 *      var g = NoGrad.enter()) {
 *     Tensor logits = mlm.forward(inputIds, attentionMask).logits();   // [B, T, V]
 * }
 * }</pre>
 */
public final class ModernBertForMaskedLM extends Module implements AutoCloseable {
    /** Outputs: the encoder's last hidden state [B, T, H] and the vocabulary logits [B, T, V]. */
    public record Output(Tensor lastHiddenState, Tensor logits) {}

    private final ModernBertModel model;
    private final ModernBertPredictionHead head;
    private final TiedDecoder tiedDecoder;     // when tie_word_embeddings
    private final Linear decoder;              // [V, H] when not tied

    private ModernBertForMaskedLM(ModernBertModel model, ModernBertPredictionHead head, TiedDecoder tied, Linear decoder) {
        this.model = child("model", model);
        this.head = child("head", head);
        this.tiedDecoder = child("decoder", tied);
        this.decoder = tied == null ? child("decoder", decoder) : null;
    }

    /** From weights at the checkpoint root ({@code model.…}, {@code head.…}, {@code decoder.…}), in eval mode. */
    public static ModernBertForMaskedLM load(Weights w, ModernBertConfig c, Rng rng) {
        ModernBertModel model = ModernBertModel.load(w.sub("model"), c, rng);
        ModernBertPredictionHead head = ModernBertPredictionHead.load(w.sub("head"), c);
        ModernBertForMaskedLM m = c.tieWordEmbeddings()
                ? new ModernBertForMaskedLM(model, head, TiedDecoder.load(w.sub("decoder"), model.tokEmbeddings(), c.decoderBias()), null)
                : new ModernBertForMaskedLM(model, head, null, Linear.load(w.sub("decoder"), c.hiddenSize(), c.vocabSize(), c.decoderBias()));
        m.eval();
        return m;
    }

    public static ModernBertForMaskedLM load(Weights w, ModernBertConfig c) { return load(w, c, new Rng(0)); }

    /**
     * A freshly initialized model for pretraining (HF's init, see {@link ModernBertInit}), in
     * training mode with trainable fp32 parameters. Save it with
     * {@code CheckpointFolder.write(dir, configJson, model.stateDict(), new SafetensorsWriter())}: the names are HF's.
     */
    public static ModernBertForMaskedLM fresh(ModernBertConfig c, Rng rng) {
        ModernBertForMaskedLM m = load(Weights.ofMap(ModernBertInit.maskedLm(c, rng)), c, rng);
        m.trainable();
        m.train(true);
        return m;
    }

    /** Opens a HF folder ({@code config.json} + {@code model.safetensors}); close to unmap. */
    public static ModernBertForMaskedLM load(Path dir) {
        ModernBertCheckpoint ckpt = ModernBertCheckpoint.open(dir);
        try {
            ModernBertForMaskedLM m = load(ckpt.root(), ckpt.config());
            m.model.own(ckpt);
            return m;
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /** input ids [B, T], attention_mask [B, T] or null → hidden states and logits for every position. */
    public Output forward(Tensor inputIds, Tensor attentionMask) {
        Tensor h = model.forward(inputIds, attentionMask);        // [B, T, H]
        return new Output(h, logits(h));
    }

    /**
     * The MLM head on any hidden states [..., H] → [..., V]; training with sparse prediction
     * gathers the masked rows first and calls this on them only.
     */
    public Tensor logits(Tensor hidden) {
        Tensor x = head.forward(hidden);
        return tiedDecoder != null ? tiedDecoder.forward(x) : decoder.forward(x);
    }

    public ModernBertModel model() { return model; }

    public ModernBertConfig config() { return model.config(); }

    @Override
    public void close() { model.close(); }
}
