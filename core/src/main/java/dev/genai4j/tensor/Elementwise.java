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
        int[] offs = StridedIndex.offsets(target, Shapes.broadcastStrides(t, target), t.offset());
        Storage s = t.storage();
        if (s instanceof FloatStorage fs) {
            float[] a = fs.array();
            for (int i = 0; i < n; i++) out[i] = a[offs[i]];
        } else {
            for (int i = 0; i < n; i++) out[i] = s.get(offs[i]);
        }
        return out;
    }

    private static float[] compute(Bin op, float[] x, float[] y) {
        int n = x.length;
        float[] o = new float[n];
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[i] = x[i] + y[i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[i] = x[i] - y[i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[i] = x[i] * y[i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[i] = x[i] / y[i]; }
            case MAX -> { for (int i = 0; i < n; i++) o[i] = Math.max(x[i], y[i]); }
            case MIN -> { for (int i = 0; i < n; i++) o[i] = Math.min(x[i], y[i]); }
        }
        return o;
    }

    static Tensor binary(Tensor a, Tensor b, Bin op) {
        int[] shape = Shapes.broadcast(a.shape(), b.shape(), op.name().toLowerCase());
        float[] x = broadcastData(a, shape), y = broadcastData(b, shape);
        Tensor out = Tensor.of(compute(op, x, y), shape);
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
        for (int i = 0; i < x.length; i++) o[i] = x[i] + c;
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
        for (int i = 0; i < x.length; i++) o[i] = x[i] * c;
        Tensor out = Tensor.of(o, a.shape());
        if (Autograd.recording(a)) {
            Autograd.record(out, new GradFn("mul_scalar", a) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g.mul(c)}; }
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
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g.mul(a.pow(p - 1f)).mul(p)}; }
            });
        }
        return out;
    }

    static Tensor unary(Tensor a, Unary fn) {
        float[] x = a.data();
        float[] o = new float[x.length];
        for (int i = 0; i < x.length; i++) o[i] = fn.f(x[i]);
        Tensor out = Tensor.of(o, a.shape());
        if (Autograd.recording(a)) {
            Autograd.record(out, new GradFn(fn.name().toLowerCase(), a) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] r = new float[x.length];
                    for (int i = 0; i < x.length; i++) r[i] = gd[i] * fn.d(x[i], o[i]);
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
        float[] x = broadcastData(a, shape), y = broadcastData(b, shape);
        float[] o = new float[x.length];
        for (int i = 0; i < o.length; i++) {
            boolean r = switch (op) {
                case EQ -> x[i] == y[i];
                case NE -> x[i] != y[i];
                case LT -> x[i] < y[i];
                case LE -> x[i] <= y[i];
                case GT -> x[i] > y[i];
                case GE -> x[i] >= y[i];
            };
            o[i] = r ? 1f : 0f;
        }
        return Tensor.of(o, shape);
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.shape(), a.shape(), "where"), b.shape(), "where");
        float[] c = broadcastData(cond, shape), x = broadcastData(a, shape), y = broadcastData(b, shape);
        float[] o = new float[c.length];
        for (int i = 0; i < o.length; i++) o[i] = c[i] != 0f ? x[i] : y[i];
        Tensor out = Tensor.of(o, shape);
        if (Autograd.recording(a, b)) {
            int[] as = a.shape(), bs = b.shape();
            Autograd.record(out, new GradFn("where", a, b) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] ga = new float[gd.length], gb = new float[gd.length];
                    for (int i = 0; i < gd.length; i++) {
                        if (c[i] != 0f) ga[i] = gd[i]; else gb[i] = gd[i];
                    }
                    return new Tensor[]{Reductions.sumToShape(Tensor.of(ga, shape), as),
                            Reductions.sumToShape(Tensor.of(gb, shape), bs)};
                }
            });
        }
        return out;
    }
}
