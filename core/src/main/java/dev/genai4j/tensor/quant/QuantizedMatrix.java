package dev.genai4j.tensor.quant;

import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * A weight matrix {@code W[N, K]} (as {@code Linear} stores it: one output per row) held block-quantized
 * ({@link QuantType}), and the product {@code y = x · Wᵀ} computed on the integers: each activation
 * row is quantized to int8 per block of 32 on the fly, each block's integer dot product is scaled
 * once. Rows whose length is not a multiple of 32 are zero-padded to one. With eight or more
 * activation rows (a prompt) weights are dequantized chunk by chunk for the float GEMM instead.
 *
 * <pre>{@code
 * QuantizedMatrix q = QuantizedMatrix.quantize(linear.weight().value(), QuantType.Q8_0);   // [N, K]
 * Tensor y = q.matmul(x);                                    // x [..., K] -> y [..., N]
 * }</pre>
 */
public final class QuantizedMatrix {
    /** Rows handed to a thread at a time: 16 rows of 4096 int8 weights stay in L2 across the M activation rows. */
    private static final int ROW_CHUNK = 16;
    /** From this many activation rows on, chunks of weights are dequantized and the float GEMM runs. */
    // Measured on [3584, 1024] Q8_0, one thread: the integer kernel costs ~0.26 ms per row, dequantizing
    // the matrix ~2 ms plus the GEMM, so the integer kernel wins up to about 8 rows (a Mixtral expert's
    // share of a short prompt).
    private static final int PREFILL_ROWS = 8;
    /**
     * Weights dequantized at a time for a prompt: 256 Ki floats (1 MiB). Chunks of 64 rows made a
     * Mixtral expert's [3584, 1024] product 56 small GEMM calls whose fixed cost dominated (q8 prefill
     * ran 5× slower than bf16); chunks this size make it 14, each still L2-sized.
     */
    private static final int PREFILL_FLOATS = 1 << 18;

    /** Weight rows read and converted to fp32 at a time while quantizing. */
    private static final int READ_ROWS = 64;

    private final QuantType type;
    private final int rows, cols, blocks;
    private final byte[] data;          // [rows, blocks, type.bytesPerBlock]
    private final float[] scales;       // [rows, blocks]

    private QuantizedMatrix(QuantType type, int rows, int cols, byte[] data, float[] scales) {
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.blocks = (cols + QuantType.BLOCK - 1) / QuantType.BLOCK;
        this.data = data;
        this.scales = scales;
    }

