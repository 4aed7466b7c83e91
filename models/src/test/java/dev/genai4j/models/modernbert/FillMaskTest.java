package dev.genai4j.models.modernbert;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** Fill-mask over the classic_fp32 fixture model with a WordLevel tokenizer written here. */
class FillMaskTest {
    @TempDir static Path dir;
    static FillMask fm;

    @BeforeAll
    static void open() throws IOException {
        Path src = ModernBertFixturesTest.fixture("classic_fp32");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        TinyTokenizer.write(dir);
        fm = FillMask.load(dir);
    }

    @AfterAll
    static void close() { fm.close(); }

    /** Ids in descending order of the MLM logits at {@code pos}, computed straight from the model. */
    static int[] argsortAt(int[] ids, int pos) {
        float[] f = new float[ids.length];
        for (int i = 0; i < ids.length; i++) f[i] = ids[i];
        float[] logits;
        try (var mlm = ModernBertForMaskedLM.load(dir); var g = NoGrad.enter()) {
            logits = mlm.forward(Tensor.of(f, 1, ids.length), null).logits().select(0, 0).select(0, pos).toFloatArray();
        }
        return IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -logits[i])).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void topKIsTheArgsortOfTheLogitsAtTheMask() {
        List<List<FillMask.Prediction>> r = fm.predict("the capital of france is [MASK] .", 5);
        assertEquals(1, r.size());
        List<FillMask.Prediction> preds = r.getFirst();
        assertEquals(5, preds.size());
        // [CLS] the capital of france is [MASK] . [SEP] → ids, mask at position 6
        int[] ids = {1, 5, 6, 7, 8, 9, 4, 11, 2};
        int[] order = argsortAt(ids, 6);
        float prev = Float.MAX_VALUE, sum = 0;
        for (int i = 0; i < 5; i++) {
            FillMask.Prediction p = preds.get(i);
            assertEquals(order[i], p.tokenId(), "rank " + i);
            assertEquals(TinyTokenizer.token(order[i]), p.token());
            assertTrue(p.score() > 0 && p.score() <= prev, "scores descend: " + preds);
            prev = p.score();
            sum += p.score();
            boolean special = order[i] < TinyTokenizer.SPECIALS.length;   // dropped from the sequence, as HF does
            assertEquals("the capital of france is " + (special ? "" : p.token() + " ") + ".", p.sequence());
            assertEquals(p.token(), p.text());
        }
        assertTrue(sum < 1f + 1e-6f);
    }

    @Test
    void scoresAreTheSoftmaxOfTheLogits() {
        int[] ids = {1, 5, 6, 7, 8, 9, 4, 11, 2};
        float[] f = new float[ids.length];
        for (int i = 0; i < ids.length; i++) f[i] = ids[i];
        float[] probs;
        try (var mlm = ModernBertForMaskedLM.load(dir); var g = NoGrad.enter()) {
            Tensor logits = mlm.forward(Tensor.of(f, 1, ids.length), null).logits().select(0, 0).select(0, 6);
            double max = Double.NEGATIVE_INFINITY, z = 0;
            float[] l = logits.toFloatArray();
            for (float v : l) max = Math.max(max, v);
            for (float v : l) z += Math.exp(v - max);
            probs = new float[l.length];
            for (int i = 0; i < l.length; i++) probs[i] = (float) (Math.exp(l[i] - max) / z);
        }
        for (FillMask.Prediction p : fm.predict("the capital of france is [MASK] .", 3).getFirst()) {
            assertEquals(probs[p.tokenId()], p.score(), 1e-6f);
        }
    }

    @Test
    void everyMaskGetsItsOwnList() {
        List<List<FillMask.Prediction>> r = fm.predict("[MASK] capital of [MASK] is paris .", 4);
        assertEquals(2, r.size());
        int[] ids = {1, 4, 6, 7, 4, 9, 10, 11, 2};
        int[] first = argsortAt(ids, 1), second = argsortAt(ids, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(first[i], r.get(0).get(i).tokenId());
            assertEquals(second[i], r.get(1).get(i).tokenId());
        }
    }

    @Test
    void topKLargerThanTheVocabularyReturnsEveryToken() {
        assertEquals(TinyTokenizer.VOCAB, fm.predict("[MASK] .", 1000).getFirst().size());
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.predict("", 5)).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.predict("   ", 5)).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.predict("the capital", 5)).getMessage().contains("[MASK]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.predict("[MASK]", 0)).getMessage().contains("top-k"));
        String longText = "the ".repeat(600) + "[MASK]";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fm.predict(longText, 5)).getMessage()
                .contains("max_position_embeddings"));
    }

    @Test
    void aFolderWithoutTokenizerIsRefused(@TempDir Path empty) throws IOException {
        Path src = ModernBertFixturesTest.fixture("classic_fp32");
        Files.copy(src.resolve("config.json"), empty.resolve("config.json"));
        var e = assertThrows(dev.genai4j.io.CheckpointException.class, () -> FillMask.load(empty));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }
}
