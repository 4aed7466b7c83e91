package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.functional.Conv2dOp;
import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Conv2dTest {

    /** Direct convolution straight from the definition, in double. */
    static float[] naiveConv(Tensor x, Tensor w, Tensor b, Conv2dOp.Geometry g) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(0), cg = w.size(1), kh = w.size(2), kw = w.size(3), og = o / g.groups();
        int ho = (h + 2 * g.padH() - g.dilationH() * (kh - 1) - 1) / g.strideH() + 1;
        int wo = (wd + 2 * g.padW() - g.dilationW() * (kw - 1) - 1) / g.strideW() + 1;
        float[] out = new float[n * o * ho * wo];
        for (int img = 0; img < n; img++)
            for (int oc = 0; oc < o; oc++) {
                int grp = oc / og;
                for (int oh = 0; oh < ho; oh++)
                    for (int ow = 0; ow < wo; ow++) {
                        double s = b == null ? 0 : b.get(oc);
                        for (int ic = 0; ic < cg; ic++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++) {
                                    int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
                                    int iw = ow * g.strideW() - g.padW() + j * g.dilationW();
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    s += (double) x.get(img, grp * cg + ic, ih, iw) * w.get(oc, ic, i, j);
                                }
                        out[((img * o + oc) * ho + oh) * wo + ow] = (float) s;
                    }
            }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1f, Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void matchesDirectConvolutionOverStridePaddingDilationGroups() {
        Rng rng = new Rng(7);
        // n, c, h, w, out, kh, kw, geometry
        Object[][] cases = {
                {2, 3, 7, 5, 4, 3, 3, new Conv2dOp.Geometry(1, 1, 1, 1, 1, 1, 1)},
                {1, 4, 9, 8, 6, 3, 2, new Conv2dOp.Geometry(2, 3, 1, 0, 1, 1, 2)},
                {3, 6, 11, 7, 3, 3, 3, new Conv2dOp.Geometry(1, 2, 2, 1, 2, 1, 3)},
                {2, 4, 5, 5, 4, 1, 1, new Conv2dOp.Geometry(1, 1, 0, 0, 1, 1, 1)},   // pointwise fast path
                {1, 4, 6, 6, 8, 1, 1, new Conv2dOp.Geometry(1, 1, 0, 0, 1, 1, 2)},   // pointwise, grouped
                {2, 5, 6, 9, 5, 3, 3, new Conv2dOp.Geometry(2, 1, 2, 3, 1, 2, 5)},   // depthwise
                {1, 1, 1, 1, 2, 1, 1, new Conv2dOp.Geometry(1, 1, 0, 0, 1, 1, 1)},
                {1, 2, 4, 4, 3, 5, 5, new Conv2dOp.Geometry(3, 3, 2, 2, 1, 1, 1)},
                // UNet shapes on the row-table tiles (8 and 4 output rows, 2-vector, 1-vector and scalar columns):
                {2, 12, 8, 8, 20, 1, 1, new Conv2dOp.Geometry(1, 1, 0, 0, 1, 1, 1)},   // 1×1 shortcut, 64 columns
                {2, 8, 16, 16, 16, 3, 3, new Conv2dOp.Geometry(2, 2, 1, 1, 1, 1, 1)},  // stride-2 downsampler, 64 columns
                {1, 6, 13, 11, 13, 3, 3, new Conv2dOp.Geometry(2, 2, 1, 1, 1, 1, 1)},  // stride 2, 7 × 6 = 42 columns
        };
        for (Object[] k : cases) {
            int n = (int) k[0], c = (int) k[1], h = (int) k[2], w = (int) k[3], o = (int) k[4], kh = (int) k[5], kw = (int) k[6];
            Conv2dOp.Geometry g = (Conv2dOp.Geometry) k[7];
            Tensor x = Tensor.randn(rng, n, c, h, w);
            Tensor wt = Tensor.randn(rng, o, c / g.groups(), kh, kw);
            Tensor b = Tensor.randn(rng, o);
            Tensor y = Conv2dOp.conv2d(x, wt, b, g);
            assertClose(naiveConv(x, wt, b, g), y.toFloatArray(), 1e-4f);
            assertClose(naiveConv(x, wt, null, g), Conv2dOp.conv2d(x, wt, null, g).toFloatArray(), 1e-4f);
        }
    }

    @Test
    void nonContiguousInputAndWeightGiveTheSameResult() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, 2, 3, 6, 5);
        Tensor w = Tensor.randn(rng, 4, 3, 3, 3);
        Conv2dOp.Geometry g = Conv2dOp.Geometry.of(1, 1);
        Tensor xt = x.transpose(2, 3).contiguous().transpose(2, 3);   // same values, strided
        Tensor wt = w.transpose(0, 1).contiguous().transpose(0, 1);
        assertClose(Conv2dOp.conv2d(x, w, null, g).toFloatArray(), Conv2dOp.conv2d(xt, wt, null, g).toFloatArray(), 1e-6f);
    }

    /** dL/dx for upstream gradient gy, straight from the definition (the adjoint of {@link #naiveConv}), in double. */
    static float[] naiveInputGrad(Tensor x, Tensor w, Tensor gy, Conv2dOp.Geometry g) { return naiveGrads(x, w, gy, g)[0]; }

    /** dL/dw for upstream gradient gy, straight from the definition, in double. */
    static float[] naiveWeightGrad(Tensor x, Tensor w, Tensor gy, Conv2dOp.Geometry g) { return naiveGrads(x, w, gy, g)[1]; }

    /** {dL/dx, dL/dw}: every (output, tap) pair adds gy·w to dx and gy·x to dw. */
    private static float[][] naiveGrads(Tensor x, Tensor w, Tensor gy, Conv2dOp.Geometry g) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(0), cg = w.size(1), kh = w.size(2), kw = w.size(3), og = o / g.groups();
        int ho = gy.size(2), wo = gy.size(3);
        double[] dx = new double[n * c * h * wd], dw = new double[o * cg * kh * kw];
        for (int img = 0; img < n; img++)
            for (int oc = 0; oc < o; oc++)
                for (int oh = 0; oh < ho; oh++)
                    for (int ow = 0; ow < wo; ow++)
                        for (int ic = 0; ic < cg; ic++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++) {
                                    int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
                                    int iw = ow * g.strideW() - g.padW() + j * g.dilationW();
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    double gv = gy.get(img, oc, oh, ow);
                                    dx[((img * c + oc / og * cg + ic) * h + ih) * wd + iw] += gv * w.get(oc, ic, i, j);
                                    dw[((oc * cg + ic) * kh + i) * kw + j] += gv * x.get(img, oc / og * cg + ic, ih, iw);
                                }
        float[][] out = {new float[dx.length], new float[dw.length]};
        for (int i = 0; i < dx.length; i++) out[0][i] = (float) dx[i];
        for (int i = 0; i < dw.length; i++) out[1][i] = (float) dw[i];
        return out;
    }

    /**
     * Stride-1 input gradients run as a correlation of dOut with the flipped kernel; strided ones
     * (and padding beyond dil·(k−1)) by col2im. Both against the definition, on odd sizes.
     */
    @Test
    void inputGradientMatchesDefinitionOnBothPaths() {
        Rng rng = new Rng(9);
        // n, c, h, w, out, kh, kw, geometry
        Object[][] cases = {
                {2, 3, 7, 5, 4, 3, 3, new Conv2dOp.Geometry(1, 1, 1, 1, 1, 1, 1)},    // "same" 3×3
                {1, 4, 9, 8, 6, 3, 2, new Conv2dOp.Geometry(1, 1, 0, 1, 1, 1, 2)},    // no padding on H, grouped, 3×2
                {2, 6, 11, 7, 3, 3, 3, new Conv2dOp.Geometry(1, 1, 2, 1, 2, 1, 3)},   // dilation 2 on H
                {1, 5, 6, 9, 5, 3, 3, new Conv2dOp.Geometry(1, 1, 2, 3, 1, 2, 5)},    // depthwise, padding 2 > k−1 on H: col2im
                {1, 2, 5, 4, 3, 1, 1, new Conv2dOp.Geometry(1, 1, 1, 0, 1, 1, 1)},    // 1×1 with padding: col2im
                {2, 3, 8, 8, 4, 3, 3, new Conv2dOp.Geometry(2, 2, 1, 1, 1, 1, 1)},    // stride 2: col2im
                {1, 1, 1, 1, 2, 1, 1, new Conv2dOp.Geometry(1, 1, 0, 0, 1, 1, 1)},
                {1, 2, 3, 3, 3, 5, 5, new Conv2dOp.Geometry(1, 1, 2, 2, 1, 1, 1)},
        };
        for (Object[] k : cases) {
            int n = (int) k[0], c = (int) k[1], h = (int) k[2], w = (int) k[3], o = (int) k[4], kh = (int) k[5], kw = (int) k[6];
            Conv2dOp.Geometry g = (Conv2dOp.Geometry) k[7];
            Tensor x = Tensor.randn(rng, n, c, h, w).requiresGrad(true);
            Tensor wt = Tensor.randn(rng, o, c / g.groups(), kh, kw);
            Tensor y = Conv2dOp.conv2d(x, wt, null, g);
            Tensor gy = Tensor.randn(rng, y.shape());
            y.backward(gy);
            assertClose(naiveInputGrad(x, wt, gy, g), x.grad().toFloatArray(), 1e-4f);
        }
    }

    /**
     * 1×1 and strided convolutions with a UNet's channel counts (the row-table tiles: 8-, 4- and 1-row
     * blocks, 2-vector, 1-vector and scalar columns): both gradients against the definition.
     */
    @Test
    void pointwiseAndStridedGradientsMatchTheDefinitionAtUNetWidths() {
        Rng rng = new Rng(13);
        Object[][] cases = {
                {2, 12, 8, 8, 20, 1, 1, new Conv2dOp.Geometry(1, 1, 0, 0, 1, 1, 1)},   // 1×1 shortcut
                {1, 8, 6, 6, 16, 1, 1, new Conv2dOp.Geometry(1, 1, 0, 0, 1, 1, 2)},    // 1×1, two groups
                {2, 8, 16, 16, 16, 3, 3, new Conv2dOp.Geometry(2, 2, 1, 1, 1, 1, 1)},  // stride-2 downsampler
                {1, 6, 13, 11, 13, 3, 3, new Conv2dOp.Geometry(2, 2, 1, 1, 1, 1, 1)},  // stride 2, 7 × 6 outputs
        };
        for (Object[] k : cases) {
            int n = (int) k[0], c = (int) k[1], h = (int) k[2], w = (int) k[3], o = (int) k[4], kh = (int) k[5], kw = (int) k[6];
            Conv2dOp.Geometry g = (Conv2dOp.Geometry) k[7];
            Tensor x = Tensor.randn(rng, n, c, h, w).requiresGrad(true);
            Tensor wt = Tensor.randn(rng, o, c / g.groups(), kh, kw).requiresGrad(true);
            Tensor y = Conv2dOp.conv2d(x, wt, null, g);
            Tensor gy = Tensor.randn(rng, y.shape());
            y.backward(gy);
            assertClose(naiveInputGrad(x, wt, gy, g), x.grad().toFloatArray(), 1e-4f);
            assertClose(naiveWeightGrad(x, wt, gy, g), wt.grad().toFloatArray(), 1e-4f);
        }
    }

    /** A bf16 off-heap weight (a mapped checkpoint) gives the same output and input gradient as its fp32 values on the heap. */
    @Test
    void mappedBf16WeightMatchesItsHeapValues() {
        Rng rng = new Rng(12);
        Tensor w = NnTesting.bf16(Tensor.randn(rng, 4, 3, 3, 3));
        Tensor heapW = Tensor.of(w.toFloatArray(), w.shape());
        for (Conv2dOp.Geometry g : new Conv2dOp.Geometry[]{Conv2dOp.Geometry.of(1, 1), Conv2dOp.Geometry.of(2, 1)}) {
            Tensor x1 = Tensor.randn(rng, 2, 3, 7, 6).requiresGrad(true);
            Tensor x2 = Tensor.of(x1.toFloatArray(), x1.shape()).requiresGrad(true);
            Tensor y1 = Conv2dOp.conv2d(x1, w, null, g), y2 = Conv2dOp.conv2d(x2, heapW, null, g);
            assertClose(y2.toFloatArray(), y1.toFloatArray(), 1e-6f);
            Tensor gy = Tensor.randn(rng, y1.shape());
            y1.backward(gy);
            y2.backward(gy);
            assertClose(x2.grad().toFloatArray(), x1.grad().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Conv2dOp.Geometry[] geos = {
                new Conv2dOp.Geometry(1, 1, 1, 1, 1, 1, 1),
                new Conv2dOp.Geometry(2, 1, 1, 2, 2, 1, 2),
                new Conv2dOp.Geometry(1, 1, 0, 0, 1, 1, 2),   // pointwise
        };
        int[][] kernels = {{3, 3}, {2, 3}, {1, 1}};
        for (int i = 0; i < geos.length; i++) {
            Conv2dOp.Geometry g = geos[i];
            GradCheck.check("conv2d " + g, in -> Conv2dOp.conv2d(in.get(0), in.get(1), in.get(2), g),
                    GradCheck.input(11 + i, 2, 4, 5, 4),
                    GradCheck.input(21 + i, 4, 4 / g.groups(), kernels[i][0], kernels[i][1]),
                    GradCheck.input(31 + i, 4));
        }
    }

    @Test
    void moduleNamesShapesInitAndLoad() {
        Conv2d conv = new Conv2d(Conv2d.Config.of(6, 4, 3).padding(1).groups(2), new Rng(0));
        var named = conv.namedParameters();
        assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(named.keySet()));
        assertArrayEquals(new int[]{4, 3, 3, 3}, named.get("weight").shape());
        float bound = (float) (1 / Math.sqrt(27));
        for (float v : conv.weight().value().toFloatArray()) assertTrue(Math.abs(v) <= bound);
        for (float v : conv.bias().value().toFloatArray()) assertTrue(Math.abs(v) <= bound);
        assertArrayEquals(new int[]{2, 4, 5, 7}, conv.forward(Tensor.zeros(2, 6, 5, 7)).shape());

        Conv2d noBias = new Conv2d(Conv2d.Config.of(2, 3, 1).bias(false), new Rng(0));
        assertEquals(1, noBias.parameters().size());

        Weights w = Weights.ofMap(Map.of("conv.weight", Tensor.ones(4, 3, 3, 3), "conv.bias", Tensor.zeros(4)));
        Conv2d loaded = Conv2d.load(w.sub("conv"), Conv2d.Config.of(6, 4, 3).padding(1).groups(2));
        // all-ones kernel over an all-ones image: interior pixels see 3 channels × 9 taps
        assertEquals(27f, loaded.forward(Tensor.ones(1, 6, 5, 5)).get(0, 0, 2, 2), 0f);
        assertThrows(ShapeException.class, () -> Conv2d.load(w.sub("conv"), Conv2d.Config.of(6, 4, 3)));
        assertThrows(ShapeException.class, () -> conv.forward(Tensor.zeros(1, 5, 5, 5)));
    }
}
