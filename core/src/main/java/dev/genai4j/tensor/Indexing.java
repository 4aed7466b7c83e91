package dev.genai4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** gather / scatter-add / index-select and cat / stack / split, each with its backward. */
final class Indexing {
    private Indexing() {}

    private static int checkedIndex(float v, int size, String op, int axis) {
        int i = (int) v;
        if (i != v || i < 0 || i >= size) {
            throw new IndexOutOfRangeException(op + ": index " + v + " out of range for axis " + axis + " of size " + size);
        }
        return i;
    }

    /** Index arithmetic shared by gather and scatter: for each position of {@code index}, the flat offset into a dense tensor of {@code shape} along {@code axis}. */
    private static int[] gatherOffsets(int[] shape, int axis, Tensor index, String op) {
        return gatherOffsets(shape, Shapes.contiguousStrides(shape), 0, axis, index, op);
    }

    /** As above, into a layout with the given strides and offset (reads a strided input in place). */
    private static int[] gatherOffsets(int[] shape, int[] st, int base, int axis, Tensor index, String op) {
        int[] is = index.shape();
        if (is.length != shape.length) {
            throw new ShapeException(op + ": index of shape " + Arrays.toString(is) + " must have the rank of the input "
                    + Arrays.toString(shape));
        }
        for (int d = 0; d < is.length; d++) {
            if (d != axis && is[d] > shape[d]) {
                throw new ShapeException(op + ": index shape " + Arrays.toString(is) + " exceeds input shape "
                        + Arrays.toString(shape) + " at axis " + d);
            }
        }
        float[] idx = index.data();
        int[] out = new int[idx.length];
        int[] counter = new int[is.length];
        for (int p = 0; p < idx.length; p++) {
            int off = base;
            for (int d = 0; d < is.length; d++) {
                off += (d == axis ? checkedIndex(idx[p], shape[axis], op, axis) : counter[d]) * st[d];
            }
            out[p] = off;
            for (int d = is.length - 1; d >= 0; d--) {
                if (++counter[d] < is[d]) break;
                counter[d] = 0;
            }
        }
        return out;
    }

