package dev.genai4j.models.deberta;

import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fresh DeBERTa-v2 weights under HF names, as HF's {@code _init_weights}: linear weights and
 * embedding tables ~ N(0, σ²) (the padding row zeroed), biases 0, LayerNorms 1 / 0. For
 * benchmarks and tests; pass a larger σ to make the layers' differences visible in a test.
 *
 * <pre>{@code
 * DebertaV2Model m = DebertaV2Model.load(Weights.ofMap(DebertaV2Init.weights(config, new Rng(0), 0.02f)), config);
 * }</pre>
 */
public final class DebertaV2Init {
    private final Map<String, Tensor> out = new LinkedHashMap<>();
    private final Rng rng;
    private final float std;

    private DebertaV2Init(Rng rng, float std) {
        this.rng = rng;
        this.std = std;
    }

    /** Every tensor {@link DebertaV2Model#load(dev.genai4j.io.Weights, DebertaV2Config)} reads for {@code c}. */
    public static Map<String, Tensor> weights(DebertaV2Config c, Rng rng, float std) {
        DebertaV2Init init = new DebertaV2Init(rng, std);
        int h = c.hiddenSize(), e = c.embeddingSize(), a = c.allHeadSize();
        Tensor word = init.normal(c.vocabSize(), e);
        if (c.padTokenId() >= 0 && c.padTokenId() < c.vocabSize()) {
            for (int j = 0; j < e; j++) word.set(0f, c.padTokenId(), j);
        }
        init.out.put("embeddings.word_embeddings.weight", word);
        if (c.positionBiasedInput()) init.out.put("embeddings.position_embeddings.weight", init.normal(c.maxPositionEmbeddings(), e));
        if (c.typeVocabSize() > 0) init.out.put("embeddings.token_type_embeddings.weight", init.normal(c.typeVocabSize(), e));
        if (e != h) init.out.put("embeddings.embed_proj.weight", init.normal(h, e));
        init.norm("embeddings.LayerNorm", h);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "encoder.layer." + i + ".";
            init.linear(p + "attention.self.query_proj", a, h);
            init.linear(p + "attention.self.key_proj", a, h);
            init.linear(p + "attention.self.value_proj", a, h);
            if (c.relativeAttention() && !c.shareAttKey()) {
                if (c.c2p()) init.linear(p + "attention.self.pos_key_proj", a, h);
                if (c.p2c()) init.linear(p + "attention.self.pos_query_proj", a, h);
            }
            init.linear(p + "attention.output.dense", h, a);
            init.norm(p + "attention.output.LayerNorm", h);
            init.linear(p + "intermediate.dense", c.intermediateSize(), h);
            init.linear(p + "output.dense", h, c.intermediateSize());
            init.norm(p + "output.LayerNorm", h);
        }
        if (c.relativeAttention()) {
            init.out.put("encoder.rel_embeddings.weight", init.normal(c.relEmbeddingRows(), h));
            if (c.normRelEmbedding()) init.norm("encoder.LayerNorm", h);
        }
        return init.out;
    }

    private Tensor normal(int... shape) { return Randoms.normal(rng, 0f, std, shape); }

    private void linear(String name, int out, int in) {
        this.out.put(name + ".weight", normal(out, in));
        this.out.put(name + ".bias", Tensor.zeros(out));
    }

    private void norm(String name, int dim) {
        out.put(name + ".weight", Tensor.ones(dim));
        out.put(name + ".bias", Tensor.zeros(dim));
    }
}
