package dev.genai4j.nn.functional;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Storage;
import dev.genai4j.tensor.kernels.Gemm;
import dev.genai4j.tensor.kernels.GemmRowTable;

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
 * gradient is the same trick the other way round, one GEMM per tap: {@code dW_ij [O, C] += dOut
 * [O, ·] · shifted input [C, ·]ᵀ}, with dOut zero in the thrown-away columns (so those columns add
 * 0·x; a non-finite activation there would turn that 0 into NaN, as it would the loss).
 *
 * <pre>{@code
 * // x [2, 3, 5, 5], w [4, 3, 3, 3], padding 1: y [2, 4, 5, 5]
 * float[] y = Conv2dTaps.forward(x, 2, 3, 5, 5, new FloatStorage(w), 0, 4, 3, 3, Conv2dOp.Geometry.of(1, 1));
 * }</pre>
 */
final class Conv2dTaps {
    private Conv2dTaps() {}

    /** Padded floats per channel row a chunk of images aims at: input and output blocks stay in L2. */
    private static final int CHUNK_FLOATS = 1 << 16;
    /** Rows of A per GEMM call: the few-rows GEMM reads B in place up to 32 rows (GemmSmallM). */
    private static final int ROWS = 32;
    /**
     * GEMM columns are rounded up to a multiple of this (two AVX-512 vectors): the few-rows GEMM
     * runs a column tail narrower than its tile one scalar at a time, which made an 8×8×128 layer
     * (478 columns, 30 of them in the tail) twice as slow. The extra columns read zero slack and
     * are thrown away with the others.
     */
    private static final int COLUMN_MULTIPLE = 32;

    /** Whether this path computes the convolution: stride 1 and a single group. */
    static boolean supports(Conv2dOp.Geometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.groups() == 1;
    }

    /** A chunk layout: images per chunk, padded sizes and the tap offsets. */
    private record Layout(int n, int hp, int wp, int ho, int wo, int taps, int[] tapOffset, int perChunk) {
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
         * Floats per channel row of a chunk: its images side by side, rounded up so that the
         * rounded-up GEMM columns of one row never reach into the next row.
         */
        int stride(int imgs) { return roundUp(imgs * plane()); }
    }

