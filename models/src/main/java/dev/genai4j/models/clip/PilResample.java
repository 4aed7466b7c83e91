package dev.genai4j.models.clip;

import dev.genai4j.tensor.TensorException;

/**
 * PIL's {@code Image.resize} on 8-bit RGB, bit for bit (Pillow {@code src/libImaging/Resample.c},
 * unchanged in this part from 9.4 to 11): a separable convolution, horizontal pass over the rows
 * the vertical pass needs, then vertical; per output pixel the filter weights are computed in
 * double, normalized to sum 1, turned into 22-bit fixed point (round half away from zero), summed
 * in 32-bit ints with a rounding bias of 2²¹ and clipped to 0…255 after each pass. A pass whose
 * size does not change is skipped, as PIL does.
 *
 * <pre>{@code
 * RgbImage small = PilResample.resize(img, 336, 224, PilResample.Filter.BICUBIC);
 * }</pre>
 */
public final class PilResample {
    private PilResample() {}

    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** PIL's filters with its {@code resample} ids (NEAREST, id 0, is a different code path and absent here). */
    public enum Filter {
        LANCZOS(1, 3.0), BILINEAR(2, 1.0), BICUBIC(3, 2.0), BOX(4, 0.5), HAMMING(5, 1.0);

        final int pilId;
        final double support;

        Filter(int pilId, double support) {
            this.pilId = pilId;
            this.support = support;
        }

        /** The filter for a {@code resample} value of a preprocessor config (PIL's enum ids). */
        public static Filter fromPil(int id) {
            for (Filter f : values()) if (f.pilId == id) return f;
            throw new TensorException("PilResample: resample " + id + " is not supported; use 1 (LANCZOS), 2 (BILINEAR), 3 (BICUBIC), 4 (BOX) or 5 (HAMMING)");
        }

        double weight(double x) {
            switch (this) {
                case BICUBIC -> {
                    // Keys' cubic convolution with a = −0.5, written as Resample.c does so that the
                    // doubles round identically: (a+2)·x − (a+3) = 1.5x − 2.5
                    if (x < 0.0) x = -x;
                    if (x < 1.0) return ((1.5 * x - 2.5) * x) * x + 1;
                    if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * -0.5;
                    return 0.0;
                }
                case BILINEAR -> {
                    if (x < 0.0) x = -x;
                    return x < 1.0 ? 1.0 - x : 0.0;
                }
                case BOX -> {
                    return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
                }
                case HAMMING -> {
                    if (x < 0.0) x = -x;
                    if (x == 0.0) return 1.0;
                    if (x >= 1.0) return 0.0;
                    x = x * Math.PI;
                    return Math.sin(x) / x * (0.54f + 0.46f * Math.cos(x));
                }
                default -> {   // LANCZOS: sinc(x)·sinc(x/3) on [−3, 3)
                    return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
                }
            }
        }

        private static double sinc(double x) {
            if (x == 0.0) return 1.0;
            x = x * Math.PI;
            return Math.sin(x) / x;
        }
    }

    /** Per output position: first input index, count, and {@code ksize} fixed-point weights. */
    record Coefficients(int ksize, int[] bounds, int[] weights) {}

