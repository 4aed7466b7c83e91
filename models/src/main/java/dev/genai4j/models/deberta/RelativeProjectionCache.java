package dev.genai4j.models.deberta;

import dev.genai4j.nn.Linear;
import dev.genai4j.tensor.Tensor;

/**
 * The projected relative embeddings of one layer (key_proj / query_proj applied to the
 * normalized {@code encoder.rel_embeddings}, [2·span, nH·d]) kept between inference calls: they
 * depend on the weights only, and recomputing them cost a third of a BERT layer at 1×128 tokens.
 * The cache is checked against a fingerprint of every value it was computed from (the normalized
 * table and the projection's weight and bias), so weights changed in place (fine-tuning) are
 * noticed; reading them costs 1/(2·span) of the projection.
 */
final class RelativeProjectionCache {
    private long fingerprint;
    private Tensor projected;   // [2·span, nH·d], or null before the first call

    /** {@code proj(relEmb)}, from the cache when nothing it depends on changed. */
    synchronized Tensor get(Linear proj, Tensor relEmb) {
        long f = fingerprint(relEmb, proj);
        if (projected == null || f != fingerprint) {
            projected = proj.forward(relEmb).contiguous();
            fingerprint = f;
        }
        return projected;
    }

    private static long fingerprint(Tensor relEmb, Linear proj) {
        long h = hash(17, relEmb);
        h = hash(h, proj.weight().value());
        return proj.bias() == null ? h : hash(h, proj.bias().value());
    }

    /** FNV-style hash of the exact float bits. */
    private static long hash(long h, Tensor t) {
        float[] d = t.data();
        for (float v : d) h = (h ^ Float.floatToRawIntBits(v)) * 0x100000001b3L;
        return h * 31 + d.length;
    }
}
