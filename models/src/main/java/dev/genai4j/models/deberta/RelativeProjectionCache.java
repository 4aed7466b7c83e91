package dev.genai4j.models.deberta;

import dev.genai4j.nn.Linear;
import dev.genai4j.tensor.Tensor;

/**
 * The projected relative embeddings of one layer (key_proj / query_proj applied to the
 * normalized {@code encoder.rel_embeddings}, [2·span, nH·d]) kept between inference calls: they
 * depend on the weights only, and recomputing them cost a third of a BERT layer at 1×128 tokens.
 * The cache is checked against everything it was computed from: the very weight and bias tensors
 * (a replaced parameter is noticed), and a hash of the exact float bits of the normalized table and
 * of any writable weight (values changed in place by fine-tuning are noticed); a memory-mapped
 * read-only weight cannot change and is not read.
 */
final class RelativeProjectionCache {
    private long fingerprint;
    private Tensor table, weight, bias;   // the tensors the cached projection came from
    private Tensor projected;      // [2·span, nH·d], or null before the first call

    /** {@code proj(relEmb)}, from the cache when nothing it depends on changed. */
    synchronized Tensor get(Linear proj, Tensor relEmb) {
        Tensor w = proj.weight().value(), b = proj.bias() == null ? null : proj.bias().value();
        long f = hash(hash(hash(17, relEmb), w), b);
        if (projected == null || f != fingerprint || relEmb != table && !relEmb.storage().isWritable() || w != weight || b != bias) {
            projected = proj.forward(relEmb).contiguous();
            fingerprint = f;
            table = relEmb;
            weight = w;
            bias = b;
        }
        return projected;
    }

    /** Hash of the exact float bits, in four interleaved lanes (not one long dependency chain); read-only tensors are skipped. */
    private static long hash(long h, Tensor t) {
        if (t == null || !t.storage().isWritable()) return h;
        float[] d = t.data();
        long a = h, b = h ^ 0x9E3779B97F4A7C15L, c = h + 1, e = h - 1;
        int i = 0;
        for (; i + 4 <= d.length; i += 4) {
            a = (a ^ Float.floatToRawIntBits(d[i])) * 0x100000001b3L;
            b = (b ^ Float.floatToRawIntBits(d[i + 1])) * 0x100000001b3L;
            c = (c ^ Float.floatToRawIntBits(d[i + 2])) * 0x100000001b3L;
            e = (e ^ Float.floatToRawIntBits(d[i + 3])) * 0x100000001b3L;
        }
        for (; i < d.length; i++) a = (a ^ Float.floatToRawIntBits(d[i])) * 0x100000001b3L;
        return ((a * 31 + b) * 31 + c) * 31 + e + d.length;
    }
}