    private static Layout layout(int n, int channels, int h, int w, int kh, int kw, Conv2dOp.Geometry g) {
        int hp = h + 2 * g.padH(), wp = w + 2 * g.padW();
        int ho = hp - g.dilationH() * (kh - 1), wo = wp - g.dilationW() * (kw - 1);
        int[] off = new int[kh * kw];
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++) off[i * kw + j] = i * g.dilationH() * wp + j * g.dilationW();
        int perChunk = Math.max(1, Math.min(n, CHUNK_FLOATS / Math.max(1, channels * hp * wp)));
        return new Layout(n, hp, wp, ho, wo, kh * kw, off, perChunk);
    }

    /** x [N, C, H, W] → the padded chunk [C][img − first][Hp][Wp], zero outside the image. */
    private static float[] padChunk(float[] x, int first, int imgs, int c, int h, int w, int padH, int padW, Layout l) {
        int plane = l.plane(), stride = l.stride(imgs);
        float[] p = new float[c * stride + COLUMN_MULTIPLE];
        for (int ch = 0; ch < c; ch++)
            for (int img = 0; img < imgs; img++) {
                int src = ((first + img) * c + ch) * h * w, dst = ch * stride + img * plane + padH * l.wp + padW;
                for (int r = 0; r < h; r++) System.arraycopy(x, src + r * w, p, dst + r * l.wp, w);
            }
        return p;
    }

    /**
     * out [N, O, Ho, Wo] = x [N, C, H, W] ⋆ weight [O, C, kh, kw] (no bias), stride 1, one group;
     * the weight is read from any storage at {@code wOff}.
     */
    static float[] forward(float[] x, int n, int c, int h, int w, Storage ws, long wOff, int o, int kh, int kw, Conv2dOp.Geometry g) {
        Layout l = layout(n, Math.max(c, o), h, w, kh, kw, g);
        int k = c * l.taps;
        float[] wd = new float[o * k];                                          // [O, C·kh·kw], dense fp32
        for (int i = 0; i < wd.length; i++) wd[i] = ws.get(wOff + i);
        float[] out = new float[n * o * l.ho * l.wo];
        Parallel.forRange(l.chunks(), 1, (from, to) -> {
            for (int q = from; q < to; q++) {
                int first = q * l.perChunk, imgs = Math.min(l.perChunk, n - first), stride = l.stride(imgs), cols = l.columns(imgs);
                float[] p = padChunk(x, first, imgs, c, h, w, g.padH(), g.padW(), l);
                int[] rows = new int[k];                                        // B row (ch, tap): channel ch shifted by the tap
                for (int ch = 0; ch < c; ch++)
                    for (int t = 0; t < l.taps; t++) rows[ch * l.taps + t] = ch * stride + l.tapOffset[t];
                float[] acc = new float[o * stride + COLUMN_MULTIPLE];   // [O][img][Hp·Wp], valid at [oh·Wp + ow]
                GemmRowTable.multiply(o, cols, k, wd, 0, k, p, 0, rows, acc, 0, stride, false);
                for (int oc = 0; oc < o; oc++)
                    for (int img = 0; img < imgs; img++) {
                        int src = oc * stride + img * l.plane(), dst = ((first + img) * o + oc) * l.ho * l.wo;
                        for (int r = 0; r < l.ho; r++) System.arraycopy(acc, src + r * l.wp, out, dst + r * l.wo, l.wo);
                    }
            }
        });
        return out;
    }

    /** dW [O, C, kh, kw] = Σ over images of dOut [N, O, Ho, Wo] against x [N, C, H, W] (stride 1, one group). */
    static float[] weightGrad(float[] gd, float[] x, int n, int c, int h, int w, int o, int kh, int kw, Conv2dOp.Geometry g) {
        Layout l = layout(n, Math.max(c, o), h, w, kh, kw, g);
        float[] dwTaps = new float[l.taps * o * c];   // [tap][O][C], summed over the workers' parts
        Parallel.forRange(l.chunks(), 1, (from, to) -> {
            float[] part = new float[l.taps * o * c];
            for (int q = from; q < to; q++) {
                int first = q * l.perChunk, imgs = Math.min(l.perChunk, n - first), stride = l.stride(imgs), cols = l.columns(imgs);
                FloatStorage p = new FloatStorage(padChunk(x, first, imgs, c, h, w, g.padH(), g.padW(), l));
                float[] gp = new float[o * stride + COLUMN_MULTIPLE];   // dOut at the padded row width, 0 in the thrown-away columns
                for (int oc = 0; oc < o; oc++)
                    for (int img = 0; img < imgs; img++) {
                        int src = ((first + img) * o + oc) * l.ho * l.wo, dst = oc * stride + img * l.plane();
                        for (int r = 0; r < l.ho; r++) System.arraycopy(gd, src + r * l.wo, gp, dst + r * l.wp, l.wo);
                    }
                FloatStorage gs = new FloatStorage(gp);
                for (int t = 0; t < l.taps; t++)
                    for (int m0 = 0; m0 < o; m0 += ROWS) {
                        int rows = Math.min(ROWS, o - m0);
                        // dW_t [rows, C] += dOut [rows, cols] · shifted x [C, cols]ᵀ
                        Gemm.sgemm(rows, c, cols, gs, (long) m0 * stride, stride, 1,
                                p, l.tapOffset[t], 1, stride, part, (t * o + m0) * c, c, true);
                    }
            }
            synchronized (dwTaps) {
                for (int i = 0; i < dwTaps.length; i++) dwTaps[i] += part[i];
            }
        });
        float[] dw = new float[o * c * l.taps];
        for (int t = 0; t < l.taps; t++)
            for (int oc = 0; oc < o; oc++)
                for (int ch = 0; ch < c; ch++) dw[(oc * c + ch) * l.taps + t] = dwTaps[(t * o + oc) * c + ch];
        return dw;
    }
}
