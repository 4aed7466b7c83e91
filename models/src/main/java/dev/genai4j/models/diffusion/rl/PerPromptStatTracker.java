package dev.genai4j.models.diffusion.rl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DDPO's per-prompt reward normalization ({@code ddpo_pytorch/stat_tracking.py}): every prompt
 * keeps its last {@code bufferSize} rewards; a reward's advantage is (r − mean)/(std + 1e-6) over
 * that prompt's buffer once it holds at least {@code minCount} rewards, and over the whole
 * current batch before that. Normalizing per prompt keeps an easy prompt (high reward whatever
 * the image) from drowning out a hard one.
 *
 * <pre>{@code
 * PerPromptStatTracker t = new PerPromptStatTracker(16, 16);
 * float[] adv = t.update(prompts, rewards);   // one advantage per sample
 * }</pre>
 */
public final class PerPromptStatTracker {
    private final int bufferSize, minCount;
    private final Map<String, Deque<Float>> buffers = new LinkedHashMap<>();

    public PerPromptStatTracker(int bufferSize, int minCount) {
        if (bufferSize < 1 || minCount < 1) {
            throw new IllegalArgumentException("stat tracker: buffer size and min count must be ≥ 1, got " + bufferSize + ", " + minCount);
        }
        this.bufferSize = bufferSize;
        this.minCount = minCount;
    }

    /** Adds the batch's rewards to their prompts' buffers, then returns their advantages. */
    public float[] update(List<String> prompts, float[] rewards) {
        if (prompts.size() != rewards.length) {
            throw new IllegalArgumentException("stat tracker: " + prompts.size() + " prompts for " + rewards.length + " rewards");
        }
        double[] batch = moments(toList(rewards));
        for (int i = 0; i < rewards.length; i++) {
            Deque<Float> d = buffers.computeIfAbsent(prompts.get(i), k -> new ArrayDeque<>());
            d.addLast(rewards[i]);
            while (d.size() > bufferSize) d.removeFirst();
        }
        float[] adv = new float[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            Deque<Float> d = buffers.get(prompts.get(i));
            double[] m = d.size() < minCount ? batch : moments(new ArrayList<>(d));
            adv[i] = (float) ((rewards[i] - m[0]) / (m[1] + 1e-6));
        }
        return adv;
    }

    /** [mean, population std] as numpy's {@code np.mean}, {@code np.std}. */
    static double[] moments(List<Float> v) {
        double mean = 0;
        for (float x : v) mean += x;
        mean /= v.size();
        double var = 0;
        for (float x : v) var += (x - mean) * (x - mean);
        return new double[]{mean, Math.sqrt(var / v.size())};
    }

    private static List<Float> toList(float[] a) {
        List<Float> out = new ArrayList<>(a.length);
        for (float x : a) out.add(x);
        return out;
    }

    /** The buffers, for checkpoints: prompt → rewards, oldest first. */
    public Map<String, List<Float>> state() {
        Map<String, List<Float>> out = new LinkedHashMap<>();
        buffers.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }

    /** Replaces the buffers with a {@link #state()} (each trimmed to the buffer size). */
    public void restore(Map<String, List<Float>> state) {
        buffers.clear();
        state.forEach((k, v) -> {
            Deque<Float> d = new ArrayDeque<>(v);
            while (d.size() > bufferSize) d.removeFirst();
            buffers.put(k, d);
        });
    }
}
