package dev.genai4j.tensor;

import java.util.Arrays;

/** Broadcasting binary math, unary math, comparisons and where, each with its backward. */
final class Elementwise {
    private Elementwise() {}

    enum Bin { ADD, SUB, MUL, DIV, MAX, MIN }

    enum Cmp { EQ, NE, LT, LE, GT, GE }

    /** Reads {@code t} broadcast to {@code target} as a dense row-major array. */
    static float[] broadcastData(Tensor t, int[] target) {
        if (Arrays.equals(t.shape(), target)) return t.data();
        int n = Shapes.numel(target);
        float[] out = new float[n];
        if (n == 0) return out;
        // fast path: t is dense and matches a suffix of target (bias rows, per-channel vectors)
        int[] ts = t.shape();
        int tn = t.numel();
        boolean suffix = ts.length <= target.length && t.isContiguous();
        for (int i = 0; suffix && i < ts.length; i++) suffix = ts[i] == target[target.length - ts.length + i];
        if (suffix) {
            float[] src = t.data();
            for (int base = 0; base < n; base += tn) System.arraycopy(src, 0, out, base, tn);
            return out;
        }
        StridedIndex.read(t.storage(), target, Shapes.broadcastStrides(t, target), t.offset(), out);
        return out;
    }

    /** o[oo + i] = x[xo + i] op y[yo + i] for i in [0, len). */
    private static void compute(Bin op, float[] x, int xo, float[] y, int yo, float[] o, int oo, int len) {
        switch (op) {
            case ADD -> { for (int i = 0; i < len; i++) o[oo + i] = x[xo + i] + y[yo + i]; }
            case SUB -> { for (int i = 0; i < len; i++) o[oo + i] = x[xo + i] - y[yo + i]; }
            case MUL -> { for (int i = 0; i < len; i++) o[oo + i] = x[xo + i] * y[yo + i]; }
            case DIV -> { for (int i = 0; i < len; i++) o[oo + i] = x[xo + i] / y[yo + i]; }
            case MAX -> { for (int i = 0; i < len; i++) o[oo + i] = Math.max(x[xo + i], y[yo + i]); }
            case MIN -> { for (int i = 0; i < len; i++) o[oo + i] = Math.min(x[xo + i], y[yo + i]); }
        }
    }

    /**
     * A short period (a scalar, a small bias) repeated to about 1024 values, so the periodic loop
     * runs long inner loops; the length stays a multiple of the period and divides into n's blocks.
     */
    private static float[] tile(float[] period, int n) {
        int p = period.length;
        if (p >= 1024 || p >= n) return period;
        int reps = Math.min((1024 + p - 1) / p, n / p);
        float[] out = new float[p * reps];
        for (int r = 0; r < reps; r++) System.arraycopy(period, 0, out, r * p, p);
        return out;
    }

    /**
     * When t's shape is target's leading dims followed only by 1s (at least one of them covering a
     * dim of target longer than 1), and t is contiguous: the length of the block of target each t
     * value spans. Otherwise 0.
     */
    private static int blockOf(Tensor t, int[] target) {
        int[] ts = t.shape();
        if (ts.length != target.length || !t.isContiguous() || t.numel() == 0) return 0;
        int lead = ts.length;
        while (lead > 0 && ts[lead - 1] == 1) lead--;
        for (int i = 0; i < lead; i++) if (ts[i] != target[i]) return 0;
        int inner = 1;
        for (int i = lead; i < target.length; i++) inner *= target[i];
        return inner > 1 ? inner : 0;
    }

    /** True when {@code t} is contiguous and its shape is a trailing part of {@code target} (a bias row, a per-channel vector). */
    private static boolean isSuffixOf(Tensor t, int[] target) {
        int[] ts = t.shape();
        if (ts.length > target.length || !t.isContiguous()) return false;
        for (int i = 0; i < ts.length; i++) if (ts[i] != target[target.length - ts.length + i]) return false;
        return true;
    }

