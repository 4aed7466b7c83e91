package dev.genai4j.nn;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.genai4j.nn.NnTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/** MultiHeadAttention's fused-kernel path against its dense tensor-op path: outputs and gradients. */
class FusedAttentionPathTest {
    private static final int HIDDEN = 16;

    private static MultiHeadAttention layer(int heads, int kvHeads, Rope rope) {
        var m = new MultiHeadAttention(MultiHeadAttention.Config.of(HIDDEN, heads).withKvHeads(kvHeads).withBias(true, true), rope, new Rng(3));
        m.parameters().forEach(Parameter::trainable);
        return m;
    }

    /** Output, dL/dx and dL/d(every parameter) of one path, L = Σ y·w for a fixed random w. */
    private static List<float[]> run(MultiHeadAttention attn, Tensor x0, AttentionMask mask, boolean fused) {
        attn.parameters().forEach(p -> p.value().zeroGrad());
        Tensor x = Tensor.of(x0.toFloatArray(), x0.shape()).requiresGrad(true);
        Tensor y = attn.forward(x, mask, null, null, fused);
        y.mul(Tensor.randn(new Rng(77), y.shape())).sum().backward();
        List<float[]> r = new ArrayList<>();
        r.add(y.toFloatArray());
        r.add(x.grad().toFloatArray());
        attn.parameters().forEach(p -> r.add(p.value().grad().toFloatArray()));
        return r;
    }

    private static void assertPathsAgree(MultiHeadAttention attn, Tensor x, AttentionMask mask, String what) {
        List<float[]> fused = run(attn, x, mask, true), dense = run(attn, x, mask, false);
        for (int i = 0; i < fused.size(); i++) {
            for (float f : fused.get(i)) assertFalse(Float.isNaN(f), what + ": NaN in part " + i);
            assertClose(dense.get(i), fused.get(i), 2e-4, what + (i == 0 ? " output" : i == 1 ? " dx" : " dparam " + (i - 2)));
        }
        try (var g = NoGrad.enter()) {
            assertClose(attn.forward(x, mask, null, null, false).toFloatArray(), attn.forward(x, mask, null, null, true).toFloatArray(),
                    2e-5, what + " NoGrad");
        }
    }

    @Test
    void causalAndNoMask() {
        Tensor x = randn(1, 2, 9, HIDDEN);
        assertPathsAgree(layer(4, 4, null), x, AttentionMask.causal(), "causal");
        assertPathsAgree(layer(4, 4, new Rope(4, 32, 10_000)), x, null, "no mask, rope");
    }

    @Test
    void groupedQueryHeads() {
        Tensor x = randn(2, 2, 7, HIDDEN);
        assertPathsAgree(layer(4, 2, null), x, AttentionMask.causal(), "GQA 4/2");
        assertPathsAgree(layer(4, 1, null), x, AttentionMask.none(), "MQA 4/1");
    }

