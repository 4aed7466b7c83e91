package dev.genai4j.nn.functional;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Storage;
import dev.genai4j.tensor.kernels.GemmRowTable;
import dev.genai4j.tensor.kernels.VectorMath;

/**
 * Stride-1, one-group convolution without im2col. With the input zero-padded to [C, Hp, Wp] and
 * the output kept at the padded row width Wp (the last Wp − Wo columns of each row are computed
 * and thrown away), tap (i, j) of channel c reads the padded input shifted by i·dil·Wp + j·dil:
 * a plain row of a matrix, so the forward is one GEMM whose B rows are those shifted rows
 * ({@link GemmRowTable}, K = C·kh·kw, no copy). Several images are laid side by side in one row
 * ([C][image][Hp·Wp]) so that small feature maps still make long GEMM rows.
 *
 * <p>Why: im2col writes kh·kw copies of the input and the GEMM reads them back; at the diffusion
 * UNet's 32×32×16 and 8×8×64 layers that copy cost as much as the multiply itself. The weight
 * gradient is the same table the other way round: {@code dW [O, (C, tap)] += dOut [O, ·] · shifted
 * input rows [(C, tap), ·]ᵀ}, with dOut zero in the thrown-away columns (so those columns add
 * 0·x; a non-finite activation there would turn that 0 into NaN, as it would the loss).
 *
 * <pre>{@code
 * // x [2, 3, 5, 5], w [4, 3, 3, 3], padding 1: y [2, 4, 5, 5]
 * float[] y = Conv2dTaps.forward(x, 2, 3, 5, 5, new FloatStorage(w), 0, 4, 3, 3, Conv2dOp.Geometry.of(1, 1), null);
 * }</pre>
 */
final class Conv2dTaps {
    private Conv2dTaps() {}

    /** Padded floats per channel row a chunk of images aims at: input and output blocks stay in L2. */
    private static final int CHUNK_FLOATS = 1 << 16;
    /**
     * GEMM columns are rounded up to a multiple of this (two AVX-512 vectors): GEMM kernels run
     * the columns past their last full vector one scalar at a time (with a GEMM per tap, the
     * 30-column tail of an 8×8×128 layer's 478 columns made it twice as slow). The extra columns
     * read the zero slack or the next channel's row: thrown away in the forward, multiplied by a
     * zero dOut in the weight gradient.
     */
    private static final int COLUMN_MULTIPLE = 32;

    /**
     * Whether this path computes the convolution: stride 1, a single group, and padding no wider
     * than the dilated kernel's reach (so neighbouring rows and images can share their zero gaps).
     */
    static boolean supports(Conv2dOp.Geometry g, int kh, int kw) {
        return g.strideH() == 1 && g.strideW() == 1 && g.groups() == 1
                && g.padH() <= g.dilationH() * (kh - 1) && g.padW() <= g.dilationW() * (kw - 1);
    }

    /**
     * A chunk layout. Each image row is stored after padW zeros (row pitch wp = W + padW) and each
     * image after padH zero rows (hp = H + padH rows): a row's right padding is the next row's
     * left padding and an image's bottom padding the next image's top, so fewer thrown-away
     * outputs are computed than with a full border per image (8×8 at padding 1: 81 positions per
     * 64 outputs instead of 100).
     */
    private record Layout(int n, int hp, int wp, int padH, int padW, int ho, int wo, int taps, int[] tapOffset, int perChunk) {
        int plane() { return hp * wp; }

        /**
         * GEMM columns of a chunk of {@code imgs} images: up to the last valid output of the last
         * image, rounded up to {@link #COLUMN_MULTIPLE} (the arrays carry that much zero slack).
         */
        int columns(int imgs) {
            return roundUp((imgs - 1) * plane() + (ho - 1) * wp + wo);
        }

        private static int roundUp(int x) { return (x + COLUMN_MULTIPLE - 1) / COLUMN_MULTIPLE * COLUMN_MULTIPLE; }

        int chunks() { return (n + perChunk - 1) / perChunk; }

        /**
         * Floats per channel row of a chunk: its images side by side, then the last image's bottom
         * padding (padH rows and padW more zeros, the furthest a tap reads), rounded up so that the
         * rounded-up GEMM columns of one row never reach into the next row.
         */
        int stride(int imgs) { return roundUp(imgs * plane() + padH * wp + padW); }
    }