    /**
     * Quantizes a 2-D weight {@code [N, K]} of any storage dtype. The weight is read {@link #READ_ROWS}
     * rows at a time, so a memory-mapped bf16 matrix never exists as a whole in fp32: the extra memory
     * is one fp32 chunk per thread besides the quantized result.
     */
    public static QuantizedMatrix quantize(Tensor weight, QuantType type) {
        if (weight.dim() != 2) throw new ShapeException("quantize: expected a 2-D weight [N, K], got shape "
                + java.util.Arrays.toString(weight.shape()));
        int n = weight.shape()[0], k = weight.shape()[1];
        int blocks = (k + QuantType.BLOCK - 1) / QuantType.BLOCK;
        byte[] data = new byte[Math.multiplyExact(n, blocks * type.bytesPerBlock)];
        float[] scales = new float[n * blocks];
        int chunks = (n + READ_ROWS - 1) / READ_ROWS;
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            float[] block = new float[QuantType.BLOCK];
            for (int c = c0; c < c1; c++) {
                int r0 = c * READ_ROWS, rn = Math.min(READ_ROWS, n - r0);
                float[] w = weight.narrow(0, r0, rn).contiguous().toFloatArray();   // [rn, K]
                for (int i = 0; i < rn; i++) {
                    int r = r0 + i;
                    for (int b = 0; b < blocks; b++) {
                        java.util.Arrays.fill(block, 0f);
                        int from = b * QuantType.BLOCK, len = Math.min(QuantType.BLOCK, k - from);
                        System.arraycopy(w, i * k + from, block, 0, len);
                        int at = (r * blocks + b);
                        scales[at] = type == QuantType.Q8_0 ? quantizeQ8(block, data, at * 32) : quantizeQ4(block, data, at * 16);
                    }
                }
            }
        });
        return new QuantizedMatrix(type, n, k, data, scales);
    }

    public QuantType type() { return type; }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** Bytes held: quantized values plus scales. */
    public long bytes() { return data.length + 4L * scales.length; }

    /** The fp32 matrix these blocks stand for, {@code [N, K]}. */
    public Tensor dequantize() {
        float[] out = new float[rows * cols];
        dequantizeRows(0, rows, out);
        return Tensor.of(out, rows, cols);
    }

    /** {@code y = x · Wᵀ}: x {@code [..., K]} → {@code [..., N]}. */
    public Tensor matmul(Tensor x) {
        int[] shape = x.shape();
        if (x.dim() < 1 || shape[shape.length - 1] != cols) {
            throw new ShapeException("quantized matmul: input's last dimension must be " + cols + " (the weight's K), got shape "
                    + java.util.Arrays.toString(shape));
        }
        int m = x.numel() / cols;
        float[] xf = x.contiguous().toFloatArray();
        int[] out = shape.clone();
        out[out.length - 1] = rows;
        if (m >= PREFILL_ROWS) return Tensor.of(prefill(xf, m), out);
        // activations to int8 per block, once for all N rows
        byte[] xq = new byte[m * blocks * QuantType.BLOCK];
        float[] xs = new float[m * blocks];
        float[] block = new float[QuantType.BLOCK];
        for (int i = 0; i < m; i++) {
            for (int b = 0; b < blocks; b++) {
                java.util.Arrays.fill(block, 0f);
                int from = b * QuantType.BLOCK, len = Math.min(QuantType.BLOCK, cols - from);
                System.arraycopy(xf, i * cols + from, block, 0, len);
                xs[i * blocks + b] = quantizeQ8(block, xq, (i * blocks + b) * QuantType.BLOCK);
            }
        }
        short[] xw = QuantKernels.widen(xq);                      // 16-bit lanes once, not per weight row
        float[] y = new float[m * rows];
        int chunks = (rows + ROW_CHUNK - 1) / ROW_CHUNK;
        long work = (long) m * rows * cols;
        Runnable all = () -> Parallel.forRange(chunks, 1, (c0, c1) -> {
            int r0 = c0 * ROW_CHUNK, r1 = Math.min(rows, c1 * ROW_CHUNK);
            for (int i = 0; i < m; i++) {
                int xOff = i * blocks * QuantType.BLOCK, xsOff = i * blocks, yOff = i * rows;
                if (type == QuantType.Q8_0) QuantKernels.rowsQ8(data, scales, blocks, r0, r1, xw, xOff, xs, xsOff, y, yOff);
                else QuantKernels.rowsQ4(data, scales, blocks, r0, r1, xw, xOff, xs, xsOff, y, yOff);
            }
        });
        if (work < (1 << 16)) Parallel.withThreads(1, all); else all.run();   // tiny products: a fork costs more
        return Tensor.of(y, out);
    }

    /**
     * Many activation rows (a prompt): the integer kernel would widen every weight block once per
     * row, so instead each chunk of weight rows is dequantized once into fp32 and multiplied by all
     * rows with the float kernels. Weights are still read from memory once, at their quantized size.
     */
    private float[] prefill(float[] xf, int m) {
        float[] y = new float[m * rows];
        // as many rows as fit the budget, but at least one chunk per thread when there are rows enough
        int chunk = Math.max(16, Math.min(PREFILL_FLOATS / cols, (rows + Parallel.threads() - 1) / Parallel.threads()));
        int chunks = (rows + chunk - 1) / chunk;
        Tensor xt = Tensor.of(xf, m, cols);
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            float[] wf = new float[chunk * cols];
            for (int c = c0; c < c1; c++) {
                int r0 = c * chunk, r1 = Math.min(rows, r0 + chunk), n = r1 - r0;
                dequantizeRows(r0, r1, wf);
                Tensor part;
                try (var g = dev.genai4j.tensor.NoGrad.enter()) {
                    part = xt.matmul(Tensor.of(java.util.Arrays.copyOf(wf, n * cols), n, cols).transpose(0, 1));   // [m, n]
                }
                float[] p = part.toFloatArray();
                for (int i = 0; i < m; i++) System.arraycopy(p, i * n, y, i * rows + r0, n);
            }
        });
        return y;
    }

    /** Rows [r0, r1) as fp32 into {@code dst} ([r1 - r0, cols]). */
    private void dequantizeRows(int r0, int r1, float[] dst) {
        for (int r = r0; r < r1; r++) {
            int base = (r - r0) * cols;
            for (int b = 0; b < blocks; b++) {
                int at = r * blocks + b, from = b * QuantType.BLOCK, len = Math.min(QuantType.BLOCK, cols - from);
                float d = scales[at];
                if (len == QuantType.BLOCK) {                 // whole blocks: the vector kernels
                    if (type == QuantType.Q8_0) QuantKernels.dequantizeQ8(data, at * 32, d, dst, base + from);
                    else QuantKernels.dequantizeQ4(data, at * 16, d, dst, base + from);
                } else if (type == QuantType.Q8_0) {
                    for (int i = 0; i < len; i++) dst[base + from + i] = data[at * 32 + i] * d;
                } else {
                    for (int i = 0; i < len; i++) {
                        int packed = data[at * 16 + (i & 15)] & 0xFF;
                        dst[base + from + i] = ((i < 16 ? packed & 0x0F : packed >>> 4) - 8) * d;
                    }
                }
            }
        }
    }

    /** Q8_0 of one 32-value block into {@code q[at..at+32)}; returns the scale. */
    static float quantizeQ8(float[] block, byte[] q, int at) {
        float amax = 0;
        for (float v : block) amax = Math.max(amax, Math.abs(v));
        float d = amax / 127f;
        float id = d == 0 ? 0 : 1f / d;
        // Math.round's value (nearest, ties up) by an exact floor in double: Math.round(float) is not
        // intrinsified here and cost 7.3 ns a value, 4/5 of quantizing a model at load; this, 1.7 ns
        // (no difference on 60 M random floats and the tie and near-tie cases)
        for (int i = 0; i < QuantType.BLOCK; i++) q[at + i] = (byte) (int) Math.floor(block[i] * id + 0.5d);
        return d;
    }

    /** Q4_0 of one 32-value block into {@code q[at..at+16)}; returns the scale. */
    static float quantizeQ4(float[] block, byte[] q, int at) {
        float max = 0, amax = 0;
        for (float v : block) {
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = amax == 0 ? 0f : max / -8f;          // not -0.0: zero blocks dequantize to +0
        float id = d == 0 ? 0 : 1f / d;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, Math.max(0, (int) Math.floor(block[j] * id + 8.5f)));
            int hi = Math.min(15, Math.max(0, (int) Math.floor(block[j + 16] * id + 8.5f)));
            q[at + j] = (byte) (lo | hi << 4);
        }
        return d;
    }
}