    static Tensor gather(Tensor x, int axis, Tensor index) {
        int a = Shapes.axis(axis, x.dim(), "gather");
        int[] shape = x.shape();
        // read x where it lies (a strided view, a memory-mapped table) instead of copying all of it
        int[] src = gatherOffsets(shape, x.strides(), x.offset(), a, index, "gather");
        float[] o = new float[src.length];
        if (x.storage() instanceof FloatStorage fs) {
            float[] d = fs.array();
            for (int p = 0; p < src.length; p++) o[p] = d[src[p]];
        } else {
            for (int p = 0; p < src.length; p++) o[p] = x.storage().get(src[p]);
        }
        Tensor out = Tensor.of(o, index.shape());
        if (Autograd.recording(x)) {
            int[] offs = gatherOffsets(shape, a, index, "gather");
            Autograd.record(out, new GradFn("gather", x) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] r = new float[Shapes.numel(shape)];
                    for (int p = 0; p < offs.length; p++) r[offs[p]] += gd[p];
                    return new Tensor[]{Tensor.of(r, shape)};
                }
            });
        }
        return out;
    }

    static Tensor scatterAdd(Tensor x, int axis, Tensor index, Tensor src) {
        int a = Shapes.axis(axis, x.dim(), "scatterAdd");
        if (!Arrays.equals(index.shape(), src.shape())) {
            throw ShapeException.of("scatterAdd", "src of the index's shape " + Arrays.toString(index.shape()), src.shape());
        }
        int[] shape = x.shape();
        int[] offs = gatherOffsets(shape, a, index, "scatterAdd");
        float[] o = x.toFloatArray();
        float[] s = src.data();
        for (int p = 0; p < offs.length; p++) o[offs[p]] += s[p];
        Tensor out = Tensor.of(o, shape);
        if (Autograd.recording(x, src)) {
            Autograd.record(out, new GradFn("scatter_add", x, src) {
                @Override public Tensor[] backward(Tensor g) {
                    Tensor gs = null;
                    if (needs(1)) {
                        float[] gd = g.data();
                        float[] r = new float[offs.length];
                        for (int p = 0; p < offs.length; p++) r[p] = gd[offs[p]];
                        gs = Tensor.of(r, index.shape());
                    }
                    return new Tensor[]{g, gs};
                }
            });
        }
        return out;
    }

    static Tensor indexSelect(Tensor x, int axis, Tensor index) {
        int a = Shapes.axis(axis, x.dim(), "indexSelect");
        if (index.dim() != 1) throw ShapeException.of("indexSelect", "a 1-d index", index.shape());
        int[] shape = x.shape();
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
        int n = shape[a];
        float[] idxf = index.data();
        int[] idx = new int[idxf.length];
        for (int i = 0; i < idx.length; i++) idx[i] = checkedIndex(idxf[i], n, "indexSelect", a);
        int[] outShape = shape.clone();
        outShape[a] = idx.length;
        float[] o = new float[outer * idx.length * inner];
        Storage s = x.storage();
        if (x.isContiguous()) {
            long base0 = x.offset();
            if (s instanceof FloatStorage fs) {
                float[] d = fs.array();
                for (int p = 0; p < outer; p++)
                    for (int q = 0; q < idx.length; q++)
                        System.arraycopy(d, (int) (base0 + ((long) p * n + idx[q]) * inner), o, (p * idx.length + q) * inner, inner);
            } else {
                // e.g. a bf16 embedding table, memory-mapped: convert only the rows we use
                for (int p = 0; p < outer; p++)
                    for (int q = 0; q < idx.length; q++) {
                        long src = base0 + ((long) p * n + idx[q]) * inner;
                        int dst = (p * idx.length + q) * inner;
                        for (int j = 0; j < inner; j++) o[dst + j] = s.get(src + j);
                    }
            }
        } else {
            float[] d = x.data();
            for (int p = 0; p < outer; p++)
                for (int q = 0; q < idx.length; q++)
                    System.arraycopy(d, (p * n + idx[q]) * inner, o, (p * idx.length + q) * inner, inner);
        }
        Tensor out = Tensor.of(o, outShape);
        if (Autograd.recording(x)) {
            int fo = outer, fi = inner;
            Autograd.record(out, new GradFn("index_select", x) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] r = new float[Shapes.numel(shape)];
                    for (int p = 0; p < fo; p++)
                        for (int q = 0; q < idx.length; q++) {
                            int src = (p * idx.length + q) * fi, dst = (p * n + idx[q]) * fi;
                            for (int j = 0; j < fi; j++) r[dst + j] += gd[src + j];
                        }
                    return new Tensor[]{Tensor.of(r, shape)};
                }
            });
        }
        return out;
    }

    static Tensor cat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) throw new ShapeException("cat: no tensors given");
        Tensor first = parts.get(0);
        int a = Shapes.axis(axis, first.dim(), "cat");
        int[] shape = first.shape();
        int total = 0;
        for (Tensor t : parts) {
            int[] s = t.shape();
            if (s.length != shape.length) throw new ShapeException("cat: ranks differ: " + Arrays.toString(shape) + " and " + Arrays.toString(s));
            for (int d = 0; d < s.length; d++) {
                if (d != a && s[d] != shape[d]) {
                    throw new ShapeException("cat along " + a + ": shapes " + Arrays.toString(shape) + " and " + Arrays.toString(s) + " differ at axis " + d);
                }
            }
            total += s[a];
        }
        int[] outShape = shape.clone();
        outShape[a] = total;
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
        float[] o = new float[outer * total * inner];
        int at = 0;
        int[] starts = new int[parts.size()];
        for (int t = 0; t < parts.size(); t++) {
            Tensor part = parts.get(t);
            int len = part.shape()[a];
            float[] d = part.data();
            for (int p = 0; p < outer; p++) System.arraycopy(d, p * len * inner, o, (p * total + at) * inner, len * inner);
            starts[t] = at;
            at += len;
        }
        Tensor out = Tensor.of(o, outShape);
        Tensor[] ins = parts.toArray(new Tensor[0]);
        if (Autograd.recording(ins)) {
            Autograd.record(out, new GradFn("cat", ins) {
                @Override public Tensor[] backward(Tensor g) {
                    Tensor[] r = new Tensor[ins.length];
                    for (int t = 0; t < ins.length; t++) {
                        if (needs(t)) r[t] = g.narrow(a, starts[t], ins[t].shape()[a]).contiguous();
                    }
                    return r;
                }
            });
        }
        return out;
    }

    static Tensor stack(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) throw new ShapeException("stack: no tensors given");
        int a = Shapes.axis(axis, parts.get(0).dim() + 1, "stack");
        List<Tensor> us = new ArrayList<>(parts.size());
        int[] shape = parts.get(0).shape();
        for (Tensor t : parts) {
            if (!Arrays.equals(t.shape(), shape)) {
                throw new ShapeException("stack: shapes differ: " + Arrays.toString(shape) + " and " + Arrays.toString(t.shape()));
            }
            us.add(t.unsqueeze(a));
        }
        return cat(us, a);
    }

    static List<Tensor> split(Tensor x, int[] sizes, int axis) {
        int a = Shapes.axis(axis, x.dim(), "split");
        int sum = 0;
        for (int s : sizes) sum += s;
        if (sum != x.shape()[a]) {
            throw new ShapeException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum + ", axis " + a + " has " + x.shape()[a]);
        }
        List<Tensor> out = new ArrayList<>(sizes.length);
        int at = 0;
        for (int s : sizes) {
            out.add(x.narrow(a, at, s));
            at += s;
        }
        return out;
    }

    /**
     * Splits into at most {@code n} parts along {@code axis}, as {@code torch.chunk}: each part
     * has ceil(size / n) elements, the last one fewer when the size does not divide.
     */
    static List<Tensor> chunk(Tensor x, int n, int axis) {
        int a = Shapes.axis(axis, x.dim(), "chunk");
        if (n <= 0) throw new TensorException("chunk: number of chunks must be positive, got " + n);
        int len = x.shape()[a];
        if (len == 0) return List.of(x.narrow(a, 0, 0));
        int step = (len + n - 1) / n;
        int parts = (len + step - 1) / step;
        int[] sizes = new int[parts];
        for (int i = 0; i < parts; i++) sizes[i] = Math.min(step, len - i * step);
        return split(x, sizes, a);
    }
}
