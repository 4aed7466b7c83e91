package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.TensorException;

/**
 * What a query may attend to, and how scores are scaled. Query i sits at absolute position
 * {@code p = queryOffset + i} (the KV-cache length during decode); key j at position j. Key j is
 * visible to query i when all of these hold:
 * <ul>
 *   <li>{@code p − windowLeft ≤ j ≤ p + windowRight} (both {@link #UNBOUNDED} by default);</li>
 *   <li>{@code j ≤ p} if {@code causal};</li>
 *   <li>the key-padding mask of its batch row says attend ({@code true} / non-zero) if one is given;</li>
 * </ul>
 * and the additive {@code bias}, if given, is added to the scaled score. Queries that see no key
 * output zeros (and log-sum-exp −∞).
 *
 * <pre>{@code
 * AttentionOptions.defaults().causal(0);              // GPT-style prefill
 * AttentionOptions.defaults().causal(cacheLen);       // decode, Tq new tokens after cacheLen cached
 * AttentionOptions.defaults().slidingWindow(4096);    // Mistral / Mixtral: causal, the last 4096 keys
 * AttentionOptions.defaults().localWindow(128)        // ModernBERT local layers: |i − j| ≤ 64
 *         .withKeyMask(attentionMask);                // [B, Tk] HF attention_mask, 1 = real token
 * }</pre>
 *
 * @param scale        multiplier of q·k; NaN means 1/√D
 * @param keyMask      [B, Tk], true = attend; or null
 * @param keyMaskValues [B, Tk], non-zero = attend (HF's 0/1 attention_mask as floats); or null
 */
public record AttentionOptions(float scale, boolean causal, int queryOffset, int windowLeft, int windowRight,
                               boolean[] keyMask, float[] keyMaskValues, AttentionBias bias) {

    /** A window side without limit. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public AttentionOptions {
        if (queryOffset < 0) throw new TensorException("attention: queryOffset must be ≥ 0, got " + queryOffset);
        if (windowLeft < 0 || windowRight < 0)
            throw new TensorException("attention: window bounds must be ≥ 0, got left=" + windowLeft
                    + " right=" + windowRight);
    }

    /** Full bidirectional attention, scale 1/√D, no masks. */
    public static AttentionOptions defaults() {
        return new AttentionOptions(Float.NaN, false, 0, UNBOUNDED, UNBOUNDED, null, null, null);
    }

    public AttentionOptions withScale(float s) {
        return new AttentionOptions(s, causal, queryOffset, windowLeft, windowRight, keyMask, keyMaskValues, bias);
    }

    /** Causal: query i sees keys 0 … queryOffset + i. */
    public AttentionOptions causal(int offset) {
        return new AttentionOptions(scale, true, offset, windowLeft, windowRight, keyMask, keyMaskValues, bias);
    }

    /** Absolute position of query 0 (also shifts the windows of non-causal attention). */
    public AttentionOptions withQueryOffset(int offset) {
        return new AttentionOptions(scale, causal, offset, windowLeft, windowRight, keyMask, keyMaskValues, bias);
    }

    /** Keys p − left … p + right (inclusive) only. */
    public AttentionOptions withWindow(int left, int right) {
        return new AttentionOptions(scale, causal, queryOffset, left, right, keyMask, keyMaskValues, bias);
    }

    /**
     * ModernBERT's local attention, {@code |p − j| ≤ w/2} (HF {@code local_attention = w},
     * {@code window_mask = distance <= local_attention // 2}).
     */
    public AttentionOptions localWindow(int w) {
        return withWindow(w / 2, w / 2);
    }

    /**
     * Mistral's sliding window: causal over the last {@code w} positions, {@code p − w < j ≤ p}
     * (HF {@code sliding_window = w}). Keeps the current query offset.
     */
    public AttentionOptions slidingWindow(int w) {
        if (w < 1) throw new TensorException("attention: sliding window must be ≥ 1, got " + w);
        return causal(queryOffset).withWindow(w - 1, windowRight);
    }

    /** Key-padding mask [B, Tk], true = attend. */
    public AttentionOptions withKeyMask(boolean[] mask) {
        return new AttentionOptions(scale, causal, queryOffset, windowLeft, windowRight, mask, null, bias);
    }

    /** Key-padding mask [B, Tk] as floats, non-zero = attend (HF attention_mask). */
    public AttentionOptions withKeyMask(float[] mask) {
        return new AttentionOptions(scale, causal, queryOffset, windowLeft, windowRight, null, mask, bias);
    }

    public AttentionOptions withBias(AttentionBias b) {
        return new AttentionOptions(scale, causal, queryOffset, windowLeft, windowRight, keyMask, keyMaskValues, b);
    }

    float scaleFor(int headDim) {
        return Float.isNaN(scale) ? (float) (1.0 / Math.sqrt(headDim)) : scale;
    }

    /** First key query {@code i} may see (may exceed {@link #lastKey} when it sees none). */
    int firstKey(int i) {
        long p = (long) queryOffset + i;
        return (int) Math.max(0, p - windowLeft);
    }

    /** Last key query {@code i} may see, clipped to tk − 1. */
    int lastKey(int i, int tk) {
        long p = (long) queryOffset + i;
        long hi = tk - 1;
        if (causal) hi = Math.min(hi, p);
        hi = Math.min(hi, p + windowRight);
        return (int) hi;
    }

    /** Whether the padding mask lets batch row {@code b} attend to key {@code j}. */
    boolean keyVisible(int b, int tk, int j) {
        if (keyMask != null) return keyMask[b * tk + j];
        if (keyMaskValues != null) return keyMaskValues[b * tk + j] != 0f;
        return true;
    }

    boolean hasKeyMask() {
        return keyMask != null || keyMaskValues != null;
    }
}
