package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.Parallel;

/**
 * Plain attention over short key sequences as whole-matrix products on {@link GemmRowTable}'s
 * tiles, per (batch, head): {@code S = Q·Kᵀ}, row softmax, {@code O = P·V}; the backward recomputes
 * P from the forward's log-sum-exp and forms {@code dV = Pᵀ·dO}, {@code dP = dO·Vᵀ},
 * {@code dS = P ∘ (dP − δ)·scale}, {@code dQ = dS·K}, {@code dK = dSᵀ·Q}. Same definitions as
 * {@link AttentionForward} / {@link AttentionBackward}, another summation order.
 *
 * <p>Why: with a few dozen keys and head width 32 (a diffusion UNet's 8×8 self-attention, its 16
 * text tokens) the blocked kernels spend their time on per-score lane reductions: 13–19 GFMA/s
 * against ~45 for these products (8×8 self-attention at batch 16, one thread: forward 0.44 → 0.36 ms,
 * backward 1.55 → 0.89 ms; over 16 text tokens 0.26 → 0.16 and 0.66 → 0.31 ms). Taken only without
 * masks, windows, bias or grouped heads, with one vector to {@value #MAX_KEYS} keys and a head
 * width of at least two vectors; everything else stays on the blocked kernels.
 */
final class AttentionSmall {
    static final int MAX_KEYS = 256;
    private static final int MAX_SCORES = 1 << 16;

    private AttentionSmall() {}

    static boolean supports(int hq, int hkv, int tq, int tk, int d, AttentionOptions opt) {
        return hq == hkv && !opt.causal() && opt.windowLeft() == AttentionOptions.UNBOUNDED
                && opt.windowRight() == AttentionOptions.UNBOUNDED && opt.keyMask() == null
                && opt.keyMaskValues() == null && opt.bias() == null
                && tk >= VectorSupport.F.length() && tk <= MAX_KEYS && d >= 2 * VectorSupport.F.length()
                && (long) tq * tk <= MAX_SCORES && tq >= 8;
    }

    private static float scale(AttentionOptions opt, int d) {
        return Float.isNaN(opt.scale()) ? (float) (1.0 / Math.sqrt(d)) : opt.scale();
    }

    /** dst [cols, rows] = src [rows, cols]ᵀ, src rows {@code srcStride} apart. */
    private static void transpose(float[] src, int srcOff, int srcStride, int rows, int cols, float[] dst) {
        for (int i = 0; i < rows; i++) {
            int s = srcOff + i * srcStride;
            for (int j = 0; j < cols; j++) dst[j * rows + i] = src[s + j];
        }
    }

    /** Scores S [tq, tk] = scale · Q_bh · K_bhᵀ into s (kt is [d, tk] scratch). */
    private static void scores(int b, int h, int tq, int tk, int d, AttentionOperand q, AttentionOperand k,
                               float scale, float[] kt, int[] dRows, float[] s) {
        transpose(k.data(), k.at(b, h, 0), k.tokenStride(), tk, d, kt);
        GemmRowTable.multiply(tq, tk, d, q.data(), q.at(b, h, 0), q.tokenStride(), kt, 0, dRows, s, 0, tk, false);
        VectorMath.affine(s, 0, scale, 0f, s, 0, tq * tk);
    }

