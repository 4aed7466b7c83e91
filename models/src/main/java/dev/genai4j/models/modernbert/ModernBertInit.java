package dev.genai4j.models.modernbert;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fresh ModernBERT weights under HF names with HF's {@code _init_weights}: truncated normals
 * (cut at ±initializer_cutoff_factor·σ) with σ = initializer_range for the token table, Wqkv and
 * Wi; σ/√(2·layers) for the output projections (attention and MLP Wo, head.dense, and the MLM
 * decoder — which, tied, is the token table); norms 1 (bias 0); linear biases 0.
 */
final class ModernBertInit {
    private final ModernBertConfig c;
    private final Rng rng;
    private final double cutoff;
    private final Map<String, Tensor> out = new LinkedHashMap<>();

    private ModernBertInit(ModernBertConfig c, Rng rng) {
        this.c = c;
        this.rng = rng;
        this.cutoff = c.initializerCutoffFactor();
    }

    /** The encoder's tensors, prefixed ("" or "model."); {@code tableStd} overrides the token table's σ. */
    static Map<String, Tensor> encoder(ModernBertConfig c, Rng rng, String prefix, double tableStd) {
        ModernBertInit init = new ModernBertInit(c, rng);
        init.encoder(prefix, tableStd);
        return init.out;
    }

    /** A whole ForMaskedLM: encoder under {@code model.}, head, decoder bias (the tied table gets the decoder's σ, as in HF). */
    static Map<String, Tensor> maskedLm(ModernBertConfig c, Rng rng) {
        ModernBertInit init = new ModernBertInit(c, rng);
        double outStd = init.outStd();
        init.encoder("model.", c.tieWordEmbeddings() ? outStd : c.initializerRange());
        init.linear("head.dense", c.hiddenSize(), c.hiddenSize(), c.classifierBias(), outStd);
        init.norm("head.norm");
        if (c.tieWordEmbeddings()) {
            if (c.decoderBias()) init.out.put("decoder.bias", Tensor.zeros(c.vocabSize()));
        } else {
            init.linear("decoder", c.vocabSize(), c.hiddenSize(), c.decoderBias(), outStd);
        }
        return init.out;
    }

    /**
     * Weights for fine-tuning a classifier from a pretrained checkpoint, as HF's from_pretrained:
     * every stored tensor (the encoder, and {@code head.} when the checkpoint has one) as is, the
     * missing head and the {@code classifier} [num_labels, H] fresh (σ = hidden^−½, bias 0).
     */
    static Map<String, dev.genai4j.tensor.Tensor> forClassifier(dev.genai4j.io.Weights pretrained, ModernBertConfig c, Rng rng) {
        ModernBertInit init = new ModernBertInit(c, rng);
        for (String n : pretrained.names()) init.out.put(n, pretrained.get(n));
        if (!pretrained.has("head.dense.weight")) {
            init.linear("head.dense", c.hiddenSize(), c.hiddenSize(), c.classifierBias(), init.outStd());
            init.norm("head.norm");
        }
        init.out.remove("classifier.weight");
        init.out.remove("classifier.bias");
        init.linear("classifier", c.numLabels(), c.hiddenSize(), true, Math.pow(c.hiddenSize(), -0.5));
        return init.out;
    }

    private double outStd() { return c.initializerRange() / Math.sqrt(2.0 * c.numHiddenLayers()); }

    private void encoder(String p, double tableStd) {
        int h = c.hiddenSize(), inter = c.intermediateSize();
        double in = c.initializerRange(), outStd = outStd();
        out.put(p + "embeddings.tok_embeddings.weight", truncNormal(tableStd, c.vocabSize(), h));
        norm(p + "embeddings.norm");
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = p + "layers." + i + ".";
            if (i > 0) norm(l + "attn_norm");
            linear(l + "attn.Wqkv", 3 * h, h, c.attentionBias(), in);
            linear(l + "attn.Wo", h, h, c.attentionBias(), outStd);
            norm(l + "mlp_norm");
            linear(l + "mlp.Wi", 2 * inter, h, c.mlpBias(), in);
            linear(l + "mlp.Wo", h, inter, c.mlpBias(), outStd);
        }
        norm(p + "final_norm");
    }

    private void linear(String name, int outF, int inF, boolean bias, double std) {
        out.put(name + ".weight", truncNormal(std, outF, inF));
        if (bias) out.put(name + ".bias", Tensor.zeros(outF));
    }

    private void norm(String name) {
        out.put(name + ".weight", Tensor.ones(c.hiddenSize()));
        if (c.normBias()) out.put(name + ".bias", Tensor.zeros(c.hiddenSize()));
    }

    /** N(0, σ²) restricted to [−cutoff·σ, cutoff·σ], by rejection (the same law as torch's trunc_normal_). */
    private Tensor truncNormal(double std, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            double z;
            do { z = rng.gaussian(); } while (Math.abs(z) > cutoff);
            d[i] = (float) (z * std);
        }
        return Tensor.of(d, shape);
    }
}