    /**
     * The op over the broadcast shape. When one operand already has the full shape and the
     * other is a trailing block of it (x + bias), the small one is read periodically instead of
     * being materialized at full size.
     */
    private static float[] compute(Bin op, Tensor a, Tensor b, int[] shape) {
        int n = Shapes.numel(shape);
        float[] o = new float[n];
        if (n == 0) return o;
        boolean aFull = Arrays.equals(a.shape(), shape), bFull = Arrays.equals(b.shape(), shape);
        if (aFull && !bFull && isSuffixOf(b, shape) && b.numel() > 0) {
            float[] x = a.data(), y = tile(b.data(), n);
            int p = y.length;
            Parallel.forRange((n + p - 1) / p, ElementwiseLoops.rowGrain(p), (from, to) -> {
                for (int base = from * p; base < Math.min(n, to * p); base += p) compute(op, x, base, y, 0, o, base, Math.min(p, n - base));
            });
        } else if (bFull && !aFull && isSuffixOf(a, shape) && a.numel() > 0) {
            float[] x = tile(a.data(), n), y = b.data();
            int p = x.length;
            Parallel.forRange((n + p - 1) / p, ElementwiseLoops.rowGrain(p), (from, to) -> {
                for (int base = from * p; base < Math.min(n, to * p); base += p) compute(op, x, 0, y, base, o, base, Math.min(p, n - base));
            });
        } else if (aFull && !bFull && blockOf(b, shape) > 0) {
            // b [B, C, 1, 1] against a [B, C, H, W] (a per-image, per-channel shift such as a UNet's time
            // embedding): each b value spans one contiguous block of a; materializing the broadcast
            // b through strided reads cost more than the add
            int inner = n / b.numel(), blocks = b.numel();
            float[] x = a.data(), bv = b.data();
            Parallel.forRange(blocks, ElementwiseLoops.rowGrain(inner), (from, to) -> {
                float[] y = new float[inner];
                for (int q = from; q < to; q++) {
                    java.util.Arrays.fill(y, bv[q]);
                    compute(op, x, q * inner, y, 0, o, q * inner, inner);
                }
            });
        } else {
            ElementwiseLoops.binary(op, broadcastData(a, shape), broadcastData(b, shape), o, n);
        }
        return o;
    }

    static Tensor binary(Tensor a, Tensor b, Bin op) {
        int[] shape = Shapes.broadcast(a.shape(), b.shape(), op.name().toLowerCase());
        Tensor out = Tensor.of(compute(op, a, b, shape), shape);
        if (Autograd.recording(a, b)) {
            int[] as = a.shape(), bs = b.shape();
            Autograd.record(out, new GradFn(op.name().toLowerCase(), a, b) {
                @Override public Tensor[] backward(Tensor g) {
                    Tensor ga = null, gb = null;
                    switch (op) {
                        case ADD -> { ga = g; gb = g; }
                        case SUB -> { ga = g; gb = needs(1) ? g.neg() : null; }
                        case MUL -> { ga = needs(0) ? g.mul(b) : null; gb = needs(1) ? g.mul(a) : null; }
                        case DIV -> {
                            ga = needs(0) ? g.div(b) : null;
                            gb = needs(1) ? g.mul(a).div(b.square()).neg() : null;
                        }
                        case MAX, MIN -> {
                            // ties share the gradient equally, as torch.maximum / torch.minimum
                            Tensor pick = op == Bin.MAX ? a.gt(b) : a.lt(b);
                            Tensor tie = a.eq(b).mul(0.5f);
                            Tensor wa = pick.add(tie);
                            ga = needs(0) ? g.mul(wa) : null;
                            gb = needs(1) ? g.mul(wa.neg().add(1f)) : null;
                        }
                    }
                    return new Tensor[]{ga == null ? null : Reductions.sumToShape(ga, as),
                            gb == null ? null : Reductions.sumToShape(gb, bs)};
                }
            });
        }
        return out;
    }

    static Tensor add(Tensor a, Tensor b) { return binary(a, b, Bin.ADD); }
    static Tensor sub(Tensor a, Tensor b) { return binary(a, b, Bin.SUB); }
    static Tensor mul(Tensor a, Tensor b) { return binary(a, b, Bin.MUL); }
    static Tensor div(Tensor a, Tensor b) { return binary(a, b, Bin.DIV); }
    static Tensor maximum(Tensor a, Tensor b) { return binary(a, b, Bin.MAX); }
    static Tensor minimum(Tensor a, Tensor b) { return binary(a, b, Bin.MIN); }

