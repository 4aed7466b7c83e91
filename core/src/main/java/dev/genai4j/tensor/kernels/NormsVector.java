package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.VectorSupport.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Vector API row kernels behind {@link Norms}; {@link NormsScalar} holds their scalar twins. */
final class NormsVector {
    private NormsVector() {}

    static void layerNormRow(float[] x, int xo, int n, float[] gamma, float[] beta, float eps,
                             float[] out, int oo, float[] mean, float[] rstd, int r) {
        float mu = VectorMath.sumVector(x, xo, n) / n;
        FloatVector vmu = FloatVector.broadcast(F, mu), acc = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector c = FloatVector.fromArray(F, x, xo + i).sub(vmu);
            acc = c.fma(c, acc);
        }
        float ss = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float c = x[xo + i] - mu;
            ss += c * c;
        }
        float rs = 1f / (float) Math.sqrt(ss / n + eps);
        if (mean != null) mean[r] = mu;
        if (rstd != null) rstd[r] = rs;
        // PyTorch's order (layer_norm_kernel.cpp): y = (x·rstd + (−μ·rstd))·γ + β
        float shift = -mu * rs;
        FloatVector vrs = FloatVector.broadcast(F, rs), vshift = FloatVector.broadcast(F, shift);
        for (i = 0; i < bound; i += F.length()) {
            FloatVector y = FloatVector.fromArray(F, x, xo + i).mul(vrs).add(vshift);
            if (gamma != null) y = y.mul(FloatVector.fromArray(F, gamma, i));
            if (beta != null) y = y.add(FloatVector.fromArray(F, beta, i));
            y.intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float y = x[xo + i] * rs + shift;
            if (gamma != null) y *= gamma[i];
            if (beta != null) y += beta[i];
            out[oo + i] = y;
        }
    }

    static void layerNormBackwardRow(float[] dy, int dyo, float[] x, int xo, int n, float[] gamma, float mu, float rs,
                                     float[] dx, int dxo, float[] dgamma, float[] dbeta) {
        // dx = rs·(g − mean(g) − x̂·mean(g·x̂)), g = dy·γ, x̂ = (x − μ)·rs.
        FloatVector vmu = FloatVector.broadcast(F, mu), vrs = FloatVector.broadcast(F, rs);
        FloatVector sg = FloatVector.zero(F), sgx = sg;
        int bound = F.loopBound(n), i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, dy, dyo + i);
            if (gamma != null) g = g.mul(FloatVector.fromArray(F, gamma, i));
            FloatVector xh = FloatVector.fromArray(F, x, xo + i).sub(vmu).mul(vrs);
            sg = sg.add(g);
            sgx = g.fma(xh, sgx);
        }
        float sumG = sg.reduceLanes(VectorOperators.ADD), sumGx = sgx.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float g = gamma != null ? dy[dyo + i] * gamma[i] : dy[dyo + i];
            sumG += g;
            sumGx += g * (x[xo + i] - mu) * rs;
        }
        float a = sumG / n, b = sumGx / n;
        FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b);
        for (i = 0; i < bound; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, dy, dyo + i);
            FloatVector g = gamma != null ? d.mul(FloatVector.fromArray(F, gamma, i)) : d;
            FloatVector xh = FloatVector.fromArray(F, x, xo + i).sub(vmu).mul(vrs);
            g.sub(va).sub(xh.mul(vb)).mul(vrs).intoArray(dx, dxo + i);
            if (dgamma != null) d.fma(xh, FloatVector.fromArray(F, dgamma, i)).intoArray(dgamma, i);
            if (dbeta != null) d.add(FloatVector.fromArray(F, dbeta, i)).intoArray(dbeta, i);
        }
        for (; i < n; i++) {
            float d = dy[dyo + i], g = gamma != null ? d * gamma[i] : d, xh = (x[xo + i] - mu) * rs;
            dx[dxo + i] = (g - a - xh * b) * rs;
            if (dgamma != null) dgamma[i] += d * xh;
            if (dbeta != null) dbeta[i] += d;
        }
    }

    static void rmsNormRow(float[] x, int xo, int n, float[] weight, boolean onePlus, float eps,
                           float[] out, int oo, float[] rstd, int r) {
        float rs = (float) (1.0 / Math.sqrt(VectorMath.dotVector(x, xo, x, xo, n) / n + eps));
        if (rstd != null) rstd[r] = rs;
        FloatVector vrs = FloatVector.broadcast(F, rs);
        int bound = F.loopBound(n), i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector y = FloatVector.fromArray(F, x, xo + i).mul(vrs);
            if (weight != null) {
                FloatVector w = FloatVector.fromArray(F, weight, i);
                y = y.mul(onePlus ? w.add(1f) : w);
            }
            y.intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float y = x[xo + i] * rs;
            if (weight != null) y *= onePlus ? 1f + weight[i] : weight[i];
            out[oo + i] = y;
        }
    }

    static void rmsNormBackwardRow(float[] dy, int dyo, float[] x, int xo, int n, float[] weight, boolean onePlus,
                                   float rs, float[] dx, int dxo, float[] dweight) {
        // dx = rs·(g − x̂·mean(g·x̂)), g = dy·w', x̂ = x·rs, w' = w or 1 + w.
        FloatVector vrs = FloatVector.broadcast(F, rs), sgx = FloatVector.zero(F);
        int bound = F.loopBound(n), i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, dy, dyo + i);
            if (weight != null) {
                FloatVector w = FloatVector.fromArray(F, weight, i);
                g = g.mul(onePlus ? w.add(1f) : w);
            }
            sgx = g.fma(FloatVector.fromArray(F, x, xo + i).mul(vrs), sgx);
        }
        float sumGx = sgx.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float g = dy[dyo + i];
            if (weight != null) g *= onePlus ? 1f + weight[i] : weight[i];
            sumGx += g * x[xo + i] * rs;
        }
        FloatVector vb = FloatVector.broadcast(F, sumGx / n);
        for (i = 0; i < bound; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, dy, dyo + i), g = d;
            if (weight != null) {
                FloatVector w = FloatVector.fromArray(F, weight, i);
                g = d.mul(onePlus ? w.add(1f) : w);
            }
            FloatVector xh = FloatVector.fromArray(F, x, xo + i).mul(vrs);
            g.sub(xh.mul(vb)).mul(vrs).intoArray(dx, dxo + i);
            if (dweight != null) d.fma(xh, FloatVector.fromArray(F, dweight, i)).intoArray(dweight, i);
        }
        float b = sumGx / n;
        for (; i < n; i++) {
            float d = dy[dyo + i], g = d, xh = x[xo + i] * rs;
            if (weight != null) g *= onePlus ? 1f + weight[i] : weight[i];
            dx[dxo + i] = (g - xh * b) * rs;
            if (dweight != null) dweight[i] += d * xh;
        }
    }
}
