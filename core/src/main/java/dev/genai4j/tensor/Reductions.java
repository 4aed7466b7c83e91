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
        int[][] shapes = reducedShapes(shape, axes, keepDim);
        return new Blocks(data, outer, inner, shapes[0], shapes[1]);
    }

    static Tensor sum(Tensor x, int[] axesIn, boolean keepDim) {
        int[] axes = normAxes(axesIn, x.dim(), "sum");
        Blocks b = sumOverAxisBlock(x, axes, keepDim);
        float[] o;
        if (b != null) {
            o = b.data;
        } else {
            b = blocks(x, axes, keepDim);
            o = new float[b.outer];
            for (int i = 0; i < b.outer; i++) {
                double s = 0;   // double accumulation: long sums stay exact enough to match references
                int base = i * b.inner;
                for (int j = 0; j < b.inner; j++) s += b.data[base + j];
                o[i] = (float) s;
            }
        }
        Blocks fb = b;
        Tensor out = Tensor.of(o, b.outShape);
        if (Autograd.recording(x)) {
            int[] inShape = x.shape();
            Autograd.record(out, new GradFn("sum", x) {
                @Override public Tensor[] backward(Tensor g) {
                    return new Tensor[]{g.reshape(fb.keptShape).expand(inShape).contiguous()};
                }
            });
        }
        return out;
    }

    /**
     * Sum over a run of adjacent axes of contiguous data, without the transposing copy that
     * {@link #blocks} makes: [pre, red, post] accumulates rows of length post (bias gradients
     * reduce [B·T, D] to [D] this way). Returns the sums in {@code data}, or null when the axes
     * are not adjacent or the data is strided.
     */
    private static Blocks sumOverAxisBlock(Tensor x, int[] axes, boolean keepDim) {
        if (axes.length == 0 || !x.isContiguous()) return null;
        for (int i = 1; i < axes.length; i++) if (axes[i] != axes[i - 1] + 1) return null;
        int[] shape = x.shape();
        int first = axes[0], last = axes[axes.length - 1];
        int pre = 1, red = 1, post = 1;
        for (int i = 0; i < first; i++) pre *= shape[i];
        for (int i = first; i <= last; i++) red *= shape[i];
        for (int i = last + 1; i < shape.length; i++) post *= shape[i];
        if (post == 1) return null;      // the plain row loop is already sequential
        float[] d = x.data();
        float[] o = new float[pre * post];
        double[] acc = new double[post];
        for (int p = 0; p < pre; p++) {
            java.util.Arrays.fill(acc, 0);
            for (int r = 0; r < red; r++) {
                int base = (p * red + r) * post;
                for (int q = 0; q < post; q++) acc[q] += d[base + q];
            }
            for (int q = 0; q < post; q++) o[p * post + q] = (float) acc[q];
        }
        int[][] shapes = reducedShapes(shape, axes, keepDim);
        return new Blocks(o, pre * post, red, shapes[0], shapes[1]);
    }

    /** {outShape, keptShape} of a reduction over {@code axes} (normalized). */
    private static int[][] reducedShapes(int[] shape, int[] axes, boolean keepDim) {
        int r = shape.length;
        boolean[] red = new boolean[r];
        for (int a : axes) red[a] = true;
        int[] keepShape = shape.clone();
        for (int a : axes) keepShape[a] = 1;
        if (keepDim) return new int[][]{keepShape, keepShape};
        int[] outShape = new int[r - axes.length];
        for (int i = 0, j = 0; i < r; i++) if (!red[i]) outShape[j++] = shape[i];
        return new int[][]{outShape, keepShape};
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
        // n − 1 = 0 gives NaN (0/0), as torch.var of one element
        return sum(centered.square(), ax, keepDim).div((float) (unbiased ? n - 1 : n));
    }

    static Tensor std(Tensor x, int[] axes, boolean unbiased, boolean keepDim) {
        return var(x, axes, unbiased, keepDim).sqrt();
    }

    static Tensor max(Tensor x, int[] axes, boolean keepDim) { return extreme(x, axes, keepDim, true); }

    static Tensor min(Tensor x, int[] axes, boolean keepDim) { return extreme(x, axes, keepDim, false); }

    /** amax / amin: NaN propagates; the gradient is shared evenly among tied extremes. */
    private static Tensor extreme(Tensor x, int[] axesIn, boolean keepDim, boolean largest) {
        String op = largest ? "max" : "min";
        int[] axes = normAxes(axesIn, x.dim(), op);
        Blocks b = blocks(x, axes, keepDim);
        if (b.inner == 0) throw new ShapeException(op + ": reduction over an empty axis of shape " + Arrays.toString(x.shape()));
        float[] o = new float[b.outer];
        for (int i = 0; i < b.outer; i++) {
            float m = largest ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            int base = i * b.inner;
            for (int j = 0; j < b.inner; j++) {
                float v = b.data[base + j];
                if ((largest ? v > m : v < m) || Float.isNaN(v)) m = v;
                if (Float.isNaN(m)) break;
            }
            o[i] = m;
        }
        Tensor out = Tensor.of(o, b.outShape);
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn(op, x) {
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

    static Tensor argmax(Tensor x, int axis, boolean keepDim) { return argBest(x, axis, keepDim, true); }

    static Tensor argmin(Tensor x, int axis, boolean keepDim) { return argBest(x, axis, keepDim, false); }

    /** First index of the largest (or smallest) value; a NaN wins over numbers, as torch.argmax / argmin. */
    private static Tensor argBest(Tensor x, int axis, boolean keepDim, boolean largest) {
        String op = largest ? "argmax" : "argmin";
        int a = Shapes.axis(axis, x.dim(), op);
        if (x.shape()[a] == 0) throw new ShapeException(op + ": axis " + a + " of shape " + Arrays.toString(x.shape()) + " is empty");
        Blocks b = blocks(x, new int[]{a}, keepDim);
        float[] o = new float[b.outer];
        for (int i = 0; i < b.outer; i++) {
            int base = i * b.inner, best = 0;
            float m = b.data[base];
            for (int j = 1; j < b.inner; j++) {
                float v = b.data[base + j];
                if ((largest ? v > m : v < m) || (Float.isNaN(v) && !Float.isNaN(m))) { m = v; best = j; }
            }
            o[i] = best;
        }
        return Tensor.of(o, b.outShape);
    }

    /** log Σ exp along an axis in one pass per row (max-shifted); a row of −∞ gives −∞, as torch. */
    static Tensor logSumExp(Tensor x, int axis, boolean keepDim) {
        int a = Shapes.axis(axis, x.dim(), "logSumExp");
        Tensor r = alongLastAxis(x, a, "logSumExp", Reductions::logSumExpLast);   // keepDim shape
        return keepDim ? r : r.squeeze(a);
    }

    private static Tensor logSumExpLast(Tensor x) {
        int n = x.size(-1);
        float[] d = x.data();
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = 1;
        int rows = Shapes.numel(outShape);
        float[] o = new float[rows];
        for (int i = 0; i < rows; i++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) m = Math.max(m, d[i * n + j]);      // NaN propagates
            if (Float.isInfinite(m) || Float.isNaN(m)) { o[i] = m; continue; }
            double s = 0;
            for (int j = 0; j < n; j++) s += Math.exp(d[i * n + j] - m);
            o[i] = (float) (m + Math.log(s));
        }
        Tensor out = Tensor.of(o, outShape);
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("logsumexp", x) {
                @Override public Tensor[] backward(Tensor g) {
                    // d/dx_j = exp(x_j − lse): the softmax of the row
                    float[] gd = g.data();
                    float[] r = new float[d.length];
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < n; j++) r[i * n + j] = (float) (gd[i] * Math.exp(d[i * n + j] - o[i]));
                    }
                    return new Tensor[]{Tensor.of(r, x.shape())};
                }
            });
        }
        return out;
    }

    /** Runs {@code body} on the tensor with {@code axis} moved last (contiguous), moves back. */
    private static Tensor alongLastAxis(Tensor x, int axis, String op, java.util.function.Function<Tensor, Tensor> body) {
        int a = Shapes.axis(axis, x.dim(), op);
        int last = x.dim() - 1;
        if (a == last) return body.apply(x);
        return body.apply(x.transpose(a, last)).transpose(a, last).contiguous();
    }

    static Tensor softmax(Tensor x, int axis) {
        return alongLastAxis(x, axis, "softmax", Reductions::softmaxLast);
    }

    static Tensor logSoftmax(Tensor x, int axis) {
        return alongLastAxis(x, axis, "logSoftmax", Reductions::logSoftmaxLast);
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
                    // rows are independent: split large tensors over threads (same per-row arithmetic, same bits)
                    Parallel.forRange(rows, ElementwiseLoops.rowGrain(n), (from, to) -> {
                        for (int i = from; i < to; i++) {
                            double dot = 0;
                            for (int j = 0; j < n; j++) dot += gd[i * n + j] * d[i * n + j];
                            for (int j = 0; j < n; j++) r[i * n + j] = (float) (d[i * n + j] * (gd[i * n + j] - dot));
                        }
                    });
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
                    Parallel.forRange(rows, ElementwiseLoops.rowGrain(n), (from, to) -> {
                        for (int i = from; i < to; i++) {
                            double s = 0;
                            for (int j = 0; j < n; j++) s += gd[i * n + j];
                            for (int j = 0; j < n; j++) r[i * n + j] = (float) (gd[i * n + j] - Math.exp(d[i * n + j]) * s);
                        }
                    });
                    return new Tensor[]{Tensor.of(r, x.shape())};
                }
            });
        }
        return out;
    }

    static Tensor cumsum(Tensor x, int axis) {
        return alongLastAxis(x, axis, "cumsum", Reductions::cumsumLast);
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
        Tensor idx = orderIndices(x, a, k, true);
        return new TopK(x.gather(a, idx), idx);
    }

    static Sorted sort(Tensor x, int axis, boolean descending) {
        int a = Shapes.axis(axis, x.dim(), "sort");
        Tensor idx = orderIndices(x, a, x.shape()[a], descending);
        return new Sorted(x.gather(a, idx), idx);
    }

    /**
     * Indices of the first {@code k} elements along axis {@code a} in sorted order (ties by lower
     * index, NaN largest, −0 equal to +0). Sorts primitive keys: no boxing; a bounded heap
     * when k is small (top-k sampling over a vocabulary).
     */
    private static Tensor orderIndices(Tensor x, int a, int k, boolean descending) {
        int n = x.shape()[a];
        try (var g = NoGrad.enter()) {
            Tensor moved = x.detach().transpose(a, -1);
            float[] d = moved.toFloatArray();
            int rows = n == 0 ? 0 : d.length / n;
            float[] o = new float[rows * k];
            long[] keys = new long[n];
            long[] heap = new long[k];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) keys[j] = sortKey(d[i * n + j], j, descending);
                if ((long) k * 16 < n) {
                    smallestK(keys, heap);
                    for (int j = 0; j < k; j++) o[i * k + j] = (int) heap[j];
                } else {
                    Arrays.sort(keys);
                    for (int j = 0; j < k; j++) o[i * k + j] = (int) keys[j];
                }
            }
            int[] ms = moved.shape();
            ms[ms.length - 1] = k;
            return Tensor.of(o, ms).transpose(a, -1).contiguous();
        }
    }

    /** A long whose signed order is the sort order: the value (NaN largest, −0 = +0), then the index. */
    static long sortKey(float v, int index, boolean descending) {
        if (Float.isNaN(v)) v = Float.NaN;
        if (v == 0f) v = 0f;
        int bits = Float.floatToRawIntBits(v);
        int ord = bits ^ ((bits >> 31) & 0x7FFFFFFF);   // monotone in v as a signed int
        if (descending) ord = ~ord;
        return ((long) ord << 32) | index;
    }

    /** The heap.length smallest keys, ascending, into heap (a max-heap while scanning). */
    private static void smallestK(long[] keys, long[] heap) {
        int k = heap.length;
        if (k == 0) return;
        System.arraycopy(keys, 0, heap, 0, k);
        for (int i = k / 2 - 1; i >= 0; i--) siftDown(heap, i, k);
        for (int j = k; j < keys.length; j++) {
            if (keys[j] < heap[0]) {
                heap[0] = keys[j];
                siftDown(heap, 0, k);
            }
        }
        Arrays.sort(heap);
    }

    private static void siftDown(long[] h, int i, int size) {
        while (true) {
            int l = 2 * i + 1, r = l + 1, big = i;
            if (l < size && h[l] > h[big]) big = l;
            if (r < size && h[r] > h[big]) big = r;
            if (big == i) return;
            long t = h[i];
            h[i] = h[big];
            h[big] = t;
            i = big;
        }
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
