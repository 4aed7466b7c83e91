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

    @Test
    void localAttentionOver8192TokensAllocatesFarLessThanTSquared() {
        int t = 8192, w = 128, d = 8;
        Random r = new Random(31);
        float[] q = gaussian(r, t * d, 1f), k = gaussian(r, t * d, 1f), v = gaussian(r, t * d, 1f), out = new float[t * d];
        float[] lse = new float[t];
        AttentionOptions opt = AttentionOptions.defaults().localWindow(w);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long tSquared = 4L * t * t, tWindow = 4L * t * w;
        for (boolean vector : new boolean[]{false, true}) {
            Runnable call = () -> Attention.forward(1, 1, 1, t, t, d, AttentionOperand.bhtd(q, 1, t, d),
                    AttentionOperand.bhtd(k, 1, t, d), AttentionOperand.bhtd(v, 1, t, d), AttentionOperand.bhtd(out, 1, t, d),
                    opt, lse, vector);
            // The first call loads and links classes; and before C2 compiles it, Vector API code boxes
            // every vector it touches (tens of MB per call here, still O(T·window)). Warm up so the
            // measurement sees the kernel, not class loading or the interpreter.
            for (int i = 0; i < (vector ? 3 : 1); i++) call.run();
            long[] allocated = new long[1];
            Parallel.withThreads(1, () -> {     // one thread: every allocation of the call lands on this thread
                long before = threads.getThreadAllocatedBytes(tid);
                call.run();
                allocated[0] = threads.getThreadAllocatedBytes(tid) - before;
            });
            System.out.println("local attention T=" + t + " window=" + w + (vector ? " vector" : " scalar")
                    + ": allocated " + allocated[0] + " bytes");
            // the scalar twin shows the algorithm's own footprint exactly: scratch of O(window + D)
            long limit = vector ? tWindow : tWindow / 64;
            assertTrue(allocated[0] < limit, (vector ? "vector" : "scalar") + " path allocated " + allocated[0]
                    + " bytes; limit " + limit + ", T·window·4 = " + tWindow + ", T²·4 = " + tSquared);
        }

        // and the result is right: rows at the start, middle and end against a direct computation
        float scale = (float) (1 / Math.sqrt(d));
        for (int i : new int[]{0, 1, 63, 64, 65, 4000, t - 65, t - 1}) {
            int lo = Math.max(0, i - w / 2), hi = Math.min(t - 1, i + w / 2);
            double m = Double.NEGATIVE_INFINITY;
            double[] s = new double[hi - lo + 1];
            for (int j = lo; j <= hi; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += (double) q[i * d + c] * k[j * d + c];
                s[j - lo] = dot * scale;
                m = Math.max(m, s[j - lo]);
            }
            double sum = 0;
            double[] o = new double[d];
            for (int j = lo; j <= hi; j++) {
                double p = Math.exp(s[j - lo] - m);
                sum += p;
                for (int c = 0; c < d; c++) o[c] += p * v[j * d + c];
            }
            for (int c = 0; c < d; c++) assertEquals(o[c] / sum, out[i * d + c], 3e-5, "row " + i + " dim " + c);
            assertEquals(m + Math.log(sum), lse[i], 3e-5, "lse row " + i);
        }
    }
}
