package dev.genai4j.tensor.quant;

/**
 * Plain-Java twins of {@link QuantKernels}: the definition the vector code is tested against, and
 * what runs with {@code -Dgenai4j.kernels.scalar=true}.
 */
final class QuantKernelsScalar {
    private QuantKernelsScalar() {}

    /** Σ_b ws[b]·xs[b]·Σ_i qw[b,i]·qx[b,i] over {@code blocks} Q8_0 weight blocks and int8 activation blocks. */
    static float dotQ8(byte[] w, int wOff, float[] ws, int wsOff, short[] x, int xOff, float[] xs, int xsOff, int blocks) {
        float acc = 0;
        for (int b = 0; b < blocks; b++) {
            int sum = 0, wo = wOff + b * QuantType.BLOCK, xo = xOff + b * QuantType.BLOCK;
            for (int i = 0; i < QuantType.BLOCK; i++) sum += w[wo + i] * x[xo + i];
            acc += ws[wsOff + b] * xs[xsOff + b] * sum;
        }
        return acc;
    }

    /** As {@link #dotQ8} with Q4_0 weight blocks (16 bytes each, nibbles j and j + 16). */
    static float dotQ4(byte[] w, int wOff, float[] ws, int wsOff, short[] x, int xOff, float[] xs, int xsOff, int blocks) {
        float acc = 0;
        for (int b = 0; b < blocks; b++) {
            int sum = 0, wo = wOff + b * 16, xo = xOff + b * QuantType.BLOCK;
            for (int j = 0; j < 16; j++) {
                int packed = w[wo + j] & 0xFF;
                sum += ((packed & 0x0F) - 8) * x[xo + j] + ((packed >>> 4) - 8) * x[xo + j + 16];
            }
            acc += ws[wsOff + b] * xs[xsOff + b] * sum;
        }
        return acc;
    }

    /** Twin of {@link QuantKernels#dequantizeQ8}. */
    static void dequantizeQ8(byte[] q, int qOff, float d, float[] dst, int dOff) {
        for (int i = 0; i < QuantType.BLOCK; i++) dst[dOff + i] = q[qOff + i] * d;
    }

    /** Twin of {@link QuantKernels#dequantizeQ4}. */
    static void dequantizeQ4(byte[] q, int qOff, float d, float[] dst, int dOff) {
        for (int j = 0; j < 16; j++) {
            int packed = q[qOff + j] & 0xFF;
            dst[dOff + j] = ((packed & 0x0F) - 8) * d;
            dst[dOff + j + 16] = ((packed >>> 4) - 8) * d;
        }
    }
}
