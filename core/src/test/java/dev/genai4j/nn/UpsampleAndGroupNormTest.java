package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.functional.GroupNormOp;
import dev.genai4j.nn.functional.UpsampleNearestOp;
import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UpsampleAndGroupNormTest {

    @Test
    void nearestUpsampleRepeatsEachPixelAsABlock() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 1, 1, 2, 3);
        Tensor y = new UpsampleNearest2d(2, 3).forward(x);
        assertArrayEquals(new int[]{1, 1, 4, 9}, y.shape());
        float[] row0 = {1, 1, 1, 2, 2, 2, 3, 3, 3}, row1 = {4, 4, 4, 5, 5, 5, 6, 6, 6};
        float[] expected = new float[36];
        for (int r = 0; r < 4; r++) System.arraycopy(r < 2 ? row0 : row1, 0, expected, r * 9, 9);
        assertArrayEquals(expected, y.toFloatArray());
        // backward sums each block: sum(y) has gradient sh·sw = 6 on every input pixel
        Tensor xl = Tensor.of(x.toFloatArray(), x.shape()).requiresGrad(true);
        UpsampleNearestOp.upsample(xl, 2, 3).sum().backward();
        assertArrayEquals(new float[]{6, 6, 6, 6, 6, 6}, xl.grad().toFloatArray());
    }

    @Test
    void upsampleGradientMatchesFiniteDifferences() {
        GradCheck.check("upsample 2x", in -> UpsampleNearestOp.upsample(in.get(0), 2, 2), GradCheck.input(1, 2, 3, 3, 2));
        GradCheck.check("upsample 3x1", in -> UpsampleNearestOp.upsample(in.get(0), 3, 1), GradCheck.input(2, 1, 2, 2, 3));
    }

    /** group_norm from its definition, in double. */
    static float[] naiveGroupNorm(Tensor x, int groups, Tensor w, Tensor b, double eps) {
        int n = x.size(0), c = x.size(1), spatial = x.numel() / (n * c), cpg = c / groups;
        float[] xd = x.toFloatArray(), out = new float[xd.length];
        for (int img = 0; img < n; img++)
            for (int g = 0; g < groups; g++) {
                int base = (img * c + g * cpg) * spatial, m = cpg * spatial;
                double mean = 0, var = 0;
                for (int i = 0; i < m; i++) mean += xd[base + i];
                mean /= m;
                for (int i = 0; i < m; i++) var += (xd[base + i] - mean) * (xd[base + i] - mean);
                var /= m;
                for (int i = 0; i < m; i++) {
                    int ch = g * cpg + i / spatial;
                    double v = (xd[base + i] - mean) / Math.sqrt(var + eps);
                    out[base + i] = (float) (v * (w == null ? 1 : w.get(ch)) + (b == null ? 0 : b.get(ch)));
                }
            }
        return out;
    }

    @Test
    void groupNormMatchesDefinition() {
        Rng rng = new Rng(5);
        int[][] shapes = {{2, 6, 3, 5}, {3, 4, 7}, {1, 8, 1, 1}, {2, 6}, {2, 4, 9, 11}};   // the last: vector bodies and tails
        int[] groups = {3, 2, 4, 6, 2};
        for (int k = 0; k < shapes.length; k++) {
            Tensor x = Tensor.randn(rng, shapes[k]).mul(3f).add(1.5f);
            int c = shapes[k][1];
            Tensor w = Tensor.randn(rng, c), b = Tensor.randn(rng, c);
            float[] got = GroupNormOp.groupNorm(x, groups[k], w, b, 1e-5f).toFloatArray();
            float[] want = naiveGroupNorm(x, groups[k], w, b, 1e-5);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4f, "case " + k + " element " + i);
            float[] plain = GroupNormOp.groupNorm(x, groups[k], null, null, 1e-5f).toFloatArray();
            float[] wantPlain = naiveGroupNorm(x, groups[k], null, null, 1e-5);
            for (int i = 0; i < want.length; i++) assertEquals(wantPlain[i], plain[i], 1e-4f);
        }
    }

    /** Backward on groups long enough for the vector kernels (2 × 99 per group), against the analytic gradient in double. */
    @Test
    void groupNormBackwardMatchesAnalyticGradientOnLongGroups() {
        Rng rng = new Rng(8);
        int n = 2, c = 4, spatial = 99, groups = 2, cpg = c / groups;
        Tensor x = Tensor.randn(rng, n, c, 9, 11).mul(2f).add(0.5f).requiresGrad(true);
        Tensor w = Tensor.randn(rng, c).requiresGrad(true), b = Tensor.randn(rng, c).requiresGrad(true);
        Tensor gy = Tensor.randn(rng, n, c, 9, 11);
        GroupNormOp.groupNorm(x, groups, w, b, 1e-5f).backward(gy);
        float[] xd = x.toFloatArray(), wd = w.toFloatArray(), gd = gy.toFloatArray();
        double[] gx = new double[xd.length], gw = new double[c], gb = new double[c];
        int size = cpg * spatial;
        for (int img = 0; img < n; img++)
            for (int g = 0; g < groups; g++) {
                int base = (img * c + g * cpg) * spatial;
                double mean = 0, var = 0;
                for (int i = 0; i < size; i++) mean += xd[base + i];
                mean /= size;
                for (int i = 0; i < size; i++) var += (xd[base + i] - mean) * (xd[base + i] - mean);
                double rs = 1 / Math.sqrt(var / size + 1e-5), sumD = 0, sumDX = 0;
                for (int i = 0; i < size; i++) {
                    int ch = g * cpg + i / spatial;
                    double xh = (xd[base + i] - mean) * rs, d = gd[base + i] * wd[ch];
                    sumD += d;
                    sumDX += d * xh;
                    gw[ch] += gd[base + i] * xh;
                    gb[ch] += gd[base + i];
                }
                for (int i = 0; i < size; i++) {
                    int ch = g * cpg + i / spatial;
                    double xh = (xd[base + i] - mean) * rs;
                    gx[base + i] = rs * (gd[base + i] * wd[ch] - sumD / size - xh * sumDX / size);
                }
            }
        float[] gotX = x.grad().toFloatArray(), gotW = w.grad().toFloatArray(), gotB = b.grad().toFloatArray();
        for (int i = 0; i < gx.length; i++) assertEquals(gx[i], gotX[i], 1e-4 * (1 + Math.abs(gx[i])), "dx " + i);
        for (int ch = 0; ch < c; ch++) {
            assertEquals(gw[ch], gotW[ch], 1e-4 * (1 + Math.abs(gw[ch])), "dweight " + ch);
            assertEquals(gb[ch], gotB[ch], 1e-4 * (1 + Math.abs(gb[ch])), "dbias " + ch);
        }
    }

    @Test
    void groupNormGradientMatchesFiniteDifferences() {
        GradCheck.check("group_norm", in -> GroupNormOp.groupNorm(in.get(0), 2, in.get(1), in.get(2), 1e-5f),
                1e-2f, 3e-2, GradCheck.input(1, 2, 4, 2, 3), GradCheck.input(2, 4), GradCheck.input(3, 4));
        GradCheck.check("group_norm no affine", in -> GroupNormOp.groupNorm(in.get(0), 3, null, null, 1e-5f),
                1e-2f, 3e-2, GradCheck.input(4, 1, 6, 5));
    }

    @Test
    void groupNormModuleInitLoadAndErrors() {
        GroupNorm gn = new GroupNorm(2, 4);
        assertArrayEquals(new float[]{1, 1, 1, 1}, gn.namedParameters().get("weight").value().toFloatArray());
        assertArrayEquals(new float[]{0, 0, 0, 0}, gn.namedParameters().get("bias").value().toFloatArray());
        assertEquals(0, new GroupNorm(2, 4, 1e-6f, false).parameters().size());
        Weights w = Weights.ofMap(Map.of("norm.weight", Tensor.full(2f, 4), "norm.bias", Tensor.full(1f, 4)));
        GroupNorm loaded = GroupNorm.load(w.sub("norm"), 2, 4, 1e-6f, true);
        Tensor y = loaded.forward(Tensor.of(new float[]{1, 3, 5, 5}, 1, 4));
        // group {1, 3}: mean 2, std 1 → (−1, 1)·2 + 1; group {5, 5}: zero variance → 1
        assertArrayEquals(new float[]{-1, 3, 1, 1}, y.toFloatArray(), 1e-4f);
        assertThrows(ShapeException.class, () -> loaded.forward(Tensor.zeros(1, 6, 2)));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
        assertThrows(ShapeException.class, () -> GroupNorm.load(w.sub("norm"), 2, 8, 1e-6f, true));
    }

    @Test
    void fusedGroupNormSiluEqualsTheTwoOpsAndKeepsGradients() {
        Rng rng = new Rng(17);
        Tensor x = Tensor.randn(rng, 3, 8, 5, 7).mul(3f).add(2f), w = Tensor.randn(rng, 8), b = Tensor.randn(rng, 8);
        Tensor twoOps, fused;
        try (var g = dev.genai4j.tensor.NoGrad.enter()) {
            twoOps = GroupNormOp.groupNorm(x, 4, w, b, 1e-5f).silu();
            fused = GroupNormOp.groupNormSilu(x, 4, w, b, 1e-5f);
            // without the affine too
            assertArrayEquals(GroupNormOp.groupNorm(x, 2, null, null, 1e-5f).silu().toFloatArray(),
                    GroupNormOp.groupNormSilu(x, 2, null, null, 1e-5f).toFloatArray(), 1e-5f);
        }
        // the same kernels in the same order; only a JIT tier switching between the two calls (a vector
        // reduction's lane order) could move a value, by an ulp or so
        assertArrayEquals(twoOps.toFloatArray(), fused.toFloatArray(), 1e-5f);
        // recording: the same values, and the gradient of the composition
        Tensor xa = Tensor.of(x.toFloatArray(), x.shape()).requiresGrad(true), xb = Tensor.of(x.toFloatArray(), x.shape()).requiresGrad(true);
        Tensor wa = w.detach().requiresGrad(true), wb = w.detach().requiresGrad(true);
        Tensor ba = b.detach().requiresGrad(true), bb = b.detach().requiresGrad(true);
        Tensor ya = GroupNormOp.groupNormSilu(xa, 4, wa, ba, 1e-5f), yb = GroupNormOp.groupNorm(xb, 4, wb, bb, 1e-5f).silu();
        assertArrayEquals(yb.toFloatArray(), ya.toFloatArray(), 1e-5f);
        ya.square().sum().backward();
        yb.square().sum().backward();
        assertArrayEquals(xb.grad().toFloatArray(), xa.grad().toFloatArray(), 1e-4f);
        assertArrayEquals(wb.grad().toFloatArray(), wa.grad().toFloatArray(), 1e-3f);
        assertArrayEquals(bb.grad().toFloatArray(), ba.grad().toFloatArray(), 1e-3f);
        GradCheck.check("group norm + silu", in -> GroupNormOp.groupNormSilu(in.get(0), 2, in.get(1), in.get(2), 1e-5f),
                GradCheck.input(21, 2, 4, 3, 2), GradCheck.input(22, 4), GradCheck.input(23, 4));
        GroupNorm norm = new GroupNorm(4, 8, 1e-5f, true);
        assertThrows(ShapeException.class, () -> norm.forwardSilu(Tensor.zeros(2, 6, 3)));
    }
}
