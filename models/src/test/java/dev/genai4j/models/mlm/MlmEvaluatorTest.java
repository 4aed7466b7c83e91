package dev.genai4j.models.mlm;

import dev.genai4j.data.MlmCollator;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.modernbert.ModernBertConfig;
import dev.genai4j.models.modernbert.ModernBertForMaskedLM;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Evaluation on a model whose output is known: with a zero token-embedding table every hidden
 * state is 0 (norms of 0 are 0, the layers add 0), so the logits are the decoder bias at every
 * position. The expected accuracy and perplexity then follow from the masked labels alone.
 */
class MlmEvaluatorTest {
    static final int V = 300;

    @Test
    void constantModelScoresAsComputedByHand() {
        MlmTrainConfig cfg = new MlmTrainConfig(Path.of("unused"), 1000, 1, V, 16, 2, 2, 32, 16, 4, 10, 0, 0, 1e-3, 0, 1, 10, 10, 5, 10);
        ModernBertForMaskedLM model = ModernBertForMaskedLM.fresh(ModernBertConfig.fromJson(JsonConfig.of(cfg.modelConfig(V))), new Rng(1));
        float[] bias = new float[V];
        bias[7] = 3f;
        bias[9] = 1f;
        try (var g = NoGrad.enter()) {
            Map<String, Parameter> p = model.namedParameters();
            p.get("model.embeddings.tok_embeddings.weight").set(Tensor.zeros(V, 16));
            p.get("decoder.bias").set(Tensor.of(bias, V));
        }
        // two domains of 16-token blocks: [CLS] ids … [SEP]
        Rng r = new Rng(5);
        List<int[]> prose = new ArrayList<>(), code = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            prose.add(block(r, true));
            code.add(block(r, false));
        }
        UnigramBaseline uni = UnigramBaseline.count(List.of(new int[] {7, 7, 9, 9, 9, 20}), V, MlmTrainer.SPECIAL_IDS);
        List<MlmEvaluator.Result> results = MlmEvaluator.evaluate(model, Map.of("prose", prose, "code", code),
                Map.of("prose", uni, "code", uni), 5, 2);   // 5 of the 6 blocks, batches of 2 (the last one short)

        // log-softmax of the bias: logZ = log(e^3 + e^1 + (V − 2))
        double logZ = Math.log(Math.exp(3) + Math.exp(1) + (V - 2));
        for (MlmEvaluator.Result res : results) {
            List<int[]> blocks = res.domain().equals("prose") ? prose : code;
            int[] labels = expectedLabels(blocks.subList(0, 5));
            double nll = 0;
            int hits = 0;
            for (int y : labels) {
                nll += logZ - bias[y];
                if (y == 7) hits++;
            }
            assertEquals(5, res.blocks());
            assertEquals(labels.length, res.maskedTokens());
            assertEquals((double) hits / labels.length, res.accuracy(), 1e-9, res.domain());
            assertEquals(Math.exp(nll / labels.length), res.perplexity(), 1e-3 * res.perplexity(), res.domain());
            assertEquals(uni.accuracy(labels), res.baselineAccuracy(), 1e-12);
            assertEquals(uni.perplexity(labels), res.baselinePerplexity(), 1e-9);
        }
        assertTrue(MlmEvaluator.table(results).contains("prose"));
        assertEquals(results.get(0).accuracy(), MlmEvaluator.json(results).get("domains").get(results.get(0).domain()).get("accuracy").asDouble());
    }

    /** Blocks rich in 7 and 9 so the accuracy is neither 0 nor 1. */
    private static int[] block(Rng r, boolean many7) {
        int[] b = new int[16];
        b[0] = MlmCorpus.CLS_ID;
        b[15] = MlmCorpus.SEP_ID;
        for (int i = 1; i < 15; i++) {
            float u = r.uniform();
            b[i] = u < (many7 ? 0.5f : 0.2f) ? 7 : u < 0.7f ? 9 : 5 + r.nextInt(V - 5);
        }
        return b;
    }

    /** The evaluator's masking replayed: same seed, same order of blocks. */
    private static int[] expectedLabels(List<int[]> blocks) {
        MlmCollator c = new MlmCollator(V, MlmCorpus.MASK_ID, MlmTrainer.SPECIAL_IDS, MlmCollator.MODERNBERT_MASK_RATE, MlmEvaluator.MASK_SEED);
        List<Integer> out = new ArrayList<>();
        for (int from = 0; from < blocks.size(); from += 2) {
            var labels = c.collate(MlmEvaluator.stack(blocks.subList(from, Math.min(blocks.size(), from + 2)))).labels();
            for (int y : labels) if (y != -100) out.add(y);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
