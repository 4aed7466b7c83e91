package dev.genai4j.nn.functional;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Storage;
import dev.genai4j.tensor.kernels.GemmRowTable;
import dev.genai4j.tensor.kernels.VectorMath;

/**
 * Stride-1, one-group convolution without im2col. The input is laid out with zero rows between
 * images ([C][image][Hp = H + padH][pitch P ≥ W]) and the output kept on the same grid (the
 * padding rows' and columns' outputs are computed and thrown away), so tap (i, j) of channel c
 * reads the input shifted by i·dil·P + δ, δ = j·dil − padW: a plain row of a matrix, and the forward is one GEMM
 * whose B rows are those shifted rows ({@link GemmRowTable}, K = C·kh·kw). Several images are laid
 * side by side in one row so that small feature maps still make long GEMM rows.
 *
 * <p>A shift by δ ≠ 0 wraps from one row's end into the next row's start. Those wrapped reads are
 * exactly the ones that should see zero padding, and no valid output reads those columns through
 * any other tap with the same δ, so each δ ≠ 0 can read its own copy of the chunk with the wrapped
 * columns zeroed (in a "same" conv, δ &lt; 0: the last −δ of every row; δ &gt; 0: the first δ): a 3×3 one
 * then reads three copies, and an 8×8 map computes 72 outputs per 64 instead of 81. Where copying
 * costs more than those columns ({@link #COPY_COST_IN_FMAS}: few channels, wide rows) each row
 * keeps padW zero columns instead (pitch W + padW), which no shift wraps past, and there is one block.
 *
 * <p>Why no im2col: it writes kh·kw copies of the input and the GEMM reads them back; at the
 * diffusion UNet's 32×32×16 and 8×8×64 layers that copy cost as much as the multiply itself. The
 * weight gradient is the same table the other way round: {@code dW [O, (C, tap)] += dOut [O, ·] ·
 * shifted input rows [(C, tap), ·]ᵀ}, with dOut zero in the thrown-away columns (so those columns
 * add 0·x; a non-finite activation there would turn that 0 into NaN, as it would the loss).
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
     * A chunk layout: each image is H data rows after padH zero rows (hp = H + padH rows of pitch
     * {@code w}: the data in columns [0, W), zeros after), an image's top padding being the previous
     * image's bottom padding. A chunk of {@code ch} channels is {@link #copies} blocks of ch rows
     * {@code stride} apart, after {@code lead} zeros (the furthest a negative δ reads back); block 0
     * holds the data, block k ≥ 1 the same with data columns [maskFrom[k], maskTo[k]) zeroed, and
     * tap t reads block tapBlock[t] at tapOffset[t]. Output (img, r, c) sits at column img·plane +
     * r·w + c of a row.
     */
    private record Layout(int n, int hp, int w, int padH, int ho, int wo, int taps, int[] tapOffset, int[] tapBlock,
                          int[] maskFrom, int[] maskTo, int lead, int tail, int perChunk) {
        int plane() { return hp * w; }

        int copies() { return maskFrom.length; }

        /**
         * GEMM columns of a chunk of {@code imgs} images: up to the last valid output of the last
         * image, rounded up to {@link #COLUMN_MULTIPLE} (the arrays carry zero slack past it).
         */
        int columns(int imgs) {
            return roundUp((imgs - 1) * plane() + (ho - 1) * w + wo);
        }

        private static int roundUp(int x) { return (x + COLUMN_MULTIPLE - 1) / COLUMN_MULTIPLE * COLUMN_MULTIPLE; }

        int chunks() { return (n + perChunk - 1) / perChunk; }

        /**
         * Floats per channel row of a chunk: its images, then the last image's bottom padding (padH
         * rows, and {@code lead} ≥ the largest |δ| more: the furthest a valid output reads), rounded
         * up, so that the rounded-up GEMM columns of one row never reach past the next row's leading
         * zero rows.
         */
        int stride(int imgs) { return roundUp(imgs * plane() + padH * w + lead); }

        /** Floats of a chunk buffer of {@code ch} channels: lead, the blocks, and the slack thrown-away columns read. */
        int size(int ch, int imgs) { return lead + copies() * ch * stride(imgs) + tail; }
    }

    /**
     * What a masked copy costs per float, in multiply-adds: it pays for itself when the zero columns
     * it saves (padW per W) outweigh one copy per δ for every min(C, O)·kh·kw multiply-adds per
     * column. Measured on the diffusion UNet's 3×3 layers at batch 16: 8×8 × 64 channels, forward
     * −6 % and backward −5 % with copies; 16×16 × 32 from 0 to +2 %; 32×32 × 16 +6 %. Nine puts the
     * line between 8×8 × 64 and 16×16 × 32; below it each row keeps padW zero columns instead.
     */
    private static final int COPY_COST_IN_FMAS = 9;

    private static Layout layout(int n, int channels, int minChannels, int h, int w, int kh, int kw, Conv2dOp.Geometry g) {
        int hp = h + g.padH();
        int ho = h + 2 * g.padH() - g.dilationH() * (kh - 1), wo = w + 2 * g.padW() - g.dilationW() * (kw - 1);
        int shifts = 0;
        for (int j = 0; j < kw; j++) if (j * g.dilationW() != g.padW()) shifts++;
        boolean masked = (long) minChannels * kh * kw * g.padW() > (long) COPY_COST_IN_FMAS * shifts * w;
        // data in columns [0, w), zeros after; with padW zero columns per row no shift wraps onto data
        int pitch = masked ? Math.max(w, wo) : w + g.padW();
        // the data columns a shift by δ wraps onto: δ < 0 reads the previous row's end, δ > 0 the next row's start
        int[] from = new int[kw], to = new int[kw], block = new int[kh * kw], off = new int[kh * kw];
        int copies = 1, reach = 0;
        for (int j = 0; j < kw; j++) {
            int delta = j * g.dilationW() - g.padW();
            reach = Math.max(reach, Math.abs(delta));
            int z0 = delta < 0 ? Math.max(0, pitch + delta) : 0, z1 = delta < 0 ? w : Math.min(w, wo + delta - pitch);
            int b = 0;
            if (delta != 0 && z0 < z1) {
                for (int k = 1; k < copies && b == 0; k++) if (from[k] == z0 && to[k] == z1) b = k;
                if (b == 0) {
                    b = copies++;
                    from[b] = z0;
                    to[b] = z1;
                }
            }
            for (int i = 0; i < kh; i++) {
                block[i * kw + j] = b;
                off[i * kw + j] = i * g.dilationH() * pitch + delta;
            }
        }
        int lead = Layout.roundUp(Math.max(1, reach));
        int tail = (kh * g.dilationH() + 1) * pitch + 2 * lead + 2 * COLUMN_MULTIPLE;
        int fit = Math.max(1, Math.min(n, CHUNK_FLOATS / Math.max(1, channels * hp * pitch)));
        return new Layout(n, hp, pitch, g.padH(), ho, wo, kh * kw, off, block, java.util.Arrays.copyOf(from, copies),
                java.util.Arrays.copyOf(to, copies), lead, tail, balancedChunk(n, fit, Parallel.threads()));
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
     * Writes images first .. first + imgs of src [N, channels, rows, cols] (cols ≤ the pitch) into block 0
     * of dst as [channels][img][hp][pitch] with each image's data at row {@code top}, column 0, and
     * every other float of the lead, block 0 and the tail after it set to zero: dst may be a reused
     * buffer holding anything ({@link #maskedCopies} writes the blocks after it, and the tail after those).
     */
    private static void spread(float[] src, int first, int imgs, int channels, int rows, int cols, int top,
                               Layout l, int stride, float[] dst) {
        int w = l.w, plane = l.plane();
        java.util.Arrays.fill(dst, 0, l.lead, 0f);
        for (int ch = 0; ch < channels; ch++) {
            int d = l.lead + ch * stride;
            for (int img = 0; img < imgs; img++) {
                int base = d + img * plane, s = ((first + img) * channels + ch) * rows * cols;
                java.util.Arrays.fill(dst, base, base + top * w, 0f);
                if (cols == w) {
                    System.arraycopy(src, s, dst, base + top * w, rows * w);
                } else {
                    for (int r = 0, at = base + top * w; r < rows; r++, at += w, s += cols) {
                        System.arraycopy(src, s, dst, at, cols);
                        java.util.Arrays.fill(dst, at + cols, at + w, 0f);
                    }
                }
                java.util.Arrays.fill(dst, base + (top + rows) * w, base + plane, 0f);
            }
            java.util.Arrays.fill(dst, d + imgs * plane, d + stride, 0f);
        }
        int end = l.lead + channels * stride;
        java.util.Arrays.fill(dst, end, end + l.tail, 0f);
    }

    /**
     * Blocks 1.. of a chunk spread into block 0 (data rows top .. top + rows of each image): block k
     * is block 0 with the columns its shifts wrap onto zeroed, and the tail is zeroed.
     */
    private static void maskedCopies(float[] buf, int imgs, int channels, int top, int rows, Layout l, int stride) {
        int w = l.w, plane = l.plane(), blockSize = channels * stride;
        for (int k = 1; k < l.copies(); k++) {
            int at = l.lead + k * blockSize, z0 = l.maskFrom[k], z1 = l.maskTo[k];
            System.arraycopy(buf, l.lead, buf, at, blockSize);
            for (int ch = 0; ch < channels; ch++)
                for (int img = 0; img < imgs; img++) {
                    int row0 = at + ch * stride + img * plane + top * w;
                    for (int r = 0; r < rows; r++) java.util.Arrays.fill(buf, row0 + r * w + z0, row0 + r * w + z1, 0f);
                }
        }
        if (l.copies() > 1) {
            int end = l.lead + l.copies() * blockSize;
            java.util.Arrays.fill(buf, end, end + l.tail, 0f);
        }
    }

    /** x [N, C, H, W] → the chunk buffer of images first .. first + imgs (data at row padH), with its masked copies. */
    private static float[] padChunk(float[] x, int first, int imgs, int c, int h, int w, Layout l, int which) {
        int stride = l.stride(imgs);
        float[] p = buffer(which, l.size(c, imgs));
        spread(x, first, imgs, c, h, w, l.padH, l, stride, p);
        maskedCopies(p, imgs, c, l.padH, h, l, stride);
        return p;
    }

    /**
     * out [N, O, Ho, Wo] = x [N, C, H, W] ⋆ weight [O, C, kh, kw] + bias [O] (or none when null),
     * stride 1, one group; the weight is read from any storage at {@code wOff}.
     */
    static float[] forward(float[] x, int n, int c, int h, int w, Storage ws, long wOff, int o, int kh, int kw, Conv2dOp.Geometry g,
                           float[] bias) {
        Layout l = layout(n, Math.max(c, o), Math.min(c, o), h, w, kh, kw, g);
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
                float[] p = padChunk(x, first, imgs, c, h, w, l, 0);
                int[] rows = imgs == l.perChunk ? fullRows : rowTable(c, stride, l);
                float[] acc = buffer(2, o * stride);   // [O][img][Hp·P], valid at [oh·P + ow]; the GEMM writes every read column
                GemmRowTable.multiply(o, cols, k, wd, wo0, k, p, 0, rows, acc, 0, stride, false);
                copyOut(acc, stride, first, imgs, o, l, out);
                if (bias != null) {
                    // the bias over the whole contiguous plane in vector lanes (x·1 + b rounds as x + b):
                    // per row it ran scalar at 8- and 16-wide rows, 6 % of the convolution's time
                    for (int img = 0; img < imgs; img++)
                        for (int oc = 0; oc < o; oc++) {
                            int dst = ((first + img) * o + oc) * l.ho * l.wo;
                            VectorMath.affine(out, dst, 1f, bias[oc], out, dst, l.ho * l.wo);
                        }
                }
            }
        });
        return out;
    }

    /** dW [O, C, kh, kw] = Σ over images of dOut [N, O, Ho, Wo] against x [N, C, H, W] (stride 1, one group). */
    static float[] weightGrad(float[] gd, float[] x, int n, int c, int h, int w, int o, int kh, int kw, Conv2dOp.Geometry g) {
        Layout l = layout(n, Math.max(c, o), Math.min(c, o), h, w, kh, kw, g);
        int k = c * l.taps;
        float[] dw = new float[o * k];   // [O, C·kh·kw], summed over the workers' parts
        int[] fullRows = rowTable(c, l.stride(l.perChunk), l);
        Parallel.forRange(l.chunks(), 1, (from, to) -> {
            float[] part = new float[o * k];
            for (int q = from; q < to; q++) {
                int first = q * l.perChunk, imgs = Math.min(l.perChunk, n - first), stride = l.stride(imgs), cols = l.columns(imgs);
                float[] p = padChunk(x, first, imgs, c, h, w, l, 0);
                // dOut on the output grid (row 0 on), 0 in the thrown-away columns: one block, no copies
                float[] gp = buffer(1, l.lead + o * stride + l.tail);
                spread(gd, first, imgs, o, l.ho, l.wo, 0, l, stride, gp);
                // dW [O, (C, tap)] += dOut [O, cols] · shifted x [(C, tap), cols]ᵀ
                int[] rows = imgs == l.perChunk ? fullRows : rowTable(c, stride, l);
                GemmRowTable.multiplyTransposed(o, k, cols, gp, l.lead, stride, p, 0, rows, part, 0, k, true);
            }
            synchronized (dw) {
                for (int i = 0; i < dw.length; i++) dw[i] += part[i];
            }
        });
        return dw;
    }

    /**
     * Whether {@link #backward} applies: a {@link #supports supported} convolution with "same"
     * padding (dil·(k − 1) = 2·pad on both axes), so that dOut laid out for the input gradient's
     * correlation is dOut on the forward's output grid, shifted by padH rows.
     */
    static boolean supportsSharedBackward(Conv2dOp.Geometry g, int kh, int kw) {
        return supports(g, kh, kw) && g.dilationH() * (kh - 1) == 2 * g.padH() && g.dilationW() * (kw - 1) == 2 * g.padW();
    }

    /**
     * Both gradients of a {@link #supportsSharedBackward "same"} convolution from one padded copy of
     * dOut per chunk: {@code dx [N, C, H, W]} (or null when {@code flipped} is null) and {@code dW [O, C, kh, kw]}
     * (or null unless {@code needWeight}). {@code flipped [C, O·kh·kw]} is the weight with its taps
     * reversed and its channels swapped, so dx is the correlation of the padded dOut with it, row
     * for row the product {@link #forward} runs; the weight gradient reads block 0 of the same
     * chunk from padH rows on, which is dOut on the forward's output grid, zero in the thrown-away
     * columns. Separately, each gradient laid dOut out again (three spreads per convolution instead
     * of two) and read it back cold.
     */
    static float[][] backward(float[] gd, float[] x, int n, int c, int h, int w, int o, int kh, int kw, Conv2dOp.Geometry g,
                              float[] flipped, boolean needWeight) {
        Layout l = layout(n, Math.max(c, o), Math.min(c, o), h, w, kh, kw, g);
        int kx = c * l.taps, kg = o * l.taps;
        int shift = l.padH * l.w;                                   // dOut's first value in block 0 of its chunk
        float[] dx = flipped == null ? null : new float[n * c * h * w];
        float[] dw = needWeight ? new float[o * kx] : null;
        int[] fullRowsX = rowTable(c, l.stride(l.perChunk), l), fullRowsG = rowTable(o, l.stride(l.perChunk), l);
        Parallel.forRange(l.chunks(), 1, (from, to) -> {
            float[] part = needWeight ? new float[o * kx] : null;
            for (int q = from; q < to; q++) {
                int first = q * l.perChunk, imgs = Math.min(l.perChunk, n - first), stride = l.stride(imgs), cols = l.columns(imgs);
                boolean full = imgs == l.perChunk;
                // dOut laid out as an input of this layout, with its masked copies; the weight gradient
                // reads block 0 from the shift on (≤ shift + stride per row: the next row's zero rows)
                float[] gp = padChunk(gd, first, imgs, o, h, w, l, 1);
                if (dx != null) {
                    float[] acc = buffer(2, c * stride);
                    GemmRowTable.multiply(c, cols, kg, flipped, 0, kg, gp, 0, full ? fullRowsG : rowTable(o, stride, l), acc, 0, stride, false);
                    copyOut(acc, stride, first, imgs, c, l, dx);
                }
                if (needWeight) {
                    float[] p = padChunk(x, first, imgs, c, h, w, l, 0);
                    // dW [O, (C, tap)] += dOut [O, cols] · shifted x [(C, tap), cols]ᵀ
                    GemmRowTable.multiplyTransposed(o, kx, cols, gp, l.lead + shift, stride, p, 0, full ? fullRowsX : rowTable(c, stride, l),
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

    /** B row (ch, tap) of a chunk of {@code channels} rows {@code stride} apart: channel ch of the tap's block, shifted by the tap. */
    private static int[] rowTable(int channels, int stride, Layout l) {
        int[] rows = new int[channels * l.taps];
        for (int ch = 0; ch < channels; ch++)
            for (int t = 0; t < l.taps; t++) rows[ch * l.taps + t] = l.lead + (l.tapBlock[t] * channels + ch) * stride + l.tapOffset[t];
        return rows;
    }

    /** The valid outputs of a chunk's GEMM result acc [rows][stride] into out [N, rows, Ho, Wo]: whole planes when Wo = W. */
    private static void copyOut(float[] acc, int stride, int first, int imgs, int channels, Layout l, float[] out) {
        int howo = l.ho * l.wo;
        for (int ch = 0; ch < channels; ch++)
            for (int img = 0; img < imgs; img++) {
                int src = ch * stride + img * l.plane(), dst = ((first + img) * channels + ch) * howo;
                if (l.wo == l.w) {
                    System.arraycopy(acc, src, out, dst, howo);
                } else {
                    for (int r = 0; r < l.ho; r++) System.arraycopy(acc, src + r * l.w, out, dst + r * l.wo, l.wo);
                }
            }
    }
}
