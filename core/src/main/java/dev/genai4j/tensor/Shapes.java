package dev.genai4j.tensor;

import java.util.Arrays;

/** Shape arithmetic: element counts, contiguous strides, broadcasting, axis normalization. */
public final class Shapes {
    private Shapes() {}

    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new ShapeException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new ShapeException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements; a computed tensor holds at most 2^31 - 9");
        }
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    /** Normalizes a possibly negative axis against {@code rank}. */
    public static int axis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op + ": axis " + axis + " out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** NumPy broadcasting of two shapes. */
    public static int[] broadcast(int[] a, int[] b, String op) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides for reading {@code t} as if expanded to {@code target} (0 where broadcast). */
    public static int[] broadcastStrides(Tensor t, int[] target) {
        int[] shape = t.shape(), strides = t.strides();
        int off = target.length - shape.length;
        int[] s = new int[target.length];
        for (int i = 0; i < target.length; i++) {
            if (i < off) continue;
            s[i] = shape[i - off] == 1 && target[i] != 1 ? 0 : strides[i - off];
        }
        return s;
    }

    public static String str(int[] shape) { return Arrays.toString(shape); }
}