    static void forward(int batch, int h, int tq, int tk, int d, AttentionOperand q, AttentionOperand k,
                        AttentionOperand v, AttentionOperand out, AttentionOptions opt, float[] lse) {
        float scale = scale(opt, d);
        int[] dRows = GemmRowTable.strided(d, tk), vRows = GemmRowTable.strided(tk, v.tokenStride());
        Parallel.forRange(batch * h, 1, (from, to) -> {
            float[] kt = new float[d * tk], s = new float[tq * tk], inv = new float[tq];
            for (int bh = from; bh < to; bh++) {
                int b = bh / h, hh = bh % h;
                scores(b, hh, tq, tk, d, q, k, scale, kt, dRows, s);
                for (int i = 0; i < tq; i++) {
                    float m = Softmax.maxVector(s, i * tk, tk);
                    float sum = Softmax.expSubtractInPlace(s, i * tk, tk, m);
                    inv[i] = 1f / sum;
                    if (lse != null) lse[(b * h + hh) * tq + i] = (float) (m + Math.log(sum));
                }
                // O = exp(S − m) · V, each row then divided by its sum
                int o0 = out.at(b, hh, 0), ts = out.tokenStride();
                GemmRowTable.multiply(tq, d, tk, s, 0, tk, v.data(), v.at(b, hh, 0), vRows, out.data(), o0, ts, false);
                for (int i = 0; i < tq; i++) VectorMath.affine(out.data(), o0 + i * ts, inv[i], 0f, out.data(), o0 + i * ts, d);
            }
        });
    }

    static void backward(int batch, int h, int tq, int tk, int d, AttentionOperand q, AttentionOperand k,
                         AttentionOperand v, AttentionOperand out, AttentionOperand dOut, float[] lse, AttentionOptions opt,
                         AttentionOperand dq, AttentionOperand dk, AttentionOperand dv) {
        float scale = scale(opt, d);
        int[] dRows = GemmRowTable.strided(d, tk), gRows = GemmRowTable.strided(tq, dOut.tokenStride()),
                kRows = GemmRowTable.strided(tk, k.tokenStride()), qRows = GemmRowTable.strided(tq, q.tokenStride());
        Parallel.forRange(batch * h, 1, (from, to) -> {
            float[] kt = new float[d * tk], vt = new float[d * tk], p = new float[tq * tk], dp = new float[tq * tk],
                    tr = new float[tk * tq];
            for (int bh = from; bh < to; bh++) {
                int b = bh / h, hh = bh % h, g0 = dOut.at(b, hh, 0), o0 = out.at(b, hh, 0);
                // P = exp(S − lse)
                scores(b, hh, tq, tk, d, q, k, scale, kt, dRows, p);
                for (int i = 0; i < tq; i++) Softmax.expSubtractInPlace(p, i * tk, tk, lse[(b * h + hh) * tq + i]);
                // dV = Pᵀ · dO
                transpose(p, 0, tk, tq, tk, tr);
                GemmRowTable.multiply(tk, d, tq, tr, 0, tq, dOut.data(), g0, gRows, dv.data(), dv.at(b, hh, 0), dv.tokenStride(), false);
                // dP = dO · Vᵀ; dS = P ∘ (dP − δ) · scale with δ_i = dO_i · O_i, in place over dP
                transpose(v.data(), v.at(b, hh, 0), v.tokenStride(), tk, d, vt);
                GemmRowTable.multiply(tq, tk, d, dOut.data(), g0, dOut.tokenStride(), vt, 0, dRows, dp, 0, tk, false);
                for (int i = 0; i < tq; i++) {
                    float delta = VectorMath.dot(dOut.data(), g0 + i * dOut.tokenStride(), out.data(), o0 + i * out.tokenStride(), d);
                    VectorMath.affine(dp, i * tk, scale, -delta * scale, dp, i * tk, tk);   // (dP − δ)·scale
                    VectorMath.mul(dp, i * tk, p, i * tk, dp, i * tk, tk);
                }
                // dQ = dS · K, dK = dSᵀ · Q
                GemmRowTable.multiply(tq, d, tk, dp, 0, tk, k.data(), k.at(b, hh, 0), kRows, dq.data(), dq.at(b, hh, 0), dq.tokenStride(), false);
                transpose(dp, 0, tk, tq, tk, tr);
                GemmRowTable.multiply(tk, d, tq, tr, 0, tq, q.data(), q.at(b, hh, 0), qRows, dk.data(), dk.at(b, hh, 0), dk.tokenStride(), false);
            }
        });
    }
}
