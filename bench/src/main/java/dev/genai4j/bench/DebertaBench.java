package dev.genai4j.bench;

import dev.genai4j.io.Weights;
import dev.genai4j.models.bert.BertConfig;
import dev.genai4j.models.bert.BertModel;
import dev.genai4j.models.deberta.DebertaV2Config;
import dev.genai4j.models.deberta.DebertaV2Init;
import dev.genai4j.models.deberta.DebertaV2Model;
import dev.genai4j.nn.Activation;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tokens per second of a deberta-v3-small-shaped {@link DebertaV2Model} (6 layers, hidden 768, 12
 * heads, FFN 3072, 256 log buckets, c2p + p2c, shared keys; random weights) next to a
 * {@link BertModel} of the same width and depth, in one process, the two alternating run by run
 * (so both see the same machine load). Both vocabularies are cut to 8,000 rows: the embedding
 * lookup costs the same at any size and the 128,100-row DeBERTa table would only cost memory.
 * ratio = DeBERTa time / BERT time (the disentangled attention's extra cost).
 *
 * <pre>{@code
 * DebertaBench.run(new int[]{1, 2}, false);
 * // deberta batch=1x128 threads=1 deberta_tok_s=… bert_tok_s=… ratio=…
 * }</pre>
 */
public final class DebertaBench {
    /** Batch shapes measured: {batch, tokens}. */
    public static final List<int[]> SHAPES = List.of(new int[]{1, 128}, new int[]{8, 384});
    static final int VOCAB = 8000, HIDDEN = 768, LAYERS = 6, HEADS = 12, FFN = 3072;

    private DebertaBench() {}

    public static void main(String[] args) {
        run(new int[]{1, 2}, args.length > 0 && args[0].equals("--quick"));
    }

    /** deberta-v3-small's config.json with the vocabulary cut to {@link #VOCAB}. */
    public static DebertaV2Config debertaV3Small() {
        return new DebertaV2Config(VOCAB, HIDDEN, LAYERS, HEADS, FFN, Activation.GELU, 512, 0, 1e-7f, 0, HIDDEN, HIDDEN / HEADS,
                false, true, 512, 256, true, true, true, true);
    }

    /** Prints one line per (shape, threads); returns the lines. */
    public static List<String> run(int[] threads, boolean quick) {
        DebertaV2Config dc = debertaV3Small();
        BertConfig bc = new BertConfig(VOCAB, HIDDEN, LAYERS, HEADS, FFN, Activation.GELU, 512, 2, 1e-12f, 0);
        DebertaV2Model deberta = DebertaV2Model.load(Weights.ofMap(DebertaV2Init.weights(dc, new Rng(1), 0.02f)), dc);
        BertModel bert = BertModel.load(Weights.ofMap(bertWeights(bc, new Rng(2))), bc);
        List<String> lines = new ArrayList<>();
        for (int[] shape : SHAPES) {
            int b = shape[0], t = shape[1];
            Tensor ids = Randoms.randint(new Rng(3), 5, VOCAB, b, t), mask = Tensor.ones(b, t);
            for (int n : threads) {
                double[] ms = EncoderBench.medianMsInterleaved(quick,
                        () -> Parallel.withThreads(n, () -> {
                            try (var g = NoGrad.enter()) { deberta.forward(ids, mask, null); }
                        }),
                        () -> Parallel.withThreads(n, () -> {
                            try (var g = NoGrad.enter()) { bert.forward(ids, mask, null); }
                        }));
                double tokens = (double) b * t;
                String line = String.format(Locale.ROOT, "deberta batch=%dx%d threads=%d deberta_ms=%.1f bert_ms=%.1f deberta_tok_s=%.0f bert_tok_s=%.0f ratio=%.2f",
                        b, t, n, ms[0], ms[1], tokens / ms[0] * 1e3, tokens / ms[1] * 1e3, ms[0] / ms[1]);
                System.out.println(line);
                lines.add(line);
            }
        }
        return lines;
    }

    /** Random BERT weights under HF names (N(0, 0.02²) matrices, zero biases, unit norms). */
    static Map<String, Tensor> bertWeights(BertConfig c, Rng rng) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        int h = c.hiddenSize(), f = c.intermediateSize();
        w.put("embeddings.word_embeddings.weight", Randoms.normal(rng, 0f, 0.02f, c.vocabSize(), h));
        w.put("embeddings.position_embeddings.weight", Randoms.normal(rng, 0f, 0.02f, c.maxPositionEmbeddings(), h));
        w.put("embeddings.token_type_embeddings.weight", Randoms.normal(rng, 0f, 0.02f, c.typeVocabSize(), h));
        norm(w, "embeddings.LayerNorm", h);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "encoder.layer." + i + ".";
            for (String name : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")) {
                linear(w, rng, p + name, h, h);
            }
            norm(w, p + "attention.output.LayerNorm", h);
            linear(w, rng, p + "intermediate.dense", f, h);
            linear(w, rng, p + "output.dense", h, f);
            norm(w, p + "output.LayerNorm", h);
        }
        return w;
    }

    private static void linear(Map<String, Tensor> w, Rng rng, String name, int out, int in) {
        w.put(name + ".weight", Randoms.normal(rng, 0f, 0.02f, out, in));
        w.put(name + ".bias", Tensor.zeros(out));
    }

    private static void norm(Map<String, Tensor> w, String name, int dim) {
        w.put(name + ".weight", Tensor.ones(dim));
        w.put(name + ".bias", Tensor.zeros(dim));
    }
}
