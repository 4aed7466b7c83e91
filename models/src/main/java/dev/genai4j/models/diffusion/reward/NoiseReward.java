package dev.genai4j.models.diffusion.reward;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * A control reward with no signal: each image scores a standard-normal draw seeded by a hash of
 * its exact pixel values. Nothing about what the image shows changes the expected score, so
 * whatever a run on it does to the model — its KL proxy, diversity and Fréchet distance — is the
 * optimizer's own noise, the floor against which a real reward's effect is read. The score is a
 * deterministic function of the image, so a resumed run sees the same rewards as one never stopped.
 * Prompts are ignored.
 *
 * <pre>{@code
 * float[] r = new NoiseReward().score(samples, prompts);   // ~N(0, 1), one per image
 * }</pre>
 */
public final class NoiseReward implements Reward {
    public static final String NAME = "noise";

    @Override
    public String name() { return NAME; }

    @Override
    public float[] score(Tensor images, List<String> prompts) {
        Reward.checkInputs(NAME, images, prompts);
        int b = images.size(0), d = images.numel() / b;
        float[] x = images.contiguous().toFloatArray(), out = new float[b];
        for (int i = 0; i < b; i++) out[i] = (float) new Rng(hash(x, i * d, d)).gaussian();
        return out;
    }

    /** FNV-1a over the float bits of x[from, from + n), then a SplitMix64 finalizer so nearby images seed unrelated streams. */
    static long hash(float[] x, int from, int n) {
        long h = 0xcbf29ce484222325L;
        for (int j = from; j < from + n; j++) {
            h ^= Float.floatToIntBits(x[j]);
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
