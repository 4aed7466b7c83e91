package dev.genai4j.tensor;

import java.util.Arrays;

/** Reductions over any axes, softmax family, cumulative sum, top-k; each with its backward. */
final class Reductions {
    private Reductions() {}

    /** Axes normalized, de-duplicated, sorted. */
    static int[] normAxes(int[] axes, int rank, String op) {
        boolean[] mark = new boolean[rank];
        for (int a : axes) {
            int n = Shapes.axis(a, rank, op);
            if (mark[n]) throw new ShapeException(op + ": axis " + a + " given twice");
            mark[n] = true;
        }
        int[] out = new int[axes.length];
        for (int i = 0, k = 0; i < rank; i++) if (mark[i]) out[k++] = i;
        return out;
    }

    /** Reduction layout: the data with kept axes first and reduced axes last, flattened. */
    private record Blocks(float[] data, int outer, int inner, int[] outShape, int[] keptShape) {}

    private static Blocks blocks(Tensor x, int[] axes, boolean keepDim) {
        int r = x.dim();
        int[] shape = x.shape();
        boolean[] red = new boolean[r];
        for (int a : axes) red[a] = true;
        int[] order = new int[r];
        int k = 0, outer = 1, inner = 1;
        for (int i = 0; i < r; i++) if (!red[i]) { order[k++] = i; outer *= shape[i]; }
        for (int i = 0; i < r; i++) if (red[i]) { order[k++] = i; inner *= shape[i]; }
        boolean identity = true;
        for (int i = 0; i < r; i++) identity &= order[i] == i;
        float[] data;
        if (identity) {
            data = x.data();
        } else {
            try (var g = NoGrad.enter()) {
                data = x.detach().permute(order).toFloatArray();
            }
        }
        int[] keepShape = shape.clone();
        for (int a : axes) keepShape[a] = 1;
        int[] outShape;
        if (keepDim) {
            outShape = keepShape;
        } else {
            outShape = new int[r - axes.length];
            for (int i = 0, j = 0; i < r; i++) if (!red[i]) outShape[j++] = shape[i];
        }
        return new Blocks(data, outer, inner, outShape, keepShape);
    }

    static Tensor sum(Tensor x, int[] axesIn, boolean keepDim) {
        int[] axes = normAxes(axesIn, x.dim(), "sum");
        Blocks b = blocks(x, axes, keepDim);
        float[] o = new float[b.outer];
        for (int i = 0; i < b.outer; i++) {
            double s = 0;   // double accumulation: long sums stay exact enough to match references
            int base = i * b.inner;
            for (int j = 0; j < b.inner; j++) s += b.data[base + j];
            o[i] = (float) s;
        }
        Tensor out = Tensor.of(o, b.outShape);
        if (Autograd.recording(x)) {
            int[] inShape = x.shape();
            Autograd.record(out, new GradFn("sum", x) {
                @Override public Tensor[] backward(Tensor g) {
                    return new Tensor[]{g.reshape(b.keptShape).expand(inShape).contiguous()};
                }
            });
        }
        return out;
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        int[] ax = normAxes(axes, x.dim(), "mean");
        long n = 1;
        for (int a : ax) n *= x.shape()[a];
        return sum(x, ax, keepDim).mul(1f / n);
    }

    static Tensor var(Tensor x, int[] axes, boolean unbiased, boolean keepDim) {
        int[] ax = normAxes(axes, x.dim(), "var");
        long n = 1;
        for (int a : ax) n *= x.shape()[a];
        Tensor centered = x.sub(mean(x, ax, true));
        return sum(centered.square(), ax, keepDim).mul(1f / (unbiased ? Math.max(n - 1, 1) : n));
    }

