package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small configs and a deterministic stand-in text encoder so diffusion tests run in well under a second each. */
final class TinyDiffusion {
    private TinyDiffusion() {}

    static final int TEXT_DIM = 12, TEXT_LEN = 3;

    /** 8×8 grey, channels 8/16, attention on the second level and in the middle. */
    static UNetConfig config() {
        return new UNetConfig(8, 1, 1, new int[]{8, 16}, new boolean[]{false, true}, 1, TEXT_DIM, 8, 4, 1e-5f);
    }

    /**
     * Step k of a recorded trajectory, recomputed through the (now trainable) UNet with gradients:
     * the same log-probability as recorded, and a non-zero gradient on a cross-attention key weight.
     */
    static void assertLogProbRecomputesWithGradient(UNet u, DiffusionSampler sampler, Trajectory tr, int k) {
        u.trainable();
        Tensor lp = sampler.logProb(tr, k);
        assertArrayEquals(tr.logProbs().get(k).toFloatArray(), lp.toFloatArray(), 1e-2f);
        lp.sum().backward();
        Tensor g = u.namedParameters().get("mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight").grad();
        assertNotNull(g);
        double norm = 0;
        for (float v : g.toFloatArray()) norm += v * v;
        assertTrue(norm > 0, "gradient norm² " + norm);
    }

    /** Prompt → fixed pseudo-random token states seeded by the prompt's hash (a frozen "encoder" without weights files). */
    static final class HashEncoder implements PromptEncoder {
        int calls;

        @Override public int dim() { return TEXT_DIM; }

        @Override public int length() { return TEXT_LEN; }

        @Override public String name() { return "hash"; }

        @Override public float[] encode(String prompt) {
            if (prompt == null || prompt.isBlank()) throw new DiffusionException("prompt is empty");
            calls++;
            Rng r = new Rng(prompt.hashCode());
            float[] out = new float[TEXT_LEN * TEXT_DIM];
            for (int i = 0; i < out.length; i++) out[i] = (float) r.gaussian();
            return out;
        }
    }
}
