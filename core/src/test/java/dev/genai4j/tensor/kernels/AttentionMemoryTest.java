package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.KernelTestData.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genai4j.tensor.Parallel;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Local attention must cost O(T · window) memory: the kernel never holds a T × T score matrix. */
class AttentionMemoryTest {
    private static final int WINDOW = 128, D = 8;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes this thread allocates during one single-threaded local-attention call over t tokens. */
    private static long allocatedByCall(float[] q, float[] k, float[] v, float[] out, float[] lse, int t, boolean vector) {
        AttentionOptions opt = AttentionOptions.defaults().localWindow(WINDOW);
        long tid = Thread.currentThread().threadId();
        long[] allocated = new long[1];
        Parallel.withThreads(1, () -> {     // one thread: every allocation of the call lands on this thread
            long before = THREADS.getThreadAllocatedBytes(tid);
            Attention.forward(1, 1, 1, t, t, D, AttentionOperand.bhtd(q, 1, t, D), AttentionOperand.bhtd(k, 1, t, D),
                    AttentionOperand.bhtd(v, 1, t, D), AttentionOperand.bhtd(out, 1, t, D), opt, lse, vector);
            allocated[0] = THREADS.getThreadAllocatedBytes(tid) - before;
        });
        return allocated[0];
    }

    /** Bytes this thread allocates during one single-threaded local-attention backward over t tokens. */
    private static long allocatedByBackward(float[] q, float[] k, float[] v, float[] out, float[] lse, float[] g,
                                            float[] dq, float[] dk, float[] dv, int t, boolean vector) {
        AttentionOptions opt = AttentionOptions.defaults().localWindow(WINDOW);
        long tid = Thread.currentThread().threadId();
        long[] allocated = new long[1];
        Parallel.withThreads(1, () -> {
            long before = THREADS.getThreadAllocatedBytes(tid);
            Attention.backward(1, 1, 1, t, t, D, AttentionOperand.bhtd(q, 1, t, D), AttentionOperand.bhtd(k, 1, t, D),
                    AttentionOperand.bhtd(v, 1, t, D), AttentionOperand.bhtd(out, 1, t, D), AttentionOperand.bhtd(g, 1, t, D),
                    lse, opt, AttentionOperand.bhtd(dq, 1, t, D), AttentionOperand.bhtd(dk, 1, t, D),
                    AttentionOperand.bhtd(dv, 1, t, D), vector);
            allocated[0] = THREADS.getThreadAllocatedBytes(tid) - before;
        });
        return allocated[0];
    }

    @Test
    void localAttentionBackwardOver8192TokensAllocatesFarLessThanTSquared() {
        int t = 8192;
        Random r = new Random(32);
        float[] q = gaussian(r, t * D, 1f), k = gaussian(r, t * D, 1f), v = gaussian(r, t * D, 1f), out = new float[t * D];
        float[] g = gaussian(r, t * D, 1f), lse = new float[t], dq = new float[t * D], dk = new float[t * D], dv = new float[t * D];
        Attention.forward(1, 1, 1, t, t, D, AttentionOperand.bhtd(q, 1, t, D), AttentionOperand.bhtd(k, 1, t, D),
                AttentionOperand.bhtd(v, 1, t, D), AttentionOperand.bhtd(out, 1, t, D),
                AttentionOptions.defaults().localWindow(WINDOW), lse);
        long tWindow = 4L * t * WINDOW;
        for (boolean vector : new boolean[]{false, true}) {
            for (int i = 0; i < 300 && allocatedByBackward(q, k, v, out, lse, g, dq, dk, dv, 512, vector) > 16_384; i++) { }
            long allocated = Long.MAX_VALUE;     // least of a few: a late deoptimization only adds garbage
            for (int run = 0; run < 3; run++) allocated = Math.min(allocated, allocatedByBackward(q, k, v, out, lse, g, dq, dk, dv, t, vector));
            assertTrue(allocated < tWindow / 64, (vector ? "vector" : "scalar") + " backward allocated " + allocated
                    + " bytes; T·window·4 = " + tWindow + ", T²·4 = " + 4L * t * t);
        }
        for (float x : dk) assertTrue(Float.isFinite(x), "dk");
    }

    @Test
    void localAttentionOver8192TokensAllocatesFarLessThanTSquared() {
        int t = 8192;
        Random r = new Random(31);
        float[] q = gaussian(r, t * D, 1f), k = gaussian(r, t * D, 1f), v = gaussian(r, t * D, 1f), out = new float[t * D];
        float[] lse = new float[t];
        long tSquared = 4L * t * t, tWindow = 4L * t * WINDOW;
        for (boolean vector : new boolean[]{false, true}) {
            // The first call loads and links classes; and until C2 compiles it, Vector API code boxes
            // every vector it touches (tens of MB per call at this size, still O(T·window)). Warm up on
            // a small input until a call stops allocating, so the measurement sees the kernel itself.
            int small = 512;
            for (int i = 0; i < 300 && allocatedByCall(q, k, v, out, lse, small, vector) > 16_384; i++) { }
            long allocated = Long.MAX_VALUE;     // least of a few: a late deoptimization only adds garbage
            for (int run = 0; run < 3; run++) allocated = Math.min(allocated, allocatedByCall(q, k, v, out, lse, t, vector));
            System.out.println("local attention T=" + t + " window=" + WINDOW + (vector ? " vector" : " scalar")
                    + ": allocated " + allocated + " bytes");
            long limit = tWindow / 64;     // the scratch is O(rows · D + D · block): a few KB
            assertTrue(allocated < limit, (vector ? "vector" : "scalar") + " path allocated " + allocated
                    + " bytes; limit " + limit + ", T·window·4 = " + tWindow + ", T²·4 = " + tSquared);
        }

        // and the result is right: rows at the start, middle and end against a direct computation
        float scale = (float) (1 / Math.sqrt(D));
        for (int i : new int[]{0, 1, 63, 64, 65, 4000, t - 65, t - 1}) {
            int lo = Math.max(0, i - WINDOW / 2), hi = Math.min(t - 1, i + WINDOW / 2);
            double m = Double.NEGATIVE_INFINITY;
            double[] s = new double[hi - lo + 1];
            for (int j = lo; j <= hi; j++) {
                double dot = 0;
                for (int c = 0; c < D; c++) dot += (double) q[i * D + c] * k[j * D + c];
                s[j - lo] = dot * scale;
                m = Math.max(m, s[j - lo]);
            }
            double sum = 0;
            double[] o = new double[D];
            for (int j = lo; j <= hi; j++) {
                double p = Math.exp(s[j - lo] - m);
                sum += p;
                for (int c = 0; c < D; c++) o[c] += p * v[j * D + c];
            }
            for (int c = 0; c < D; c++) assertEquals(o[c] / sum, out[i * D + c], 3e-5, "row " + i + " dim " + c);
            assertEquals(m + Math.log(sum), lse[i], 3e-5, "lse row " + i);
        }
    }
}
