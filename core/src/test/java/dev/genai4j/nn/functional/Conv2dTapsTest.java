package dev.genai4j.nn.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genai4j.tensor.FloatStorage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-tap convolution against the definition, on sizes that hit chunking, row splits and column slack. */
class Conv2dTapsTest {

    /** n, c, h, w, o, kh, kw, padH, padW, dilH, dilW */
    private static final int[][] CASES = {
            {2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1},      // "same" 3×3
            {3, 2, 6, 9, 5, 3, 2, 0, 1, 1, 1},      // no padding on H, 3×2 kernel
            {2, 4, 11, 7, 3, 3, 3, 2, 1, 2, 1},     // dilation 2 on H
            {1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1},      // 1×1 image, 2×2 kernel, one output channel (M = 1)
            {2, 3, 5, 6, 2, 3, 3, 0, 0, 1, 1},      // no padding at all
            {4, 5, 3, 3, 70, 3, 3, 1, 1, 1, 1},     // 70 outputs: GEMM rows in 32 + 32 + 6
            {3, 70, 30, 30, 2, 3, 3, 1, 1, 1, 1},   // 70 × 32² floats per image: one image per chunk
            {17, 6, 4, 4, 7, 2, 2, 1, 0, 1, 1},     // many images per chunk, even kernel
            {1, 2, 3, 3, 3, 5, 5, 2, 2, 1, 1},      // kernel as large as the padded input
            {2, 3, 4, 1, 2, 3, 3, 1, 1, 1, 1},      // one-pixel-wide rows: every horizontal shift wraps
            {2, 2, 5, 6, 3, 3, 3, 1, 2, 1, 2},      // dilation 2 on W, "same" padding
            {2, 2, 4, 5, 3, 1, 3, 0, 2, 1, 1},      // 1×3 kernel with padding 2: output wider than the input
            // enough channels per column for the masked copies (the cases above with few channels keep
            // padW zero columns per row instead): "same" 3×3, dilation 2 on W, and an output wider than the input
            {2, 24, 6, 5, 20, 3, 3, 1, 1, 1, 1},
            {2, 12, 5, 6, 10, 3, 3, 1, 2, 1, 2},
            {3, 20, 4, 5, 20, 1, 3, 0, 2, 1, 1},
            {2, 4, 4, 1, 4, 3, 3, 1, 1, 1, 1},      // one-pixel-wide rows, masked: every shifted copy is all zeros
    };

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])), what + " element " + i);
    }

    @Test
    void forwardAndWeightGradientMatchTheDefinition() {
        Random r = new Random(11);
        int shared = 0;
        for (int[] k : CASES) {
            int n = k[0], c = k[1], h = k[2], w = k[3], o = k[4], kh = k[5], kw = k[6];
            Conv2dOp.Geometry g = new Conv2dOp.Geometry(1, 1, k[7], k[8], k[9], k[10], 1);
            int ho = h + 2 * g.padH() - g.dilationH() * (kh - 1), wo = w + 2 * g.padW() - g.dilationW() * (kw - 1);
            String what = java.util.Arrays.toString(k);
            float[] x = gaussian(r, n * c * h * w), wt = gaussian(r, o * c * kh * kw), gy = gaussian(r, n * o * ho * wo);
            double[] y = new double[n * o * ho * wo], dw = new double[o * c * kh * kw], dx = new double[n * c * h * w];
            for (int img = 0; img < n; img++)
                for (int oc = 0; oc < o; oc++)
                    for (int oh = 0; oh < ho; oh++)
                        for (int ow = 0; ow < wo; ow++) {
                            int yi = ((img * o + oc) * ho + oh) * wo + ow;
                            for (int ic = 0; ic < c; ic++)
                                for (int i = 0; i < kh; i++)
                                    for (int j = 0; j < kw; j++) {
                                        int ih = oh - g.padH() + i * g.dilationH(), iw = ow - g.padW() + j * g.dilationW();
                                        if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                        int xi = ((img * c + ic) * h + ih) * w + iw;
                                        double xv = x[xi];
                                        int wi = ((oc * c + ic) * kh + i) * kw + j;
                                        y[yi] += xv * wt[wi];
                                        dw[wi] += xv * gy[yi];
                                        dx[xi] += (double) wt[wi] * gy[yi];
                                    }
                        }
            // the weight at an offset inside a larger storage, as a view of a checkpoint would be
            float[] shifted = new float[wt.length + 5];
            System.arraycopy(wt, 0, shifted, 5, wt.length);
            assertClose("forward " + what, y, Conv2dTaps.forward(x, n, c, h, w, new FloatStorage(shifted), 5, o, kh, kw, g, null));
            float[] bias = gaussian(r, o);
            double[] yb = y.clone();
            for (int i = 0; i < yb.length; i++) yb[i] += bias[i / (ho * wo) % o];
            assertClose("forward with bias " + what, yb, Conv2dTaps.forward(x, n, c, h, w, new FloatStorage(shifted), 5, o, kh, kw, g, bias));
            assertClose("weight grad " + what, dw, Conv2dTaps.weightGrad(gy, x, n, c, h, w, o, kh, kw, g));
            if (Conv2dTaps.supportsSharedBackward(g, kh, kw)) {
                // both gradients from one padded dOut; flipped [C, O, kh, kw] = weight with taps reversed
                float[] flipped = new float[c * o * kh * kw];
                for (int oc = 0; oc < o; oc++)
                    for (int ic = 0; ic < c; ic++)
                        for (int t = 0; t < kh * kw; t++) flipped[(ic * o + oc) * kh * kw + kh * kw - 1 - t] = wt[(oc * c + ic) * kh * kw + t];
                float[][] both = Conv2dTaps.backward(gy, x, n, c, h, w, o, kh, kw, g, flipped, true);
                assertClose("shared backward, input grad " + what, dx, both[0]);
                assertClose("shared backward, weight grad " + what, dw, both[1]);
                float[][] onlyWeight = Conv2dTaps.backward(gy, x, n, c, h, w, o, kh, kw, g, null, true);
                assertTrue(onlyWeight[0] == null, "no input grad asked " + what);
                assertClose("shared backward, weight grad alone " + what, dw, onlyWeight[1]);
                float[][] onlyInput = Conv2dTaps.backward(gy, x, n, c, h, w, o, kh, kw, g, flipped, false);
                assertTrue(onlyInput[1] == null, "no weight grad asked " + what);
                assertClose("shared backward, input grad alone " + what, dx, onlyInput[0]);
                shared++;
            }
            // the weight as off-heap fp32 (a memory-mapped checkpoint): widened once, same result
            java.lang.foreign.MemorySegment seg = java.lang.foreign.Arena.ofAuto().allocate(4L * wt.length);
            for (int i = 0; i < wt.length; i++) seg.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, wt[i]);
            assertClose("forward, mapped weight " + what, y, Conv2dTaps.forward(x, n, c, h, w,
                    new dev.genai4j.tensor.SegmentStorage(seg, dev.genai4j.tensor.DType.F32, false), 0, o, kh, kw, g, null));
        }
        assertEquals(10, shared, "cases with \"same\" padding that ran the shared backward");
    }

    @Test
    void takesOnlyStrideOneSingleGroupConvolutionsWithinTheKernelsReach() {
        assertTrue(Conv2dTaps.supports(new Conv2dOp.Geometry(1, 1, 2, 0, 2, 1, 1), 2, 3));
        assertTrue(Conv2dTaps.supports(new Conv2dOp.Geometry(1, 1, 1, 1, 1, 1, 1), 3, 3));
        assertFalse(Conv2dTaps.supports(new Conv2dOp.Geometry(1, 1, 3, 0, 2, 1, 1), 2, 3));   // padH 3 > 2·(2 − 1)
        assertFalse(Conv2dTaps.supports(new Conv2dOp.Geometry(1, 1, 1, 1, 1, 1, 1), 1, 1));   // 1×1 with padding
        assertFalse(Conv2dTaps.supports(new Conv2dOp.Geometry(2, 1, 1, 1, 1, 1, 1), 3, 3));
        assertFalse(Conv2dTaps.supports(new Conv2dOp.Geometry(1, 2, 1, 1, 1, 1, 1), 3, 3));
        assertFalse(Conv2dTaps.supports(new Conv2dOp.Geometry(1, 1, 1, 1, 1, 1, 2), 3, 3));
        // the shared backward: "same" padding only
        assertTrue(Conv2dTaps.supportsSharedBackward(new Conv2dOp.Geometry(1, 1, 1, 1, 1, 1, 1), 3, 3));
        assertTrue(Conv2dTaps.supportsSharedBackward(new Conv2dOp.Geometry(1, 1, 2, 1, 2, 1, 1), 3, 3));
        assertFalse(Conv2dTaps.supportsSharedBackward(new Conv2dOp.Geometry(1, 1, 0, 0, 1, 1, 1), 3, 3));
        assertFalse(Conv2dTaps.supportsSharedBackward(new Conv2dOp.Geometry(1, 1, 1, 0, 1, 1, 1), 3, 2));
    }

    @Test
    void chunksShareTheImagesOutEvenlyBetweenThreads() {
        assertEquals(8, Conv2dTaps.balancedChunk(16, 12, 2), "16 images, 12 fit: 8 + 8, not 12 + 4");
        assertEquals(8, Conv2dTaps.balancedChunk(32, 12, 2), "32 images: four chunks of 8");
        assertEquals(2, Conv2dTaps.balancedChunk(32, 3, 2), "3 fit: 16 chunks of 2 rather than 11 of 3");
        assertEquals(8, Conv2dTaps.balancedChunk(16, 12, 1), "one thread: equal chunks, 8 + 8");
        assertEquals(12, Conv2dTaps.balancedChunk(24, 12, 1), "one thread, 24 images: 12 + 12");
        assertEquals(11, Conv2dTaps.balancedChunk(32, 12, 1), "one thread, 32 images: 11 + 11 + 10");
        assertEquals(12, Conv2dTaps.balancedChunk(12, 12, 1), "one thread, all fit: one chunk");
        assertEquals(1, Conv2dTaps.balancedChunk(5, 1, 2));
        assertEquals(2, Conv2dTaps.balancedChunk(4, 4, 2), "4 images that fit one chunk: 2 + 2");
    }
}
