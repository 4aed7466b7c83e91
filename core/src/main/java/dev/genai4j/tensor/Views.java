package dev.genai4j.tensor;

import java.util.Arrays;

/** Shape and stride views (sharing storage) and the contiguous copy, each with its backward. */
final class Views {
    private Views() {}

    static int[] resolveShape(int[] newShape, int numel, String op) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new ShapeException(op + ": only one -1 allowed in " + Arrays.toString(newShape));
                infer = i;
            } else if (s[i] < 0) {
                throw new ShapeException(op + ": negative size in " + Arrays.toString(newShape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new ShapeException(op + ": cannot infer -1 in " + Arrays.toString(newShape) + " for " + numel + " elements");
            }
            s[infer] = (int) (numel / known);
        }
        if (Shapes.numel(s) != numel) {
            throw new ShapeException(op + ": shape " + Arrays.toString(newShape) + " does not hold " + numel + " elements");
        }
        return s;
    }

    static Tensor reshape(Tensor x, int[] newShape) {
        int[] s = resolveShape(newShape, x.numel(), "reshape");
        Tensor src = x.isContiguous() ? x : copy(x);
        Tensor out = new Tensor(src.storage(), s, Shapes.contiguousStrides(s), src.offset());
        if (Autograd.recording(src)) {
            int[] inShape = src.shape();
            Autograd.record(out, new GradFn("reshape", src) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g.reshape(inShape)}; }
            });
        }
        return out;
    }

    static Tensor flatten(Tensor x, int from, int to) {
        int r = x.dim();
        if (r == 0) return reshape(x, new int[]{1});
        int f = Shapes.axis(from, r, "flatten"), t = Shapes.axis(to, r, "flatten");
        int[] shape = x.shape();
        int[] out = new int[r - (t - f)];
        int k = 0;
        for (int i = 0; i < f; i++) out[k++] = shape[i];
        int prod = 1;
        for (int i = f; i <= t; i++) prod *= shape[i];
        out[k++] = prod;
        for (int i = t + 1; i < r; i++) out[k++] = shape[i];
        return reshape(x, out);
    }

    static Tensor permute(Tensor x, int[] order) {
        int r = x.dim();
        if (order.length != r) throw new ShapeException("permute: order " + Arrays.toString(order) + " for rank " + r);
        int[] shape = x.shape(), strides = x.strides();
        int[] ns = new int[r], nst = new int[r], inverse = new int[r];
        boolean[] used = new boolean[r];
        for (int i = 0; i < r; i++) {
            int a = Shapes.axis(order[i], r, "permute");
            if (used[a]) throw new ShapeException("permute: axis " + a + " repeated in " + Arrays.toString(order));
            used[a] = true;
            ns[i] = shape[a];
            nst[i] = strides[a];
            inverse[a] = i;
        }
        Tensor out = new Tensor(x.storage(), ns, nst, x.offset());
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("permute", x) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g.permute(inverse)}; }
            });
        }
        return out;
    }

    static Tensor transpose(Tensor x, int a, int b) {
        int r = x.dim();
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = i;
        int aa = Shapes.axis(a, r, "transpose"), bb = Shapes.axis(b, r, "transpose");
        order[aa] = bb;
        order[bb] = aa;
        return permute(x, order);
    }

    static Tensor narrow(Tensor x, int axis, int start, int length) {
        int a = Shapes.axis(axis, x.dim(), "narrow");
        int[] shape = x.shape(), strides = x.strides();
        if (start < 0 || length < 0 || start + length > shape[a]) {
            throw new IndexOutOfRangeException("narrow: [" + start + ", " + (start + length) + ") outside axis " + a
                    + " of size " + shape[a] + " (shape " + Arrays.toString(shape) + ")");
        }
        int[] ns = shape.clone();
        ns[a] = length;
        Tensor out = new Tensor(x.storage(), ns, strides, x.offset() + start * strides[a]);
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("narrow", x) {
                @Override public Tensor[] backward(Tensor g) {
                    Tensor full = Tensor.zeros(shape);
                    copyInto(g, full.narrow(a, start, length));
                    return new Tensor[]{full};
                }
            });
        }
        return out;
    }

    static Tensor slice(Tensor x, int axis, int start, int end) {
        int a = Shapes.axis(axis, x.dim(), "slice");
        int n = x.shape()[a];
        int s = start < 0 ? start + n : start, e = end < 0 ? end + n : Math.min(end, n);
        if (s < 0 || s > n || e < s) {
            throw new IndexOutOfRangeException("slice: [" + start + ", " + end + ") invalid for axis " + a + " of size " + n);
        }
        return narrow(x, a, s, e - s);
    }

    static Tensor select(Tensor x, int axis, int index) {
        int a = Shapes.axis(axis, x.dim(), "select");
        int n = x.shape()[a];
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) throw new IndexOutOfRangeException("select: index " + index + " outside axis " + a + " of size " + n);
        return squeeze(narrow(x, a, i, 1), a);
    }

    static Tensor expand(Tensor x, int[] newShape) {
        int r = newShape.length, off = r - x.dim();
        if (off < 0) throw new ShapeException("expand: cannot expand shape " + Arrays.toString(x.shape()) + " to " + Arrays.toString(newShape));
        int[] shape = x.shape(), strides = x.strides();
        int[] ns = new int[r], nst = new int[r];
        for (int i = 0; i < r; i++) {
            int target = newShape[i];
            if (i < off) {
                if (target < 0) throw new ShapeException("expand: -1 not allowed for a new leading axis");
                ns[i] = target;
                nst[i] = 0;
            } else {
                int d = shape[i - off];
                if (target == -1) target = d;
                if (d != target && d != 1) {
                    throw new ShapeException("expand: cannot expand shape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
                }
                ns[i] = target;
                nst[i] = d == target ? strides[i - off] : 0;
            }
        }
        Tensor out = new Tensor(x.storage(), ns, nst, x.offset());
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("expand", x) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{Reductions.sumToShape(g, shape)}; }
            });
        }
        return out;
    }

    static Tensor unsqueeze(Tensor x, int axis) {
        int r = x.dim() + 1;
        int a = Shapes.axis(axis, r, "unsqueeze");
        int[] shape = x.shape();
        int[] ns = new int[r];
        for (int i = 0, k = 0; i < r; i++) ns[i] = i == a ? 1 : shape[k++];
        return reshape(x, ns);
    }

    static Tensor squeeze(Tensor x, int axis) {
        int a = Shapes.axis(axis, x.dim(), "squeeze");
        int[] shape = x.shape();
        if (shape[a] != 1) throw new ShapeException("squeeze: axis " + a + " has size " + shape[a] + ", not 1");
        int[] ns = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        int[] strides = x.strides();
        for (int i = 0, k = 0; i < shape.length; i++) if (i != a) { ns[k] = shape[i]; st[k++] = strides[i]; }
        Tensor out = new Tensor(x.storage(), ns, st, x.offset());
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("squeeze", x) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g.reshape(shape)}; }
            });
        }
        return out;
    }

    static Tensor copy(Tensor x) {
        Tensor out = Tensor.of(x.toFloatArray(), x.shape());
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("copy", x) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g}; }
            });
        }
        return out;
    }

    /** Writes the values of {@code src} into the (writable, same-shape) view {@code dst}; no autograd. */
    static void copyInto(Tensor src, Tensor dst) {
        if (!Arrays.equals(src.shape(), dst.shape())) {
            throw ShapeException.of("copyInto", "shape " + Arrays.toString(dst.shape()), src.shape());
        }
        float[] v = src.data();
        int[] offs = StridedIndex.offsets(dst.shape(), dst.strides(), dst.offset());
        Storage s = dst.storage();
        if (s instanceof FloatStorage fs) {
            float[] a = fs.array();
            for (int i = 0; i < v.length; i++) a[offs[i]] = v[i];
        } else {
            for (int i = 0; i < v.length; i++) s.set(offs[i], v[i]);
        }
    }
}