    /** Resample.c {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for the box [in0, in1) of an axis of {@code inSize}. */
    static Coefficients coefficients(int inSize, float in0, float in1, int outSize, Filter filter) {
        double scale = (double) (in1 - in0) / outSize;
        double filterscale = scale < 1.0 ? 1.0 : scale;
        double support = filter.support * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        double[] kk = new double[outSize * ksize];
        int[] bounds = new int[outSize * 2];
        double ss = 1.0 / filterscale;
        for (int xx = 0; xx < outSize; xx++) {
            double center = in0 + (xx + 0.5) * scale;
            double ww = 0.0;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            int k = xx * ksize;
            for (int x = 0; x < xmax; x++) {
                double w = filter.weight((x + xmin - center + 0.5) * ss);
                kk[k + x] = w;
                ww += w;
            }
            if (ww != 0.0) for (int x = 0; x < xmax; x++) kk[k + x] /= ww;
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        int[] fixed = new int[kk.length];
        for (int i = 0; i < kk.length; i++) {
            fixed[i] = kk[i] < 0 ? (int) (-0.5 + kk[i] * (1 << PRECISION_BITS)) : (int) (0.5 + kk[i] * (1 << PRECISION_BITS));
        }
        return new Coefficients(ksize, bounds, fixed);
    }

    /** {@code Image.resize((outW, outH), filter)} of an RGB image, box = the whole image, {@code reducing_gap=None}. */
    public static RgbImage resize(RgbImage in, int outW, int outH, Filter filter) {
        if (outW <= 0 || outH <= 0) throw new TensorException("PilResample.resize: target size must be positive, got " + outW + " x " + outH);
        int inW = in.width(), inH = in.height();
        if (outW == inW && outH == inH) return new RgbImage(inW, inH, in.rgb().clone());   // PIL returns a copy
        boolean horizontal = outW != inW, vertical = outH != inH;
        Coefficients ch = coefficients(inW, 0f, inW, outW, filter);
        Coefficients cv = coefficients(inH, 0f, inH, outH, filter);
        byte[] src = in.rgb();
        int rowFirst = 0, rows = inH;
        int[] vBounds = cv.bounds().clone();
        if (horizontal) {
            // only the source rows the vertical pass reads
            rowFirst = cv.bounds()[0];
            int rowLast = cv.bounds()[outH * 2 - 2] + cv.bounds()[outH * 2 - 1];
            rows = rowLast - rowFirst;
            for (int i = 0; i < outH; i++) vBounds[i * 2] -= rowFirst;
            src = horizontalPass(src, inW, rowFirst, rows, outW, ch);
        }
        int width = horizontal ? outW : inW;
        if (!vertical) return new RgbImage(width, rows, src);
        return new RgbImage(width, outH, verticalPass(src, width, outH, new Coefficients(cv.ksize(), vBounds, cv.weights())));
    }

    private static byte[] horizontalPass(byte[] src, int inW, int rowFirst, int rows, int outW, Coefficients c) {
        byte[] out = new byte[rows * outW * 3];
        int ksize = c.ksize();
        int[] bounds = c.bounds(), k = c.weights();
        for (int y = 0; y < rows; y++) {
            int inRow = (y + rowFirst) * inW * 3, outRow = y * outW * 3;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = bounds[xx * 2], xmax = bounds[xx * 2 + 1], kb = xx * ksize;
                int s0 = 1 << (PRECISION_BITS - 1), s1 = s0, s2 = s0;
                for (int x = 0; x < xmax; x++) {
                    int p = inRow + (x + xmin) * 3, w = k[kb + x];
                    s0 += (src[p] & 0xFF) * w;
                    s1 += (src[p + 1] & 0xFF) * w;
                    s2 += (src[p + 2] & 0xFF) * w;
                }
                out[outRow + xx * 3] = clip8(s0);
                out[outRow + xx * 3 + 1] = clip8(s1);
                out[outRow + xx * 3 + 2] = clip8(s2);
            }
        }
        return out;
    }

    private static byte[] verticalPass(byte[] src, int width, int outH, Coefficients c) {
        byte[] out = new byte[outH * width * 3];
        int ksize = c.ksize();
        int[] bounds = c.bounds(), k = c.weights();
        int stride = width * 3;
        for (int yy = 0; yy < outH; yy++) {
            int ymin = bounds[yy * 2], ymax = bounds[yy * 2 + 1], kb = yy * ksize;
            for (int i = 0; i < stride; i++) {
                int s = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < ymax; y++) s += (src[(y + ymin) * stride + i] & 0xFF) * k[kb + y];
                out[yy * stride + i] = clip8(s);
            }
        }
        return out;
    }

    /** Resample.c {@code clip8}: the 22-bit fixed-point sum to 0…255 (arithmetic shift, then clamp). */
    static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