    @Test
    void keyPaddingIncludingRowsThatSeeNoKey() {
        Tensor x = randn(3, 2, 6, HIDDEN);
        // row 0 left-padded by 2: its first two queries see no key under causal masking (zeros on both paths)
        Tensor am = Tensor.of(new float[]{0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 6);
        assertPathsAgree(layer(4, 2, null), x, AttentionMask.causal().withKeyPadding(am), "causal + left/right padding");
        assertPathsAgree(layer(4, 4, null), x, AttentionMask.none().withKeyPadding(am), "encoder padding");
        try (var g = NoGrad.enter()) {
            // the fully masked query rows give zero context: the output is the o-projection bias alone
            MultiHeadAttention attn = layer(4, 2, null);
            Tensor y = attn.forward(x, AttentionMask.causal().withKeyPadding(am), null, null, true);
            Tensor bias = attn.parameters().get(attn.parameters().size() - 1).value();
            assertClose(bias.toFloatArray(), y.narrow(0, 0, 1).narrow(1, 0, 1).reshape(HIDDEN).toFloatArray(), 1e-6, "masked row");
        }
    }

    @Test
    void windows() {
        Tensor x = randn(4, 2, 10, HIDDEN);
        assertPathsAgree(layer(4, 4, null), x, AttentionMask.symmetricWindow(4), "ModernBERT local window");
        assertPathsAgree(layer(4, 2, null), x, AttentionMask.causalWindow(3), "Mistral sliding window");
        Tensor am = Tensor.of(new float[]{1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, 10);
        assertPathsAgree(layer(4, 4, null), x, AttentionMask.symmetricWindow(2).withKeyPadding(am), "window + padding");
    }

    @Test
    void constantCustomBiasUsesTheKernelAndAGradBiasStillGetsItsGradient() {
        Tensor x = randn(5, 2, 5, HIDDEN);
        Tensor bias = randn(6, 1, 4, 5, 5);                     // [1, H, T, T], ALiBi-like, no grad
        assertPathsAgree(layer(4, 4, null), x, AttentionMask.ofBias(bias), "constant per-head bias");
        assertNotNull(AttentionMask.ofBias(bias).kernelOptions(2, 0, 5, 5, 4));
        Tensor gradBias = randn(7, 1, 1, 5, 5).requiresGrad(true);
        assertNull(AttentionMask.ofBias(gradBias).kernelOptions(2, 0, 5, 5, 4), "a bias needing grad takes the dense path");
        layer(4, 4, null).forward(x, AttentionMask.ofBias(gradBias), null, null).sum().backward();
        assertNotNull(gradBias.grad());
        assertNull(AttentionMask.causal().withFill(-Float.MAX_VALUE).kernelOptions(1, 0, 3, 3, 4), "finite fill is dense");
    }

    @Test
    void kvCacheDecodeMatchesDense() {
        MultiHeadAttention attn = layer(4, 2, new Rope(4, 32, 10_000));
        Tensor x = randn(8, 2, 6, HIDDEN);
        try (var g = NoGrad.enter()) {
            for (boolean fused : new boolean[]{true, false}) {
                KvCache cache = new KvCache(2, 2, 8, 4);
                List<Tensor> steps = new ArrayList<>();
                steps.add(attn.forward(x.narrow(1, 0, 3), AttentionMask.causal(), null, cache, fused));
                for (int s = 3; s < 6; s++) steps.add(attn.forward(x.narrow(1, s, 1), AttentionMask.causal(), null, cache, fused));
                Tensor full = attn.forward(x, AttentionMask.causal(), null, null, false);
                assertClose(full.toFloatArray(), Tensor.cat(steps, 1).toFloatArray(), 2e-5, "decode fused=" + fused);
            }
            // decode without a mask attends every cached key on both paths
            KvCache c1 = new KvCache(2, 2, 8, 4), c2 = new KvCache(2, 2, 8, 4);
            attn.forward(x.narrow(1, 0, 4), null, null, c1, true);
            attn.forward(x.narrow(1, 0, 4), null, null, c2, false);
            assertClose(attn.forward(x.narrow(1, 4, 2), null, null, c2, false).toFloatArray(),
                    attn.forward(x.narrow(1, 4, 2), null, null, c1, true).toFloatArray(), 2e-5, "unmasked decode");
        }
    }

    @Test
    void localWindowNeverBuildsTheTokenByTokenMatrix() {
        int t = 2048;                                                 // [T, T] fp32 = 16 MiB
        long limit = 4L * t * t / 4;
        MultiHeadAttention attn = new MultiHeadAttention(MultiHeadAttention.Config.of(HIDDEN, 4), null, new Rng(9));
        Tensor x = randn(10, 1, t, HIDDEN);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long[] bytes = {Long.MAX_VALUE};
        try (var g = NoGrad.enter()) {
            dev.genai4j.tensor.Parallel.withThreads(1, () -> {       // one thread: every allocation lands here
                // fewest bytes over repeated calls: until C2 compiles the Vector API loops, vectors are boxed objects.
                // Alone this takes ~8 calls; inside the whole suite the compiler queue is long (CI once needed more
                // than 40), so warm up against a generous deadline instead of a fixed count.
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (bytes[0] >= limit && System.nanoTime() < deadline) {
                    long before = threads.getThreadAllocatedBytes(tid);
                    attn.forward(x, AttentionMask.symmetricWindow(16), null, null, true);
                    bytes[0] = Math.min(bytes[0], threads.getThreadAllocatedBytes(tid) - before);
                }
            });
        }
        // the activations ([T, HIDDEN] a few times over) are ~1 MiB; a [T, T] bias or score matrix alone is 16 MiB
        assertTrue(bytes[0] < limit, "fused local attention allocated " + bytes[0] + " bytes");
    }
}
