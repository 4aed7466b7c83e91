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

    /** Python slice semantics: negative bounds count from the end, out-of-range bounds clamp (an empty result, never an error). */
    static Tensor slice(Tensor x, int axis, int start, int end) {
        int a = Shapes.axis(axis, x.dim(), "slice");
        int n = x.shape()[a];
        int s = start < 0 ? Math.max(start + n, 0) : Math.min(start, n);
        int e = end < 0 ? Math.max(end + n, 0) : Math.min(end, n);
        return narrow(x, a, s, Math.max(e - s, 0));
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

    /** A view with a new size-1 axis (no copy, even for strided input). */
    static Tensor unsqueeze(Tensor x, int axis) {
        int r = x.dim() + 1;
        int a = Shapes.axis(axis, r, "unsqueeze");
        int[] shape = x.shape(), strides = x.strides();
        int[] ns = new int[r], st = new int[r];
        for (int i = 0, k = 0; i < r; i++) {
            if (i == a) {
                ns[i] = 1;
                st[i] = k < shape.length ? strides[k] * Math.max(shape[k], 1) : 1;
            } else {
                ns[i] = shape[k];
                st[i] = strides[k++];
            }
        }
        Tensor out = new Tensor(x.storage(), ns, st, x.offset());
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("unsqueeze", x) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{g.squeeze(a)}; }
            });
        }
        return out;
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

    /** A copy with the order of elements reversed along each of {@code axes}, as {@code torch.flip}. */
    static Tensor flip(Tensor x, int[] axes) {
        int[] ax = Reductions.normAxes(axes, x.dim(), "flip");
        int[] shape = x.shape(), st = x.strides();
        int off = x.offset();
        for (int a : ax) {
            if (shape[a] > 0) off += (shape[a] - 1) * st[a];
            st[a] = -st[a];
        }
        float[] d = x.numel() == 0 ? new float[0] : new Tensor(x.storage(), shape, st, off).toFloatArray();
        Tensor out = Tensor.of(d, shape);
        if (Autograd.recording(x)) {
            Autograd.record(out, new GradFn("flip", x) {
                @Override public Tensor[] backward(Tensor g) { return new Tensor[]{flip(g, ax)}; }
            });
        }
        return out;
    }

    /**
     * Each slice along {@code axis} repeated {@code repeats} times in place, as
     * {@code torch.repeat_interleave(x, repeats, dim)}: [a, b] → [a, a, b, b]. Built from views,
     * so its backward (summing the copies) comes from expand.
     */
    static Tensor repeatInterleave(Tensor x, int repeats, int axis) {
        int a = Shapes.axis(axis, x.dim(), "repeatInterleave");
        if (repeats < 0) throw new TensorException("repeatInterleave: repeats must be >= 0, got " + repeats);
        int[] shape = x.shape();
        int[] expanded = new int[shape.length + 1];
        for (int i = 0, k = 0; i < expanded.length; i++) expanded[i] = i == a + 1 ? repeats : shape[k++];
        int[] merged = shape.clone();
        merged[a] = shape[a] * repeats;
        return x.unsqueeze(a + 1).expand(expanded).reshape(merged);
    }

    /**
     * The whole tensor tiled {@code repeats[i]} times along axis i, as {@code torch.Tensor.repeat}
     * (extra leading repeats add axes): [a, b].repeat(2) → [a, b, a, b].
     */
    static Tensor repeat(Tensor x, int[] repeats) {
        if (repeats.length < x.dim()) {
            throw new ShapeException("repeat: " + repeats.length + " repeat counts for a tensor of rank " + x.dim());
        }
        int r = repeats.length, lead = r - x.dim();
        int[] shape = x.shape();
        int[] inter = new int[2 * r], expanded = new int[2 * r], out = new int[r];
        for (int i = 0; i < r; i++) {
            if (repeats[i] < 0) throw new TensorException("repeat: negative count in " + Arrays.toString(repeats));
            int s = i < lead ? 1 : shape[i - lead];
            inter[2 * i] = 1;
            inter[2 * i + 1] = s;
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = s;
            out[i] = s * repeats[i];
        }
        return x.reshape(inter).expand(expanded).reshape(out);
    }

    /**
     * Constant padding as {@code torch.nn.functional.pad(x, pads, value=value)}: {@code pads} holds
     * (before, after) pairs starting from the last axis; negative amounts crop.
     */
    static Tensor pad(Tensor x, int[] pads, float value) {
        if (pads.length % 2 != 0 || pads.length / 2 > x.dim()) {
            throw new ShapeException("pad: " + Arrays.toString(pads) + " must be (before, after) pairs for at most "
                    + x.dim() + " axes of shape " + Arrays.toString(x.shape()));
        }
        int r = x.dim();
        Tensor src = x;
        int[] before = new int[r], after = new int[r];
        for (int p = 0; p < pads.length / 2; p++) {
            int a = r - 1 - p;
            before[a] = pads[2 * p];
            after[a] = pads[2 * p + 1];
            int n = src.shape()[a];
            int cropL = Math.max(0, -before[a]), cropR = Math.max(0, -after[a]);
            if (cropL + cropR > n) {
                throw new ShapeException("pad: " + Arrays.toString(pads) + " crops more than axis " + a + " of shape "
                        + Arrays.toString(x.shape()) + " holds");
            }
            if (cropL + cropR > 0) src = src.narrow(a, cropL, n - cropL - cropR);
        }
        int[] inner = src.shape();
        int[] outShape = inner.clone();
        for (int a = 0; a < r; a++) outShape[a] += Math.max(0, before[a]) + Math.max(0, after[a]);
        Tensor out = Tensor.full(value, outShape);
        Tensor window = out;
        for (int a = 0; a < r; a++) window = window.narrow(a, Math.max(0, before[a]), inner[a]);
        copyInto(src, window);
        if (Autograd.recording(src)) {
            Autograd.record(out, new GradFn("pad", src) {
                @Override public Tensor[] backward(Tensor g) {
                    Tensor w = g;
                    for (int a = 0; a < r; a++) w = w.narrow(a, Math.max(0, before[a]), inner[a]);
                    return new Tensor[]{w.contiguous()};
                }
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
        StridedIndex.write(src.data(), dst.storage(), dst.shape(), dst.strides(), dst.offset());
    }
}
