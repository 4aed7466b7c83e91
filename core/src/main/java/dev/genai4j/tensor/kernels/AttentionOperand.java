package dev.genai4j.tensor.kernels;

/**
 * Where a [B, H, T, D] attention operand (q, k, v, out or a gradient) lives in a float[]:
 * element (b, h, t, d) is {@code data[offset + b·batchStride + h·headStride + t·tokenStride + d]}.
 * The head axis D must be contiguous; the other strides are free, so the [B, T, H, D] layout a
 * fused QKV projection produces is used in place.
 *
 * <pre>{@code
 * // q of a fused qkv [B, T, 3, H, D]: no copy, just strides
 * var q = new AttentionOperand(qkv, 0, T * 3 * H * D, D, 3 * H * D);
 * var out = AttentionOperand.bhtd(new float[B * H * T * D], H, T, D);
 * }</pre>
 */
public record AttentionOperand(float[] data, int offset, int batchStride, int headStride, int tokenStride) {

    /** Dense [B, H, T, D] (PyTorch's scaled_dot_product_attention layout). */
    public static AttentionOperand bhtd(float[] data, int heads, int tokens, int headDim) {
        return new AttentionOperand(data, 0, heads * tokens * headDim, tokens * headDim, headDim);
    }

    /** Dense [B, T, H, D] (what a Linear projection followed by a view produces). */
    public static AttentionOperand bthd(float[] data, int tokens, int heads, int headDim) {
        return new AttentionOperand(data, 0, tokens * heads * headDim, headDim, heads * headDim);
    }

    /** Index of element (b, h, t, 0). */
    int at(int b, int h, int t) {
        return offset + b * batchStride + h * headStride + t * tokenStride;
    }
}
