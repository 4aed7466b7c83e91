package dev.genai4j.models.deberta;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;

/**
 * DeBERTa's disentangled self-attention (arXiv 2006.03654 §3.1, eq. 4; HF
 * {@code DisentangledSelfAttention}): content·content plus content→position (c2p) and
 * position→content (p2c) scores against the shared relative embeddings, all divided by
 * √(head_dim · (1 + number of relative terms)). With {@code share_att_key} (DeBERTa-v3) the
 * relative embeddings go through the same {@code query_proj} / {@code key_proj} as the tokens;
 * otherwise through {@code pos_query_proj} / {@code pos_key_proj}. Under {@link NoGrad} it runs
 * {@link DisentangledAttentionKernel}; with gradients, the same arithmetic as tensor ops.
 */
final class DisentangledSelfAttention extends Module {
    private final Linear query, key, value;   // query_proj, key_proj, value_proj: [nH·d, H]
    private final Linear posQuery, posKey;    // the projections of the relative embeddings (query_proj / key_proj when shared); null when that term is off
    private final DebertaV2Config config;
    private final int heads, headDim;
    private final RelativeProjectionCache posQueryCache = new RelativeProjectionCache(), posKeyCache = new RelativeProjectionCache();

    private DisentangledSelfAttention(DebertaV2Config c, Linear q, Linear k, Linear v, Linear posQ, Linear posK, boolean shared) {
        this.config = c;
        this.heads = c.numAttentionHeads();
        this.headDim = c.attentionHeadSize();
        this.query = child("query_proj", q);
        this.key = child("key_proj", k);
        this.value = child("value_proj", v);
        this.posQuery = shared || posQ == null ? posQ : child("pos_query_proj", posQ);
        this.posKey = shared || posK == null ? posK : child("pos_key_proj", posK);
    }

    static DisentangledSelfAttention load(Weights w, DebertaV2Config c) {
        int h = c.hiddenSize(), a = c.allHeadSize();
        Linear q = Linear.load(w.sub("query_proj"), h, a, true);
        Linear k = Linear.load(w.sub("key_proj"), h, a, true);
        Linear v = Linear.load(w.sub("value_proj"), h, a, true);
        Linear posQ = null, posK = null;
        if (c.relativeAttention()) {
            if (c.shareAttKey()) {
                posQ = c.p2c() ? q : null;
                posK = c.c2p() ? k : null;
            } else {
                posQ = c.p2c() ? Linear.load(w.sub("pos_query_proj"), h, a, true) : null;
                posK = c.c2p() ? Linear.load(w.sub("pos_key_proj"), h, a, true) : null;
            }
        }
        return new DisentangledSelfAttention(c, q, k, v, posQ, posK, c.shareAttKey());
    }

    /**
     * @param x      [B, T, H]
     * @param relEmb [2·span, H] the (normalized) relative embeddings, or null without relative attention
     * @param cols   the relative columns for this T (null without relative attention)
     * @param mask   [B, T] attention_mask, or null for all tokens
     * @return [B, T, nH·d] context (zero rows at masked queries, as HF's XSoftmax gives)
     */
    Tensor forward(Tensor x, Tensor relEmb, RelativePositions.Columns cols, Tensor mask) {
        int b = x.size(0), t = x.size(1), a = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt((float) headDim * config.scaleFactor()));
        Tensor q = query.forward(x), k = key.forward(x), v = value.forward(x);          // [B, T, nH·d]
        if (!NoGrad.isGradEnabled()) {
            // inference: the projected table is a constant of the weights, cached; rows first … first + R − 1 are read
            Tensor posQ = relEmb == null || posQuery == null ? null : posQueryCache.get(posQuery, relEmb).narrow(0, cols.first(), cols.width());
            Tensor posK = relEmb == null || posKey == null ? null : posKeyCache.get(posKey, relEmb).narrow(0, cols.first(), cols.width());
            float[] out = new float[b * t * a];
            DisentangledAttentionKernel.forward(b, t, heads, headDim, q.contiguous().data(), k.contiguous().data(), v.contiguous().data(),
                    posQ == null ? null : posQ.contiguous().data(), posK == null ? null : posK.contiguous().data(),
                    posQ == null && posK == null ? null : cols, scale, mask == null ? null : mask.data(), out);
            return Tensor.of(out, b, t, a);
        }
        Tensor rel = relEmb == null ? null : relEmb.narrow(0, cols.first(), cols.width());   // [R, H]: only the rows read
        Tensor posQ = rel == null || posQuery == null ? null : posQuery.forward(rel);     // [R, nH·d]
        Tensor posK = rel == null || posKey == null ? null : posKey.forward(rel);
        Tensor qh = heads(q, b, t), kh = heads(k, b, t), vh = heads(v, b, t);          // [B, nH, T, d]
        Tensor s = qh.matmul(kh.mT());                                                  // [B, nH, T, T]
        if (posK != null) {
            Tensor c2p = qh.matmul(relHeads(posK).mT());                                // [B, nH, T, R]
            s = s.add(c2p.gather(-1, index(cols.c2p(), t).expand(b, heads, t, t)));
        }
        if (posQ != null) {
            Tensor p2c = kh.matmul(relHeads(posQ).mT());                                // [B, nH, T(key), R]
            // gathered by key row j at column p2c(i, j), then transposed to (i, j), as HF does
            Tensor byKey = index(transposed(cols.p2c(), t), t).expand(b, heads, t, t);
            s = s.add(p2c.gather(-1, byKey).transpose(-1, -2));
        }
        s = s.mul(scale);
        Tensor probs;
        if (mask == null) {
            probs = s.softmax(-1);
        } else {
            Tensor m = mask.ne(0f);                                                     // [B, T]
            Tensor pair = m.reshape(b, 1, t, 1).mul(m.reshape(b, 1, 1, t));             // [B, 1, T, T] XSoftmax's mask
            probs = s.maskedFill(pair.eq(0f), -Float.MAX_VALUE).softmax(-1).mul(pair);
        }
        return probs.matmul(vh).transpose(1, 2).reshape(b, t, a);
    }

    private Tensor heads(Tensor x, int b, int t) {
        return x.reshape(b, t, heads, headDim).transpose(1, 2);
    }

    /** [R, nH·d] → [nH, R, d]. */
    private Tensor relHeads(Tensor p) {
        return p.reshape(p.size(0), heads, headDim).transpose(0, 1);
    }

    private static Tensor index(int[] cols, int t) {
        float[] f = new float[cols.length];
        for (int i = 0; i < f.length; i++) f[i] = cols[i];
        return Tensor.of(f, 1, 1, t, t);
    }

    /** [T·T] (i, j) table → its (j, i) transpose. */
    private static int[] transposed(int[] m, int t) {
        int[] out = new int[m.length];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) out[j * t + i] = m[i * t + j];
        }
        return out;
    }
}
