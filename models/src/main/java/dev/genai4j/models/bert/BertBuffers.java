package dev.genai4j.models.bert;

/**
 * The activation arrays of one inference forward, reused from layer to layer and, per thread,
 * from call to call. Why: a {@code new float[]} is zeroed by the thread that allocates it while
 * the other compute threads wait, and at 8×128 tokens BERT allocated about 130 MB a forward
 * (eleven arrays a layer, one of them [1024, 1536]). Every array here is fully overwritten
 * before it is read, so reused arrays need no clearing.
 */
final class BertBuffers {
    /** Largest set (in floats, all arrays together) a thread keeps between calls; bigger inputs get a set per call. */
    private static final long KEEP_MAX_FLOATS = 16L << 20;             // 64 MiB
    private static final ThreadLocal<BertBuffers> KEPT = new ThreadLocal<>();

    final int rows, hidden, intermediate;
    /** [rows, 3 · hidden]: the q, k and v projections side by side in each row (one fused GEMM writes them). */
    final float[] qkv;
    /** [rows, hidden] each: attention context, an output projection, a residual sum, the mid-layer state, the next layer's input. */
    final float[] context, projection, sum, mid, hiddenState;
    /** [rows, intermediate]: the feed-forward activation. */
    final float[] inner;

    private BertBuffers(int rows, int hidden, int intermediate) {
        this.rows = rows;
        this.hidden = hidden;
        this.intermediate = intermediate;
        int n = Math.multiplyExact(rows, hidden);
        qkv = new float[Math.multiplyExact(n, 3)];
        context = new float[n];
        projection = new float[n];
        sum = new float[n];
        mid = new float[n];
        hiddenState = new float[n];
        inner = new float[Math.multiplyExact(rows, intermediate)];
    }

    /** A set for {@code rows} token rows: this thread's kept set when it is large enough and the shape matches, else a new one (kept when small). */
    static BertBuffers forRows(int rows, int hidden, int intermediate) {
        BertBuffers kept = KEPT.get();
        if (kept != null && kept.hidden == hidden && kept.intermediate == intermediate && kept.rows >= rows) return kept;
        BertBuffers fresh = new BertBuffers(rows, hidden, intermediate);
        if ((long) rows * (8L * hidden + intermediate) <= KEEP_MAX_FLOATS) KEPT.set(fresh);
        return fresh;
    }
}
