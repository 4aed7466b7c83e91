package dev.genai4j.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: shape + strides + offset over a {@link Storage}, with an optional
 * autograd tape. Compute is fp32; storage may be fp32 on the heap or any {@link DType} over a
 * memory segment (memory-mapped weights). Views (reshape of contiguous data, permute,
 * transpose, narrow, expand) share storage; every other op returns a new contiguous fp32 tensor.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(new Rng(0), 4, 3).requiresGrad(true);
 * Tensor x = Tensor.of(new float[]{1, 2, 3}, 3);
 * Tensor loss = w.matmul(x).relu().sum();
 * loss.backward();                 // w.grad() now holds d loss / d w
 * }</pre>
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private boolean requiresGrad;
    private Tensor grad;
    private GradFn gradFn;

    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new ShapeException("shape " + Arrays.toString(shape) + " and strides " + Arrays.toString(strides) + " differ in rank");
        }
        this.storage = storage;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
        int n = Shapes.numel(shape);
        if (n > 0) {
            long max = offset, min = offset;   // negative strides (flip) reach below the offset
            for (int i = 0; i < shape.length; i++) {
                max += (long) (shape[i] - 1) * Math.max(strides[i], 0);
                min += (long) (shape[i] - 1) * Math.min(strides[i], 0);
            }
            if (min < 0 || max >= storage.length()) {
                throw new ShapeException("view of shape " + Arrays.toString(shape) + " strides " + Arrays.toString(strides)
                        + " offset " + offset + " reaches element " + max + " of a storage of " + storage.length());
            }
        }
    }

    // ---------------------------------------------------------------- creation

    /** A contiguous view of {@code storage} with the given shape. */
    public static Tensor wrap(Storage storage, int... shape) {
        if (Shapes.numel(shape) != storage.length()) {
            throw new ShapeException("storage of " + storage.length() + " elements cannot hold shape " + Arrays.toString(shape));
        }
        return new Tensor(storage, shape, Shapes.contiguousStrides(shape), 0);
    }

    /** Wraps {@code data} (not copied) as a contiguous fp32 tensor. */
    public static Tensor of(float[] data, int... shape) {
        if (Shapes.numel(shape) != data.length) {
            throw new ShapeException("Tensor.of: " + data.length + " values cannot fill shape " + Arrays.toString(shape));
        }
        return wrap(new FloatStorage(data), shape);
    }

    public static Tensor scalar(float v) { return of(new float[]{v}); }

    public static Tensor zeros(int... shape) { return of(new float[Shapes.numel(shape)], shape); }

    public static Tensor ones(int... shape) { return full(1f, shape); }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        Arrays.fill(d, value);
        return of(d, shape);
    }

    public static Tensor zerosLike(Tensor t) { return zeros(t.shape); }

    public static Tensor onesLike(Tensor t) { return ones(t.shape); }

    /** [start, end) stepping by {@code step}, like {@code torch.arange}. */
    public static Tensor arange(float start, float end, float step) { return Creation.arange(start, end, step); }

    public static Tensor arange(int end) { return Creation.arange(0, end, 1); }

    /** One-hot rows: {@code indices} of shape S gives shape S + [numClasses]. */
    public static Tensor oneHot(Tensor indices, int numClasses) { return Creation.oneHot(indices, numClasses); }

    public static Tensor rand(Rng rng, int... shape) { return Randoms.uniform(rng, 0f, 1f, shape); }

    public static Tensor randn(Rng rng, int... shape) { return Randoms.normal(rng, 0f, 1f, shape); }

    /** Integers uniform in [low, high), as {@code torch.randint}: {@code Tensor.randint(rng, 0, vocab, B, T)}. */
    public static Tensor randint(Rng rng, int low, int high, int... shape) { return Randoms.randint(rng, low, high, shape); }

    /**
     * [rows, cols] mask of ones on and above diagonal {@code diagonal} (0 = main, 1 = above it),
     * zeros below, as {@code torch.triu(torch.ones(rows, cols), diagonal)}. A causal attention
     * mask is {@code triuMask(T, T, 1)} (the positions to hide).
     */
    public static Tensor triuMask(int rows, int cols, int diagonal) { return Creation.triangleMask(rows, cols, diagonal, true); }

    /** [rows, cols] mask of ones on and below diagonal {@code diagonal}, as {@code torch.tril(torch.ones(rows, cols), diagonal)}. */
    public static Tensor trilMask(int rows, int cols, int diagonal) { return Creation.triangleMask(rows, cols, diagonal, false); }

    // ---------------------------------------------------------------- metadata

    public int[] shape() { return shape.clone(); }

    public int[] strides() { return strides.clone(); }

    public int offset() { return offset; }

    public Storage storage() { return storage; }

    public DType dtype() { return storage.dtype(); }

    public int dim() { return shape.length; }

    /** Size of dimension {@code d} (negative counts from the end). */
    public int size(int d) { return shape[Shapes.axis(d, shape.length, "size")]; }

    public int numel() { return Shapes.numel(shape); }

    public boolean isContiguous() {
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != acc) return false;
            acc *= shape[i];
        }
        return true;
    }

    /** True when this is contiguous fp32 data starting at offset 0 of a heap array of exactly numel elements. */
    boolean isDenseArray() {
        return storage instanceof FloatStorage fs && offset == 0 && fs.array().length == numel() && isContiguous();
    }

    // ---------------------------------------------------------------- element access

    public float item() {
        if (numel() != 1) throw ShapeException.of("item", "a tensor with one element", shape);
        return storage.get(offset);
    }

    public float get(int... index) { return storage.get(flatOffset(index)); }

    /** Writes one element in place (no autograd; for building inputs and tests). */
    public void set(float value, int... index) { storage.set(flatOffset(index), value); }

    private long flatOffset(int[] index) {
        if (index.length != shape.length) {
            throw new ShapeException("index " + Arrays.toString(index) + " has rank " + index.length + ", tensor has shape " + Arrays.toString(shape));
        }
        long o = offset;
        for (int i = 0; i < index.length; i++) {
            int k = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (k < 0 || k >= shape[i]) {
                throw new IndexOutOfRangeException("index " + Arrays.toString(index) + " out of range for shape " + Arrays.toString(shape));
            }
            o += (long) k * strides[i];
        }
        return o;
    }

    /** A fresh row-major fp32 copy of the elements. */
    public float[] toFloatArray() {
        int n = numel();
        float[] out = new float[n];
        if (n == 0) return out;
        if (isContiguous()) {
            storage.read(offset, out, 0, n);
            return out;
        }
        StridedIndex.read(storage, shape, strides, offset, out);
        return out;
    }

    /**
     * The elements as a row-major fp32 array: the backing array itself when this tensor is
     * dense fp32 (do not modify it), else a copy. For kernels that read.
     */
    public float[] data() {
        return isDenseArray() ? ((FloatStorage) storage).array() : toFloatArray();
    }

    /** Elements as ints (indices, token ids). */
    public int[] toIntArray() {
        float[] f = data();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = (int) f[i];
        return out;
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as wanting gradients; returns this. */
    public Tensor requiresGrad(boolean flag) {
        if (gradFn != null && !flag) throw new TensorException("requiresGrad(false) on a non-leaf tensor; use detach()");
        this.requiresGrad = flag;
        return this;
    }

    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) { this.grad = g; }

    public void zeroGrad() { this.grad = null; }

    public GradFn gradFn() { return gradFn; }

    public boolean isLeaf() { return gradFn == null; }

    void attachGradFn(GradFn fn) {
        this.gradFn = fn;
        this.requiresGrad = true;
    }

    void accumulateGrad(Tensor g) {
        if (!requiresGrad) return;
        grad = grad == null ? g.contiguousCopyIfShared() : grad.add(g);
    }

    private Tensor contiguousCopyIfShared() {
        return of(toFloatArray(), shape);
    }

    /** Back-propagates from a scalar (one-element) tensor. */
    public void backward() {
        if (numel() != 1) throw ShapeException.of("backward()", "a scalar loss; pass a gradient for non-scalars", shape);
        Autograd.backward(this, ones(shape));
    }

    public void backward(Tensor gradient) { Autograd.backward(this, gradient); }

    /** The same values, cut from the tape. Shares storage. */
    public Tensor detach() { return new Tensor(storage, shape, strides, offset); }

    // ---------------------------------------------------------------- views and copies

    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }

    public Tensor view(int... newShape) { return Views.reshape(this, newShape); }

    public Tensor flatten(int fromAxis, int toAxis) { return Views.flatten(this, fromAxis, toAxis); }

    public Tensor permute(int... order) { return Views.permute(this, order); }

    public Tensor transpose(int a, int b) { return Views.transpose(this, a, b); }

    /** Transpose of the last two axes. */
    public Tensor mT() { return Views.transpose(this, -2, -1); }

    public Tensor narrow(int axis, int start, int length) { return Views.narrow(this, axis, start, length); }

    /** Elements [start, end) along {@code axis}, as Python's {@code x[start:end]}: negative bounds count from the end, out-of-range ones clamp. */
    public Tensor slice(int axis, int start, int end) { return Views.slice(this, axis, start, end); }

    /** Index {@code index} along {@code axis}, removing that axis. */
    public Tensor select(int axis, int index) { return Views.select(this, axis, index); }

    public Tensor expand(int... newShape) { return Views.expand(this, newShape); }

    /** A copy with elements reversed along {@code axes}, as {@code torch.flip}: [1, 2, 3] → [3, 2, 1]. */
    public Tensor flip(int... axes) { return Views.flip(this, axes); }

    /**
     * Each slice along {@code axis} repeated {@code repeats} times in a row, as
     * {@code torch.repeat_interleave}; grouped-query attention widens K/V heads with
     * {@code k.repeatInterleave(nHeads / nKvHeads, 1)} ([B, Hkv, T, D] → [B, H, T, D]).
     */
    public Tensor repeatInterleave(int repeats, int axis) { return Views.repeatInterleave(this, repeats, axis); }

    /** The tensor tiled {@code repeats[i]} times along axis i, as {@code torch.Tensor.repeat}: [a, b].repeat(2) → [a, b, a, b]. */
    public Tensor repeat(int... repeats) { return Views.repeat(this, repeats); }

    /**
     * Constant padding as {@code F.pad(x, pads, value=value)}: (before, after) pairs from the last
     * axis backwards; negative amounts crop. {@code x.pad(new int[]{1, 2}, 0f)} turns [3] into [6].
     */
    public Tensor pad(int[] pads, float value) { return Views.pad(this, pads, value); }

    /** Elements below diagonal {@code diagonal} of the last two axes zeroed, as {@code torch.triu}. */
    public Tensor triu(int diagonal) { return where(triuMask(size(-2), size(-1), diagonal), this, scalar(0f)); }

    /** Elements above diagonal {@code diagonal} of the last two axes zeroed, as {@code torch.tril}. */
    public Tensor tril(int diagonal) { return where(trilMask(size(-2), size(-1), diagonal), this, scalar(0f)); }

    public Tensor unsqueeze(int axis) { return Views.unsqueeze(this, axis); }

    public Tensor squeeze(int axis) { return Views.squeeze(this, axis); }

    /** This tensor if already contiguous, else a contiguous copy (differentiable). */
    public Tensor contiguous() { return isContiguous() && storage instanceof FloatStorage ? this : Views.copy(this); }

    /** A contiguous fp32 copy (differentiable). */
    public Tensor copy() { return Views.copy(this); }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor o) { return Elementwise.add(this, o); }
    public Tensor sub(Tensor o) { return Elementwise.sub(this, o); }
    public Tensor mul(Tensor o) { return Elementwise.mul(this, o); }
    public Tensor div(Tensor o) { return Elementwise.div(this, o); }
    public Tensor maximum(Tensor o) { return Elementwise.maximum(this, o); }
    public Tensor minimum(Tensor o) { return Elementwise.minimum(this, o); }
    public Tensor add(float c) { return Elementwise.addScalar(this, c); }
    public Tensor sub(float c) { return Elementwise.addScalar(this, -c); }
    public Tensor mul(float c) { return Elementwise.mulScalar(this, c); }
    public Tensor div(float c) { return Elementwise.divScalar(this, c); }
    public Tensor pow(float p) { return Elementwise.pow(this, p); }

    public Tensor neg() { return Elementwise.unary(this, Unary.NEG); }
    public Tensor exp() { return Elementwise.unary(this, Unary.EXP); }
    public Tensor log() { return Elementwise.unary(this, Unary.LOG); }
    public Tensor sqrt() { return Elementwise.unary(this, Unary.SQRT); }
    public Tensor rsqrt() { return Elementwise.unary(this, Unary.RSQRT); }
    public Tensor abs() { return Elementwise.unary(this, Unary.ABS); }
    public Tensor square() { return Elementwise.unary(this, Unary.SQUARE); }
    public Tensor reciprocal() { return Elementwise.unary(this, Unary.RECIPROCAL); }
    public Tensor sin() { return Elementwise.unary(this, Unary.SIN); }
    public Tensor cos() { return Elementwise.unary(this, Unary.COS); }
    public Tensor tanh() { return Elementwise.unary(this, Unary.TANH); }
    public Tensor sigmoid() { return Elementwise.unary(this, Unary.SIGMOID); }
    public Tensor relu() { return Elementwise.unary(this, Unary.RELU); }
    /** GELU with the exact erf form (PyTorch's default). */
    public Tensor gelu() { return Elementwise.unary(this, Unary.GELU_ERF); }
    /** GELU with the tanh approximation ({@code approximate="tanh"}, "gelu_new", "gelu_pytorch_tanh"). */
    public Tensor geluTanh() { return Elementwise.unary(this, Unary.GELU_TANH); }
    /** x · sigmoid(1.702 x), as OpenAI's CLIP. */
    public Tensor quickGelu() { return Elementwise.unary(this, Unary.QUICK_GELU); }
    public Tensor silu() { return Elementwise.unary(this, Unary.SILU); }
    public Tensor erf() { return Elementwise.unary(this, Unary.ERF); }
    public Tensor softplus() { return Elementwise.unary(this, Unary.SOFTPLUS); }
    public Tensor clamp(float min, float max) { return Elementwise.clamp(this, min, max); }

    // comparisons: 1 where true, 0 where false; not differentiable
    public Tensor eq(Tensor o) { return Elementwise.compare(this, o, Elementwise.Cmp.EQ); }
    public Tensor ne(Tensor o) { return Elementwise.compare(this, o, Elementwise.Cmp.NE); }
    public Tensor lt(Tensor o) { return Elementwise.compare(this, o, Elementwise.Cmp.LT); }
    public Tensor le(Tensor o) { return Elementwise.compare(this, o, Elementwise.Cmp.LE); }
    public Tensor gt(Tensor o) { return Elementwise.compare(this, o, Elementwise.Cmp.GT); }
    public Tensor ge(Tensor o) { return Elementwise.compare(this, o, Elementwise.Cmp.GE); }
    public Tensor eq(float c) { return eq(scalar(c)); }
    public Tensor lt(float c) { return lt(scalar(c)); }
    public Tensor gt(float c) { return gt(scalar(c)); }
    public Tensor ge(float c) { return ge(scalar(c)); }
    public Tensor le(float c) { return le(scalar(c)); }
    public Tensor ne(float c) { return ne(scalar(c)); }

    /** {@code cond ? a : b} elementwise with broadcasting; differentiable in a and b. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Elementwise.where(cond, a, b); }

    /** This tensor with {@code value} wherever {@code mask} (broadcast) is non-zero. */
    public Tensor maskedFill(Tensor mask, float value) { return Elementwise.where(mask, scalar(value), this); }

    // ---------------------------------------------------------------- reductions

    public Tensor sum() { return Reductions.sum(this, allAxes(), false); }
    public Tensor sum(int axis, boolean keepDim) { return Reductions.sum(this, new int[]{axis}, keepDim); }
    public Tensor sum(int[] axes, boolean keepDim) { return Reductions.sum(this, axes, keepDim); }
    public Tensor mean() { return Reductions.mean(this, allAxes(), false); }
    public Tensor mean(int axis, boolean keepDim) { return Reductions.mean(this, new int[]{axis}, keepDim); }
    public Tensor mean(int[] axes, boolean keepDim) { return Reductions.mean(this, axes, keepDim); }
    /** Variance; {@code unbiased} divides by n − 1 (PyTorch's default), else by n. */
    public Tensor var(int[] axes, boolean unbiased, boolean keepDim) { return Reductions.var(this, axes, unbiased, keepDim); }
    /** Unbiased variance of all elements, as {@code torch.var(x)}. */
    public Tensor var() { return Reductions.var(this, allAxes(), true, false); }
    /** Standard deviation, sqrt of {@link #var(int[], boolean, boolean)}. */
    public Tensor std(int[] axes, boolean unbiased, boolean keepDim) { return Reductions.std(this, axes, unbiased, keepDim); }
    /** Unbiased standard deviation of all elements, as {@code torch.std(x)}. */
    public Tensor std() { return Reductions.std(this, allAxes(), true, false); }
    public Tensor max() { return Reductions.max(this, allAxes(), false); }
    public Tensor max(int axis, boolean keepDim) { return Reductions.max(this, new int[]{axis}, keepDim); }
    public Tensor max(int[] axes, boolean keepDim) { return Reductions.max(this, axes, keepDim); }
    public Tensor min() { return Reductions.min(this, allAxes(), false); }
    public Tensor min(int axis, boolean keepDim) { return Reductions.min(this, new int[]{axis}, keepDim); }
    public Tensor min(int[] axes, boolean keepDim) { return Reductions.min(this, axes, keepDim); }
    /** Index of the largest element along {@code axis} (first on ties), as float values. */
    public Tensor argmax(int axis, boolean keepDim) { return Reductions.argmax(this, axis, keepDim); }
    /** Index of the smallest element along {@code axis} (first on ties), as float values. */
    public Tensor argmin(int axis, boolean keepDim) { return Reductions.argmin(this, axis, keepDim); }
    public Tensor logSumExp(int axis, boolean keepDim) { return Reductions.logSumExp(this, axis, keepDim); }
    public Tensor softmax(int axis) { return Reductions.softmax(this, axis); }
    public Tensor logSoftmax(int axis) { return Reductions.logSoftmax(this, axis); }
    public Tensor cumsum(int axis) { return Reductions.cumsum(this, axis); }
    /** The k largest along {@code axis}, sorted descending (ties: lower index first). */
    public TopK topk(int k, int axis) { return Reductions.topk(this, k, axis); }
    /**
     * Stable sort along {@code axis}: values (differentiable) and source indices; equal values
     * keep their order, NaN sorts as the largest. {@code x.sort(-1, true).indices()} ranks descending.
     */
    public Sorted sort(int axis, boolean descending) { return Reductions.sort(this, axis, descending); }

    private int[] allAxes() {
        int[] a = new int[shape.length];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Matrix product with NumPy semantics: 1-d operands are promoted, batch axes broadcast.
     * [.., M, K] · [.., K, N] → [.., M, N].
     */
    public Tensor matmul(Tensor o) { return Linalg.matmul(this, o); }

    // ---------------------------------------------------------------- indexing and joining

    /** {@code out[i][j] = this[index[i][j]][j]} along {@code axis}, as {@code torch.gather}. */
    public Tensor gather(int axis, Tensor index) { return Indexing.gather(this, axis, index); }

    /** A copy of this with {@code src} added at {@code index} along {@code axis}, as {@code torch.scatter_add}. */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) { return Indexing.scatterAdd(this, axis, index, src); }

    /** Rows (slices along {@code axis}) picked by a 1-d index, as {@code torch.index_select}. */
    public Tensor indexSelect(int axis, Tensor index) { return Indexing.indexSelect(this, axis, index); }

    public Tensor indexSelect(int axis, int... index) { return Indexing.indexSelect(this, axis, Creation.indices(index)); }

    public static Tensor cat(List<Tensor> parts, int axis) { return Indexing.cat(parts, axis); }

    public static Tensor stack(List<Tensor> parts, int axis) { return Indexing.stack(parts, axis); }

    public List<Tensor> split(int[] sizes, int axis) { return Indexing.split(this, sizes, axis); }

    /** Splits into {@code n} equal parts along {@code axis}. */
    public List<Tensor> chunk(int n, int axis) { return Indexing.chunk(this, n, axis); }

    // ---------------------------------------------------------------- misc

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append(' ').append(dtype());
        int n = numel();
        float[] d = n <= 16 ? toFloatArray() : null;
        if (d != null) sb.append(' ').append(Arrays.toString(d));
        if (requiresGrad) sb.append(gradFn != null ? " grad_fn=" + gradFn.name() : " requires_grad");
        return sb.toString();
    }
}
