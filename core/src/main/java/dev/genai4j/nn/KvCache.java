package dev.genai4j.nn;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.Arrays;

/**
 * One attention layer's key/value cache for incremental decoding: preallocated
 * [B, Hkv, maxT, D] buffers filled left to right. {@link #append} copies the new keys/values in
 * and returns views of everything cached so far (no copy). Cached values are detached: the cache
 * is for inference.
 *
 * <pre>{@code
 * KvCache[] caches = KvCache.forLayers(numLayers, batch, numKvHeads, maxLen, headDim);
 * Tensor y = attn.forward(x, AttentionMask.causal(), null, caches[layer]);   // prompt, then one token at a time
 * }</pre>
 */
public final class KvCache {
    private final int batch, kvHeads, maxLength, headDim;
    private final Tensor keys;     // [B, Hkv, maxT, D]
    private final Tensor values;   // [B, Hkv, maxT, D]
    private int length;

    public KvCache(int batch, int kvHeads, int maxLength, int headDim) {
        this.batch = batch;
        this.kvHeads = kvHeads;
        this.maxLength = maxLength;
        this.headDim = headDim;
        this.keys = Tensor.zeros(batch, kvHeads, maxLength, headDim);
        this.values = Tensor.zeros(batch, kvHeads, maxLength, headDim);
    }

    /** One cache per layer, all alike. */
    public static KvCache[] forLayers(int layers, int batch, int kvHeads, int maxLength, int headDim) {
        KvCache[] out = new KvCache[layers];
        for (int i = 0; i < layers; i++) out[i] = new KvCache(batch, kvHeads, maxLength, headDim);
        return out;
    }

    /** Number of positions cached. */
    public int length() { return length; }

    public int maxLength() { return maxLength; }

    /**
     * Appends k, v [B, Hkv, Tnew, D] at slots [length, length + Tnew) and returns
     * {keys, values}, each a [B, Hkv, length, D] view of the whole cache.
     */
    public Tensor[] append(Tensor k, Tensor v) {
        int[] expect = {batch, kvHeads, k.dim() == 4 ? k.size(2) : -1, headDim};
        if (k.dim() != 4 || !Arrays.equals(k.shape(), expect)) throw ShapeException.of("KvCache.append keys", "[" + batch + ", " + kvHeads + ", T, " + headDim + "]", k.shape());
        if (!Arrays.equals(v.shape(), k.shape())) throw ShapeException.of("KvCache.append values", "the keys' shape " + Arrays.toString(k.shape()), v.shape());
        int tNew = k.size(2);
        if (length + tNew > maxLength) {
            throw new IndexOutOfRangeException("KvCache: appending " + tNew + " positions to " + length + " exceeds maxLength " + maxLength);
        }
        write(keys, k.data(), tNew);
        write(values, v.data(), tNew);
        length += tNew;
        return new Tensor[]{keys.narrow(2, 0, length), values.narrow(2, 0, length)};
    }

    private void write(Tensor buffer, float[] src, int tNew) {
        float[] dst = ((FloatStorage) buffer.storage()).array();
        int rowLen = tNew * headDim;
        for (int bh = 0; bh < batch * kvHeads; bh++) {
            System.arraycopy(src, bh * rowLen, dst, (bh * maxLength + length) * headDim, rowLen);
        }
    }

    /** Forgets everything (the buffers are reused). */
    public void reset() { length = 0; }

    /** Keeps only the first {@code newLength} positions (e.g. to roll back rejected draft tokens). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) throw new IndexOutOfRangeException("KvCache.truncate: " + newLength + " outside [0, " + length + "]");
        length = newLength;
    }
}