    static Tensor addScalar(Tensor a, float c) {
        float[] x = a.data();
        float[] o = new float[x.length];
        ElementwiseLoops.addScalar(x, c, o);
        Tensor out = Tensor.of(o, a.shape());
        if (Autograd.recording(a)) {
            Autograd.record(out, new GradFn("add_scalar", a) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g}; }
            });
        }
        return out;
    }

    static Tensor mulScalar(Tensor a, float c) {
        float[] x = a.data();
        float[] o = new float[x.length];
        ElementwiseLoops.mulScalar(x, c, o);
        Tensor out = Tensor.of(o, a.shape());
        if (Autograd.recording(a)) {
            Autograd.record(out, new GradFn("mul_scalar", a) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g.mul(c)}; }
            });
        }
        return out;
    }

    /** x / c by true division (not x · (1/c)), so results round exactly as PyTorch's. */
    static Tensor divScalar(Tensor a, float c) {
        float[] x = a.data();
        float[] o = new float[x.length];
        for (int i = 0; i < x.length; i++) o[i] = x[i] / c;
        Tensor out = Tensor.of(o, a.shape());
        if (Autograd.recording(a)) {
            Autograd.record(out, new GradFn("div_scalar", a) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g.div(c)}; }
            });
        }
        return out;
    }

    static Tensor pow(Tensor a, float p) {
        float[] x = a.data();
        float[] o = new float[x.length];
        for (int i = 0; i < x.length; i++) o[i] = p == 2f ? x[i] * x[i] : (float) Math.pow(x[i], p);
        Tensor out = Tensor.of(o, a.shape());
        if (Autograd.recording(a)) {
            Autograd.record(out, new GradFn("pow", a) {
                @Override public Tensor[] backward(Tensor g) {
                    // x^0 is constant: zero gradient, not 0 · x^-1 (NaN at x = 0), as PyTorch
                    if (p == 0f) return new Tensor[]{Tensor.zeros(a.shape())};
                    return new Tensor[]{g.mul(a.pow(p - 1f)).mul(p)};
                }
            });
        }
        return out;
    }

    static Tensor unary(Tensor a, Unary fn) {
        float[] x = a.data();
        float[] o = new float[x.length];
        ElementwiseLoops.unary(fn, x, o);     // SiLU / GELU on the vector kernels, large tensors over threads
        Tensor out = Tensor.of(o, a.shape());
        if (Autograd.recording(a)) {
            Autograd.record(out, new GradFn(fn.name().toLowerCase(), a) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] r = new float[x.length];
                    ElementwiseLoops.unaryBackward(fn, gd, x, o, r);
                    return new Tensor[]{Tensor.of(r, a.shape())};
                }
            });
        }
        return out;
    }

    static Tensor clamp(Tensor a, float min, float max) {
        float[] x = a.data();
        float[] o = new float[x.length];
        for (int i = 0; i < x.length; i++) o[i] = Math.min(Math.max(x[i], min), max);
        Tensor out = Tensor.of(o, a.shape());
        if (Autograd.recording(a)) {
            Autograd.record(out, new GradFn("clamp", a) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] r = new float[x.length];
                    for (int i = 0; i < x.length; i++) r[i] = x[i] >= min && x[i] <= max ? gd[i] : 0f;
                    return new Tensor[]{Tensor.of(r, a.shape())};
                }
            });
        }
        return out;
    }

    static Tensor compare(Tensor a, Tensor b, Cmp op) {
        int[] shape = Shapes.broadcast(a.shape(), b.shape(), op.name().toLowerCase());
        float[] x = broadcastData(a, shape);
        // comparing with one value (x.gt(0)) reads it once instead of a full-size copy
        boolean single = b.numel() == 1;
        float[] y = single ? null : broadcastData(b, shape);
        float c = single ? b.toFloatArray()[0] : 0f;
        float[] o = new float[x.length];
        for (int i = 0; i < o.length; i++) {
            float yi = single ? c : y[i];
            boolean r = switch (op) {
                case EQ -> x[i] == yi;
                case NE -> x[i] != yi;
                case LT -> x[i] < yi;
                case LE -> x[i] <= yi;
                case GT -> x[i] > yi;
                case GE -> x[i] >= yi;
            };
            o[i] = r ? 1f : 0f;
        }
        return Tensor.of(o, shape);
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.shape(), a.shape(), "where"), b.shape(), "where");
        float[] c = broadcastData(cond, shape);
        // a one-element branch (maskedFill's value, triu's zero) is read once, not materialized
        boolean aOne = a.numel() == 1, bOne = b.numel() == 1;
        float[] x = aOne ? null : broadcastData(a, shape), y = bOne ? null : broadcastData(b, shape);
        float av = aOne ? a.toFloatArray()[0] : 0f, bv = bOne ? b.toFloatArray()[0] : 0f;
        float[] o = new float[c.length];
        for (int i = 0; i < o.length; i++) o[i] = c[i] != 0f ? (aOne ? av : x[i]) : (bOne ? bv : y[i]);
        Tensor out = Tensor.of(o, shape);
        if (Autograd.recording(a, b)) {
            int[] as = a.shape(), bs = b.shape();
            Autograd.record(out, new GradFn("where", a, b) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    Tensor ga = null, gb = null;
                    if (needs(0)) {
                        float[] r = new float[gd.length];
                        for (int i = 0; i < gd.length; i++) if (c[i] != 0f) r[i] = gd[i];
                        ga = Reductions.sumToShape(Tensor.of(r, shape), as);
                    }
                    if (needs(1)) {
                        float[] r = new float[gd.length];
                        for (int i = 0; i < gd.length; i++) if (c[i] == 0f) r[i] = gd[i];
                        gb = Reductions.sumToShape(Tensor.of(r, shape), bs);
                    }
                    return new Tensor[]{ga, gb};
                }
            });
        }
        return out;
    }
}