    static Tensor max(Tensor x, int[] axesIn, boolean keepDim) {
        int[] axes = normAxes(axesIn, x.dim(), "max");
        Blocks b = blocks(x, axes, keepDim);
        if (b.inner == 0) throw new ShapeException("max: reduction over an empty axis of shape " + Arrays.toString(x.shape()));
        float[] o = new float[b.outer];
        for (int i = 0; i < b.outer; i++) {
            float m = Float.NEGATIVE_INFINITY;
            int base = i * b.inner;
            for (int j = 0; j < b.inner; j++) {
                float v = b.data[base + j];
                if (v > m || Float.isNaN(v)) m = v;
                if (Float.isNaN(m)) break;
            }
            o[i] = m;
        }
        Tensor out = Tensor.of(o, b.outShape);
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("max", x) {
                @Override public Tensor[] backward(Tensor g) {
                    // gradient shared evenly among tied maxima, as torch.amax
                    Tensor mk = out.reshape(b.keptShape);
                    Tensor hit = x.detach().eq(mk);
                    Tensor count = sum(hit, axes, true);
                    return new Tensor[]{hit.mul(g.reshape(b.keptShape)).div(count)};
                }
            });
        }
        return out;
    }

    static Tensor argmax(Tensor x, int axis, boolean keepDim) {
        int a = Shapes.axis(axis, x.dim(), "argmax");
        Blocks b = blocks(x, new int[]{a}, keepDim);
        float[] o = new float[b.outer];
        for (int i = 0; i < b.outer; i++) {
            int base = i * b.inner, best = 0;
            float m = b.data[base];
            for (int j = 1; j < b.inner; j++) {
                float v = b.data[base + j];
                if (v > m || (Float.isNaN(v) && !Float.isNaN(m))) { m = v; best = j; }
            }
            o[i] = best;
        }
        return Tensor.of(o, b.outShape);
    }

    static Tensor logSumExp(Tensor x, int axis, boolean keepDim) {
        int a = Shapes.axis(axis, x.dim(), "logSumExp");
        Tensor m = max(x.detach(), new int[]{a}, true);
        Tensor safe = Tensor.where(m.abs().lt(Float.POSITIVE_INFINITY), m, Tensor.scalar(0f));
        Tensor r = x.sub(safe).exp().sum(a, true).log().add(safe);
        return keepDim ? r : r.squeeze(a);
    }

    /** Runs {@code body} on the tensor with {@code axis} moved last (contiguous), moves back. */
    private static Tensor alongLastAxis(Tensor x, int axis, java.util.function.Function<Tensor, Tensor> body) {
        int a = Shapes.axis(axis, x.dim(), "softmax");
        int last = x.dim() - 1;
        if (a == last) return body.apply(x);
        return body.apply(x.transpose(a, last)).transpose(a, last).contiguous();
    }

    static Tensor softmax(Tensor x, int axis) {
        return alongLastAxis(x, axis, Reductions::softmaxLast);
    }

    static Tensor logSoftmax(Tensor x, int axis) {
        return alongLastAxis(x, axis, Reductions::logSoftmaxLast);
    }

    private static Tensor softmaxLast(Tensor x) {
        int n = x.size(-1);
        float[] d = x.toFloatArray();
        int rows = n == 0 ? 0 : d.length / n;
        dev.genai4j.tensor.kernels.Softmax.softmaxRows(d, rows, n);
        Tensor out = Tensor.of(d, x.shape());
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("softmax", x) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] r = new float[gd.length];
                    for (int i = 0; i < rows; i++) {
                        double dot = 0;
                        for (int j = 0; j < n; j++) dot += gd[i * n + j] * d[i * n + j];
                        for (int j = 0; j < n; j++) r[i * n + j] = (float) (d[i * n + j] * (gd[i * n + j] - dot));
                    }
                    return new Tensor[]{Tensor.of(r, x.shape())};
                }
            });
        }
        return out;
    }

    private static Tensor logSoftmaxLast(Tensor x) {
        int n = x.size(-1);
        float[] d = x.toFloatArray();
        int rows = n == 0 ? 0 : d.length / n;
        dev.genai4j.tensor.kernels.Softmax.logSoftmaxRows(d, rows, n);
        Tensor out = Tensor.of(d, x.shape());
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("log_softmax", x) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] r = new float[gd.length];
                    for (int i = 0; i < rows; i++) {
                        double s = 0;
                        for (int j = 0; j < n; j++) s += gd[i * n + j];
                        for (int j = 0; j < n; j++) r[i * n + j] = (float) (gd[i * n + j] - Math.exp(d[i * n + j]) * s);
                    }
                    return new Tensor[]{Tensor.of(r, x.shape())};
                }
            });
        }
        return out;
    }

    static Tensor cumsum(Tensor x, int axis) {
        return alongLastAxis(x, axis, Reductions::cumsumLast);
    }

    private static Tensor cumsumLast(Tensor x) {
        int n = x.size(-1);
        float[] d = x.toFloatArray();
        int rows = n == 0 ? 0 : d.length / n;
        for (int i = 0; i < rows; i++) {
            double acc = 0;
            for (int j = 0; j < n; j++) { acc += d[i * n + j]; d[i * n + j] = (float) acc; }
        }
        Tensor out = Tensor.of(d, x.shape());
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("cumsum", x) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] r = new float[gd.length];
                    for (int i = 0; i < rows; i++) {
                        double acc = 0;
                        for (int j = n - 1; j >= 0; j--) { acc += gd[i * n + j]; r[i * n + j] = (float) acc; }
                    }
                    return new Tensor[]{Tensor.of(r, x.shape())};
                }
            });
        }
        return out;
    }

    static TopK topk(Tensor x, int k, int axis) {
        int a = Shapes.axis(axis, x.dim(), "topk");
        int n = x.shape()[a];
        if (k < 0 || k > n) throw new ShapeException("topk: k=" + k + " but axis " + a + " has size " + n);
        Tensor idx;
        try (var g = NoGrad.enter()) {
            Tensor moved = x.detach().transpose(a, -1);
            float[] d = moved.toFloatArray();
            int rows = n == 0 ? 0 : d.length / n;
            float[] o = new float[rows * k];
            Integer[] order = new Integer[n];
            for (int i = 0; i < rows; i++) {
                int base = i * n;
                for (int j = 0; j < n; j++) order[j] = j;
                Arrays.sort(order, (p, q) -> {
                    int c = Float.compare(d[base + q], d[base + p]);   // descending, NaN first like torch
                    return c != 0 ? c : Integer.compare(p, q);
                });
                for (int j = 0; j < k; j++) o[i * k + j] = order[j];
            }
            int[] ms = moved.shape();
            ms[ms.length - 1] = k;
            idx = Tensor.of(o, ms).transpose(a, -1).contiguous();
        }
        return new TopK(x.gather(a, idx), idx);
    }

    /** Sums {@code g} down to {@code shape} (undoing broadcasting). */
    static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        int cnt = 0;
        int[] axes = new int[gs.length];
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) axes[cnt++] = i;
        }
        Tensor s = sum(g, Arrays.copyOf(axes, cnt), true);
        return s.reshape(shape);
    }
}
