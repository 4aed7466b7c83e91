package dev.genai4j.models.diffusion.rl;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * DPOK's replay buffer (arXiv 2305.16381 Algorithm 1; {@code train_online_pg.py}'s
 * {@code state_dict} buffer): the transitions x_t → x_{t−1} of recent trajectories with their
 * prompt, the sampling policy's log-probability and the trajectory's final reward, oldest
 * dropped beyond the capacity; policy and value updates draw random minibatches from it.
 *
 * <pre>{@code
 * ReplayBuffer buf = new ReplayBuffer(512);
 * buf.add(new ReplayBuffer.Transition(xt, xPrev, 999, 979, textRow, prompt, oldLogProb, reward));
 * ReplayBuffer.Batch b = buf.sample(8, rng);
 * }</pre>
 */
public final class ReplayBuffer {
    /** One step of one trajectory; xt, xPrev [C, H, W] and text [L, D] as rows, oldLogProb per value (log-prob / (C·H·W)). */
    public record Transition(float[] xt, float[] xPrev, int t, int tPrev, float[] text, String prompt, float oldLogProb, float reward) {}

    /** A minibatch as tensors: xt, xPrev [B, C, H, W], text [B, L, D]. */
    public record Batch(Tensor xt, Tensor xPrev, int[] t, int[] tPrev, Tensor text, List<String> prompts, Tensor oldLogProb, float[] rewards) {}

    private final int capacity;
    private final List<Transition> items = new ArrayList<>();
    private int next;   // ring position once full

    public ReplayBuffer(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("replay buffer: capacity must be ≥ 1, got " + capacity);
        this.capacity = capacity;
    }

    public int size() { return items.size(); }

    public int capacity() { return capacity; }

    /** The standard deviation of the final rewards held (the scale DPOK's advantages are divided by); 0 when empty. */
    public double rewardStd() {
        if (items.isEmpty()) return 0;
        double mean = 0;
        for (Transition t : items) mean += t.reward();
        mean /= items.size();
        double var = 0;
        for (Transition t : items) var += (t.reward() - mean) * (t.reward() - mean);
        return Math.sqrt(var / items.size());
    }

    /** Adds one transition, replacing the oldest when full. */
    public void add(Transition tr) {
        if (items.size() < capacity) {
            items.add(tr);
        } else {
            items.set(next, tr);
            next = (next + 1) % capacity;
        }
    }

    /** {@code n} transitions drawn uniformly with replacement; image shape [C, H, W] and text shape [L, D] for the tensors. */
    public Batch sample(int n, Rng rng, int[] imageShape, int[] textShape) {
        if (items.isEmpty()) throw new IllegalStateException("replay buffer: sample from an empty buffer");
        int img = imageShape[0] * imageShape[1] * imageShape[2], txt = textShape[0] * textShape[1];
        float[] xt = new float[n * img], xp = new float[n * img], text = new float[n * txt], old = new float[n], r = new float[n];
        int[] t = new int[n], tp = new int[n];
        List<String> prompts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Transition tr = items.get(rng.nextInt(items.size()));
            System.arraycopy(tr.xt(), 0, xt, i * img, img);
            System.arraycopy(tr.xPrev(), 0, xp, i * img, img);
            System.arraycopy(tr.text(), 0, text, i * txt, txt);
            t[i] = tr.t();
            tp[i] = tr.tPrev();
            old[i] = tr.oldLogProb();
            r[i] = tr.reward();
            prompts.add(tr.prompt());
        }
        int[] bImg = {n, imageShape[0], imageShape[1], imageShape[2]};
        return new Batch(Tensor.of(xt, bImg), Tensor.of(xp, bImg), t, tp, Tensor.of(text, n, textShape[0], textShape[1]), prompts,
                Tensor.of(old, n), r);
    }
}
