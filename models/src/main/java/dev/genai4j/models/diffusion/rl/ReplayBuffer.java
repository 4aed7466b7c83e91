package dev.genai4j.models.diffusion.rl;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The buffer as tensors in storage order, which with {@link #nextSlot} lets {@link #restore}
     * rebuild it exactly (same slots, so the same random draws): {@code xt}, {@code x_prev}
     * [N, C, H, W], {@code text} [N, L, D], {@code t}, {@code t_prev}, {@code old_log_prob},
     * {@code reward} [N] (timesteps as floats: exact below 2^24); an empty map when the buffer is
     * empty. Prompts go separately ({@link #prompts}) since safetensors holds numbers only.
     */
    public Map<String, Tensor> tensorState(int[] imageShape, int[] textShape) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int n = items.size();
        if (n == 0) return out;
        int img = imageShape[0] * imageShape[1] * imageShape[2], txt = textShape[0] * textShape[1];
        float[] xt = new float[n * img], xp = new float[n * img], text = new float[n * txt], t = new float[n], tp = new float[n], old = new float[n], r = new float[n];
        for (int i = 0; i < n; i++) {
            Transition tr = items.get(i);
            if (tr.xt().length != img || tr.text().length != txt) {
                throw new IllegalStateException("replay buffer: transition " + i + " has " + tr.xt().length + " image and " + tr.text().length
                        + " text values, expected " + img + " and " + txt);
            }
            System.arraycopy(tr.xt(), 0, xt, i * img, img);
            System.arraycopy(tr.xPrev(), 0, xp, i * img, img);
            System.arraycopy(tr.text(), 0, text, i * txt, txt);
            t[i] = tr.t();
            tp[i] = tr.tPrev();
            old[i] = tr.oldLogProb();
            r[i] = tr.reward();
        }
        int[] bImg = {n, imageShape[0], imageShape[1], imageShape[2]};
        out.put("xt", Tensor.of(xt, bImg));
        out.put("x_prev", Tensor.of(xp, bImg));
        out.put("text", Tensor.of(text, n, textShape[0], textShape[1]));
        out.put("t", Tensor.of(t, n));
        out.put("t_prev", Tensor.of(tp, n));
        out.put("old_log_prob", Tensor.of(old, n));
        out.put("reward", Tensor.of(r, n));
        return out;
    }

    /** The prompts of the transitions in the order of {@link #tensorState}. */
    public List<String> prompts() {
        List<String> out = new ArrayList<>(items.size());
        for (Transition t : items) out.add(t.prompt());
        return out;
    }

    /** The slot the next {@link #add} overwrites once the buffer is full. */
    public int nextSlot() { return next; }

    /**
     * Replaces the contents with what {@link #tensorState}, {@link #prompts} and {@link #nextSlot}
     * saved. Into a buffer of the same capacity the slots come back as they were; into a smaller
     * one only the newest transitions are kept. Mismatched counts or shapes fail with an
     * {@link IllegalArgumentException} that names the tensor.
     */
    public void restore(Map<String, Tensor> state, List<String> prompts, int savedNext) {
        items.clear();
        next = 0;
        if (state.isEmpty() && prompts.isEmpty()) return;
        int n = prompts.size();
        for (String name : List.of("xt", "x_prev", "text", "t", "t_prev", "old_log_prob", "reward")) {
            Tensor v = state.get(name);
            if (v == null) throw new IllegalArgumentException("replay buffer state: no tensor '" + name + "'");
            if (v.size(0) != n) throw new IllegalArgumentException("replay buffer state: '" + name + "' has " + v.size(0) + " rows, expected " + n + " (one per prompt)");
        }
        if (savedNext < 0 || savedNext >= Math.max(n, 1)) throw new IllegalArgumentException("replay buffer state: next slot " + savedNext + " outside 0.." + (n - 1));
        Tensor xtT = state.get("xt"), xpT = state.get("x_prev"), textT = state.get("text");
        if (!java.util.Arrays.equals(xtT.shape(), xpT.shape())) {
            throw new IllegalArgumentException("replay buffer state: xt " + java.util.Arrays.toString(xtT.shape()) + " and x_prev "
                    + java.util.Arrays.toString(xpT.shape()) + " differ");
        }
        float[] xt = xtT.contiguous().toFloatArray(), xp = xpT.contiguous().toFloatArray(), text = textT.contiguous().toFloatArray();
        float[] t = state.get("t").toFloatArray(), tp = state.get("t_prev").toFloatArray();
        float[] old = state.get("old_log_prob").toFloatArray(), r = state.get("reward").toFloatArray();
        int img = xt.length / n, txt = text.length / n;
        List<Transition> stored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            stored.add(new Transition(java.util.Arrays.copyOfRange(xt, i * img, (i + 1) * img), java.util.Arrays.copyOfRange(xp, i * img, (i + 1) * img),
                    (int) t[i], (int) tp[i], java.util.Arrays.copyOfRange(text, i * txt, (i + 1) * txt), prompts.get(i), old[i], r[i]));
        }
        if (n <= capacity) {
            items.addAll(stored);
            next = n == capacity ? savedNext : 0;
        } else {
            // a full ring's oldest entry sits at savedNext: replay them oldest first so the newest stay
            for (int i = 0; i < n; i++) add(stored.get((savedNext + i) % n));
        }
    }
}
