package dev.genai4j.nn;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.genai4j.nn.NnTesting.*;
import static org.junit.jupiter.api.Assertions.*;

class EmbeddingTest {
    @Test
    void looksUpRowsForAnyIdShape() {
        Tensor w = randn(1, 6, 3);
        Embedding emb = Embedding.load(weights("weight", w), 6, 3, null);
        Tensor out = emb.forward(new int[]{5, 0, 2, 2}, 2, 2);
        assertShape(out, 2, 2, 3);
        float[] wv = w.toFloatArray(), o = out.toFloatArray();
        int[] ids = {5, 0, 2, 2};
        for (int p = 0; p < 4; p++) for (int j = 0; j < 3; j++) assertEquals(wv[ids[p] * 3 + j], o[p * 3 + j]);
    }

    @Test
    void memoryMappedBf16Table() {
        Tensor w = randn(2, 10, 4);
        Embedding emb = Embedding.load(weights("weight", bf16(w)), 10, 4, null);
        float[] rounded = roundBf16(w);
        float[] o = emb.forward(new int[]{7, 1}, 2).toFloatArray();
        for (int j = 0; j < 4; j++) {
            assertEquals(rounded[7 * 4 + j], o[j]);
            assertEquals(rounded[4 + j], o[4 + j]);
        }
    }

    @Test
    void freshInitIsStandardNormalWithZeroPaddingRow() {
        Embedding emb = new Embedding(200, 50, 3, new Rng(4));
        float[] w = emb.weight().value().toFloatArray();
        double sum = 0, sq = 0;
        for (float v : w) { sum += v; sq += v * v; }
        double mean = sum / w.length, var = sq / w.length - mean * mean;
        assertEquals(0, mean, 0.03);
        assertEquals(1, var, 0.05);
        for (int j = 0; j < 50; j++) assertEquals(0f, w[3 * 50 + j]);
        assertEquals(List.of("weight"), List.copyOf(emb.stateDict().keySet()));
    }

    @Test
    void paddingRowGetsNoGradient() {
        Tensor w = randn(3, 4, 2).requiresGrad(true);
        Embedding emb = Embedding.load(weights("weight", w), 4, 2, 1);
        emb.forward(new int[]{1, 2, 1, 0}, 4).sum().backward();
        assertArrayEquals(new float[]{1, 1, 0, 0, 1, 1, 0, 0}, w.grad().toFloatArray());
        // a negative padding_idx counts from the end, as PyTorch
        Tensor w2 = randn(3, 4, 2).requiresGrad(true);
        Embedding.load(weights("weight", w2), 4, 2, -1).forward(new int[]{3, 3, 0}, 3).sum().backward();
        assertArrayEquals(new float[]{1, 1, 0, 0, 0, 0, 0, 0}, w2.grad().toFloatArray());
    }

    @Test
    void badIdsFailNamingTheLayer() {
        Embedding emb = new Embedding(5, 2, null, new Rng(0));
        IndexOutOfRangeException e = assertThrows(IndexOutOfRangeException.class, () -> emb.forward(new int[]{1, 5}, 2));
        assertTrue(e.getMessage().contains("Embedding(5, 2)") && e.getMessage().contains("5.0"), e.getMessage());
        assertThrows(IndexOutOfRangeException.class, () -> emb.forward(new int[]{-1}, 1));
    }

    @Test
    void gradientWrtTable() {
        Tensor ids = ids(new int[]{0, 2, 2, 1}, 2, 2);
        GradCheck.check("embedding", in -> Embedding.load(weights("weight", in.get(0)), 3, 2, null).forward(ids), GradCheck.input(5, 3, 2));
    }
}
