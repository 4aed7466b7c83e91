package dev.genai4j.models.diffusion;

import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** LoRA on the UNet's attention: a no-op at start, equal to its merged weights after training, outside the state dict. */
class LowRankAdapterTest {
    private static UNet randomUNet() {
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        Rng init = new Rng(4);
        for (Parameter p : u.parameters()) if (p.shape().length == 4) p.set(Tensor.randn(init, p.shape()).mul(0.1f));
        return u;
    }

    private static Tensor eps(UNet u, Tensor x, Tensor text) { return u.forward(x, new float[]{700, 30}, text); }

    @Test
    void adaptersStartAsANoOpAndMergeIntoAPlainUNet(@TempDir Path dir) {
        UNet u = randomUNet();
        Tensor x = Tensor.randn(new Rng(1), 2, 1, TinyDiffusion.config().sampleSize(), TinyDiffusion.config().sampleSize());
        Tensor text = Tensor.randn(new Rng(2), 2, 3, TinyDiffusion.config().crossAttentionDim());
        float[] before = eps(u, x, text).toFloatArray();
        int baseCount = u.stateDict().size();

        Map<String, Parameter> lora = u.addLora(2, 4f, new Rng(3));
        assertTrue(u.hasLora());
        assertEquals(2, u.loraRank());
        assertEquals(4f, u.loraAlpha());
        assertEquals(baseCount, u.stateDict().size(), "adapters stay out of the state dict");
        String q = lora.keySet().stream().filter(k -> k.endsWith("attn2.to_q.lora_A.weight")).findFirst().orElseThrow();
        assertEquals(2, lora.get(q).shape()[0]);
        assertEquals(0, lora.size() % 8, "q, k, v, out × (A, B) per attention layer");
        // 1e-4, not 0: two forward passes of one UNet need not round alike (Vector API lane reductions differ
        // before and after C2; seen up to 1.5e-5 relative in fresh-clone CI); a wrong adapter path is off by ~0.1
        assertArrayEquals(before, eps(u, x, text).toFloatArray(), 1e-4f, "B = 0: the adapted UNet computes what its base computes");

        // train-like change: random B; the merged plain UNet must compute the same
        Rng r = new Rng(5);
        for (var e : lora.entrySet()) if (e.getKey().endsWith("lora_B.weight")) e.getValue().set(Tensor.randn(r, e.getValue().shape()).mul(0.2f));
        float[] adapted = eps(u, x, text).toFloatArray();
        double diff = 0;
        for (int i = 0; i < adapted.length; i++) diff = Math.max(diff, Math.abs(adapted[i] - before[i]));
        assertTrue(diff > 1e-3, "trained adapters change ε̂: " + diff);
        u.save(dir);
        UNet plain = UNet.load(dir);
        assertFalse(plain.hasLora());
        assertArrayEquals(adapted, eps(plain, x, text).toFloatArray(), 1e-4f);
    }

    @Test
    void onlyTheAdaptersGetGradientsAndBadShapesAreRefused() {
        UNet u = randomUNet();
        Map<String, Parameter> lora = u.addLora(1, 1f, new Rng(3));
        for (Parameter p : lora.values()) p.trainable();
        int s = TinyDiffusion.config().sampleSize();
        eps(u, Tensor.randn(new Rng(1), 2, 1, s, s), Tensor.randn(new Rng(2), 2, 3, TinyDiffusion.config().crossAttentionDim())).square().sum().backward();
        for (var e : lora.entrySet()) {
            if (e.getKey().endsWith("lora_B.weight")) assertNotNull(e.getValue().grad(), e.getKey());   // A's gradient is B-weighted: zero at start
        }
        for (var e : u.namedParameters().entrySet()) assertNull(e.getValue().grad(), "frozen base weight " + e.getKey());

        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> u.addLora(1, 1f, new Rng(0)));
        assertTrue(twice.getMessage().contains("already"), twice.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> new LowRankAdapter(4, 8, 5, 1f, new Rng(0)));
        assertTrue(rank.getMessage().contains("1..4"), rank.getMessage());
        IllegalArgumentException alpha = assertThrows(IllegalArgumentException.class, () -> new LowRankAdapter(4, 8, 2, 0f, new Rng(0)));
        assertTrue(alpha.getMessage().contains("alpha"), alpha.getMessage());
    }
}