    private static Layout layout(int n, int channels, int h, int w, int kh, int kw, Conv2dOp.Geometry g) {
        int hp = h + g.padH(), wp = w + g.padW();
        int ho = h + 2 * g.padH() - g.dilationH() * (kh - 1), wo = w + 2 * g.padW() - g.dilationW() * (kw - 1);
        int[] off = new int[kh * kw];
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++) off[i * kw + j] = i * g.dilationH() * wp + j * g.dilationW();
        int fit = Math.max(1, Math.min(n, CHUNK_FLOATS / Math.max(1, channels * hp * wp)));
        return new Layout(n, hp, wp, g.padH(), g.padW(), ho, wo, kh * kw, off, balancedChunk(n, fit, Parallel.threads()));
    }

    /**
     * Images per chunk: at most {@code fit} (what stays in L2), at least half of it, chosen so the
     * busiest thread gets the fewest images. The chunks are the unit of work; 16 images of 8×8 × 64
     * channels fit 12 to a chunk, which left one thread 12 images and the other 4 (8 + 8 now). One
     * thread gets chunks as equal as their count allows, for the same 8 + 8: a 4-image chunk's
     * weight-gradient product ran at 44 GFMA/s against 52 for 12 images (its dot products are short).
     */
    static int balancedChunk(int n, int fit, int threads) {
        if (n <= 1) return fit;
        if (threads <= 1) {
            int chunks = (n + fit - 1) / fit;
            return (n + chunks - 1) / chunks;
        }
        int best = fit;
        long bestLoad = Long.MAX_VALUE;
        for (int pc = fit; pc >= Math.max(1, (fit + 1) / 2); pc--) {
            int chunks = (n + pc - 1) / pc;
            long load = (long) ((chunks + threads - 1) / threads) * pc;   // the busiest thread's images, at most
            if (load < bestLoad) {
                bestLoad = load;
                best = pc;
            }
        }
        return best;
    }

    /** Per-thread chunk buffers, reused across calls: fully rewritten each time, so never zeroed or collected. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[3][0]);

    /** Larger chunks (one big image) get a fresh array each time rather than stay pinned to a thread. */
    private static final int MAX_KEPT_FLOATS = 1 << 22;

    private static float[] buffer(int which, int size) {
        if (size > MAX_KEPT_FLOATS) return new float[size];
        float[][] bufs = BUFFERS.get();
        if (bufs[which].length < size) bufs[which] = new float[size];
        return bufs[which];
    }

    /**
     * Writes images first .. first + imgs of src [N, channels, rows, cols] into dst as the chunk
     * [channels][img][hp][wp] with each image's data at row {@code top}, column {@code left}, and
     * every other float of dst[0, channels·stride + COLUMN_MULTIPLE) set to zero: dst may be a
     * reused buffer holding anything.
     */
    private static void spread(float[] src, int first, int imgs, int channels, int rows, int cols, int top, int left,
                               Layout l, int stride, float[] dst) {
        int wp = l.wp, plane = l.plane(), right = wp - left - cols;
        for (int ch = 0; ch < channels; ch++) {
            int d = ch * stride;
            for (int img = 0; img < imgs; img++) {
                int base = d + img * plane, s = ((first + img) * channels + ch) * rows * cols;
                java.util.Arrays.fill(dst, base, base + top * wp, 0f);
                for (int r = 0, at = base + top * wp; r < rows; r++, at += wp, s += cols) {
                    for (int z = 0; z < left; z++) dst[at + z] = 0f;
                    System.arraycopy(src, s, dst, at + left, cols);
                    for (int z = at + left + cols, end = at + wp; z < end; z++) dst[z] = 0f;
                }
                java.util.Arrays.fill(dst, base + (top + rows) * wp, base + plane, 0f);
            }
            java.util.Arrays.fill(dst, d + imgs * plane, d + stride, 0f);
        }
        java.util.Arrays.fill(dst, channels * stride, channels * stride + COLUMN_MULTIPLE, 0f);
    }

    /** x [N, C, H, W] → the padded chunk [C][img − first][Hp][Wp] (image at row padH, column padW), zero elsewhere. */
    private static float[] padChunk(float[] x, int first, int imgs, int c, int h, int w, Layout l) {
        int stride = l.stride(imgs);
        float[] p = buffer(0, c * stride + COLUMN_MULTIPLE);
        spread(x, first, imgs, c, h, w, l.padH, l.padW, l, stride, p);
        return p;
    }

    /**
     * out [N, O, Ho, Wo] = x [N, C, H, W] ⋆ weight [O, C, kh, kw] + bias [O] (or none when null),
     * stride 1, one group; the weight is read from any storage at {@code wOff}.
     */
    static float[] forward(float[] x, int n, int c, int h, int w, Storage ws, long wOff, int o, int kh, int kw, Conv2dOp.Geometry g,
                           float[] bias) {
        Layout l = layout(n, Math.max(c, o), h, w, kh, kw, g);
        int k = c * l.taps;
        // A = weight [O, C·kh·kw]: read in place when fp32 on the heap, else widened once (bf16 checkpoints)
        float[] wd;
        int wo0;
        if (ws instanceof FloatStorage fs) {
            wd = fs.array();
            wo0 = (int) wOff;
        } else {
            wd = new float[o * k];
            wo0 = 0;
            for (int i = 0; i < wd.length; i++) wd[i] = ws.get(wOff + i);
        }
        int[] fullRows = rowTable(c, l.stride(l.perChunk), l);               // every chunk but a short last one
        float[] out = new float[n * o * l.ho * l.wo];
        Parallel.forRange(l.chunks(), 1, (from, to) -> {
            for (int q = from; q < to; q++) {
                int first = q * l.perChunk, imgs = Math.min(l.perChunk, n - first), stride = l.stride(imgs), cols = l.columns(imgs);
                float[] p = padChunk(x, first, imgs, c, h, w, l);
                int[] rows = imgs == l.perChunk ? fullRows : rowTable(c, stride, l);
                float[] acc = buffer(1, o * stride);   // [O][img][Hp·Wp], valid at [oh·Wp + ow]; the GEMM writes every read column
                GemmRowTable.multiply(o, cols, k, wd, wo0, k, p, 0, rows, acc, 0, stride, false);
                for (int oc = 0; oc < o; oc++)
                    for (int img = 0; img < imgs; img++) {
                        int src = oc * stride + img * l.plane(), dst = ((first + img) * o + oc) * l.ho * l.wo;
                        for (int r = 0; r < l.ho; r++) System.arraycopy(acc, src + r * l.wp, out, dst + r * l.wo, l.wo);
                        // the bias over the whole contiguous plane in vector lanes (x·1 + b rounds as x + b):
                        // per row it ran scalar at 8- and 16-wide rows, 6 % of the convolution's time
                        if (bias != null) VectorMath.affine(out, dst, 1f, bias[oc], out, dst, l.ho * l.wo);
                    }
            }
        });
        return out;
    }

    /** dW [O, C, kh, kw] = Σ over images of dOut [N, O, Ho, Wo] against x [N, C, H, W] (stride 1, one group). */
    static float[] weightGrad(float[] gd, float[] x, int n, int c, int h, int w, int o, int kh, int kw, Conv2dOp.Geometry g) {
        Layout l = layout(n, Math.max(c, o), h, w, kh, kw, g);
        int k = c * l.taps;
        float[] dw = new float[o * k];   // [O, C·kh·kw], summed over the workers' parts
        int[] fullRows = rowTable(c, l.stride(l.perChunk), l);
        Parallel.forRange(l.chunks(), 1, (from, to) -> {
            float[] part = new float[o * k];
            for (int q = from; q < to; q++) {
                int first = q * l.perChunk, imgs = Math.min(l.perChunk, n - first), stride = l.stride(imgs), cols = l.columns(imgs);
                float[] p = padChunk(x, first, imgs, c, h, w, l);
                // dOut at the padded row width, 0 in the thrown-away columns
                float[] gp = buffer(1, o * stride + COLUMN_MULTIPLE);
                spread(gd, first, imgs, o, l.ho, l.wo, 0, 0, l, stride, gp);
                // dW [O, (C, tap)] += dOut [O, cols] · shifted x [(C, tap), cols]ᵀ
                int[] rows = imgs == l.perChunk ? fullRows : rowTable(c, stride, l);
                GemmRowTable.multiplyTransposed(o, k, cols, gp, 0, stride, p, 0, rows, part, 0, k, true);
            }
            synchronized (dw) {
                for (int i = 0; i < dw.length; i++) dw[i] += part[i];
            }
        });
        return dw;
    }

    /**
     * Whether {@link #backward} applies: a {@link #supports supported} convolution with "same"
     * padding (dil·(k − 1) = 2·pad on both axes), so that dOut padded for the input gradient's
     * correlation has the forward's layout, shifted by (pad rows, pad columns).
     */
    static boolean supportsSharedBackward(Conv2dOp.Geometry g, int kh, int kw) {
        return supports(g, kh, kw) && g.dilationH() * (kh - 1) == 2 * g.padH() && g.dilationW() * (kw - 1) == 2 * g.padW();
    }

    /**
     * Both gradients of a {@link #supportsSharedBackward "same"} convolution from one padded copy of
     * dOut per chunk: {@code dx [N, C, H, W]} (or null when {@code flipped} is null) and {@code dW [O, C, kh, kw]}
     * (or null unless {@code needWeight}). {@code flipped [C, O·kh·kw]} is the weight with its taps
     * reversed and its channels swapped, so dx is the correlation of the padded dOut with it, row
     * for row the product {@link #forward} runs; the weight gradient reads the same padded dOut from
     * (pad rows, pad columns) on, which is dOut at the forward's padded row width, zero in the
     * thrown-away columns. Separately, each gradient padded dOut again (three spreads per
     * convolution instead of two) and read it back cold.
     */
    static float[][] backward(float[] gd, float[] x, int n, int c, int h, int w, int o, int kh, int kw, Conv2dOp.Geometry g,
                              float[] flipped, boolean needWeight) {
        Layout l = layout(n, Math.max(c, o), h, w, kh, kw, g);
        int kx = c * l.taps, kg = o * l.taps;
        int shift = l.padH * l.wp + l.padW;                                   // dOut's first value in its padded chunk
        float[] dx = flipped == null ? null : new float[n * c * h * w];
        float[] dw = needWeight ? new float[o * kx] : null;
        int[] fullRowsX = rowTable(c, l.stride(l.perChunk), l), fullRowsG = rowTable(o, l.stride(l.perChunk), l);
        Parallel.forRange(l.chunks(), 1, (from, to) -> {
            float[] part = needWeight ? new float[o * kx] : null;
            for (int q = from; q < to; q++) {
                int first = q * l.perChunk, imgs = Math.min(l.perChunk, n - first), stride = l.stride(imgs), cols = l.columns(imgs);
                boolean full = imgs == l.perChunk;
                // dOut padded as an input of this layout; the weight gradient reads its rows from
                // shift up to shift + cols ≤ shift + stride: past the last row that is the zero slack
                float[] gp = buffer(1, o * stride + shift + COLUMN_MULTIPLE);
                spread(gd, first, imgs, o, h, w, l.padH, l.padW, l, stride, gp);
                java.util.Arrays.fill(gp, o * stride + COLUMN_MULTIPLE, o * stride + shift + COLUMN_MULTIPLE, 0f);
                if (dx != null) {
                    float[] acc = buffer(2, c * stride);
                    GemmRowTable.multiply(c, cols, kg, flipped, 0, kg, gp, 0, full ? fullRowsG : rowTable(o, stride, l), acc, 0, stride, false);
                    for (int ic = 0; ic < c; ic++)
                        for (int img = 0; img < imgs; img++) {
                            int src = ic * stride + img * l.plane(), dst = ((first + img) * c + ic) * h * w;
                            for (int r = 0; r < h; r++) System.arraycopy(acc, src + r * l.wp, dx, dst + r * w, w);
                        }
                }
                if (needWeight) {
                    float[] p = padChunk(x, first, imgs, c, h, w, l);
                    // dW [O, (C, tap)] += dOut [O, cols] · shifted x [(C, tap), cols]ᵀ
                    GemmRowTable.multiplyTransposed(o, kx, cols, gp, shift, stride, p, 0, full ? fullRowsX : rowTable(c, stride, l),
                            part, 0, kx, true);
                }
            }
            if (needWeight) {
                synchronized (dw) {
                    for (int i = 0; i < dw.length; i++) dw[i] += part[i];
                }
            }
        });
        return new float[][]{dx, dw};
    }

    /** B row (ch, tap) of a chunk with channel rows {@code stride} apart: channel ch shifted by the tap. */
    private static int[] rowTable(int c, int stride, Layout l) {
        int[] rows = new int[c * l.taps];
        for (int ch = 0; ch < c; ch++)
            for (int t = 0; t < l.taps; t++) rows[ch * l.taps + t] = ch * stride + l.tapOffset[t];
        return rows;
    }
}
