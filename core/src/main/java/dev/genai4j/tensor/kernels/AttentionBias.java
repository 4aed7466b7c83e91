package dev.genai4j.tensor.kernels;

/**
 * An additive attention bias [B or 1, H or 1, Tq, Tk] (ALiBi, relative-position buckets, an
 * arbitrary float mask with −∞ entries), added to the scaled scores before the softmax:
 * element (b, h, i, j) is {@code data[offset + b·batchStride + h·headStride + i·queryStride + j]}.
 * A stride of 0 broadcasts that axis.
 *
 * <pre>{@code
 * // one [Tq, Tk] bias shared by every batch and head
 * var bias = AttentionBias.dense(table, 1, 1, tq, tk);
 * }</pre>
 */
public record AttentionBias(float[] data, int offset, int batchStride, int headStride, int queryStride) {

    /** Dense [batches, heads, Tq, Tk]; a batch or head count of 1 broadcasts over that axis. */
    public static AttentionBias dense(float[] data, int batches, int heads, int tq, int tk) {
        return new AttentionBias(data, 0, batches == 1 ? 0 : heads * tq * tk, heads == 1 ? 0 : tq * tk, tk);
    }

    /** Index of element (b, h, i, 0). */
    int at(int b, int h, int i) {
        return offset + b * batchStride + h * headStride + i * queryStride;
    }
}
