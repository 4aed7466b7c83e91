package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.functional.AttentionOp;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.AttentionOptions;

import java.util.List;

/**
 * Multi-head self-attention (arXiv 1706.03762) with grouped-query heads (arXiv 2305.13245),
 * optional rotary embeddings and a KV cache; the math of HF {@code LlamaAttention} /
 * {@code ModernBertAttention} in eager mode: {@code softmax(q·kᵀ·scale + mask) · v}, softmax in fp32,
 * dropout on the probabilities in training. Projections are separate q/k/v/o (names configurable,
 * e.g. {@code q_proj}) or one fused qkv projection whose output is [q | k | v] (ModernBERT
 * {@code Wqkv}). With G = numHeads / numKvHeads, query head h uses kv head h / G (HF repeat_kv);
 * the kv heads are never copied. Attention runs on the fused kernel ({@link AttentionOp}: online
 * softmax, no [T, L] score matrix, local windows visit only their keys) whenever the mask is
 * causal / windowed / key-padded / a constant bias; a bias that requires grad and dropout in
 * training take the composed tensor-op path (each kv head's G query heads stacked into one GEMM).
 *
 * <pre>{@code
 * var cfg = MultiHeadAttention.Config.of(4096, 32).withKvHeads(8);
 * var attn = MultiHeadAttention.load(w.sub("self_attn"), cfg, new Rope(128, 32768, 1e6));
 * Tensor y = attn.forward(x, AttentionMask.causal(), null, cache);   // x: [B, T, 4096]
 * }</pre>
 */
public final class MultiHeadAttention extends Module {

    /** Child names of the projections; {@code qkv} non-null means the fused layout (q, k, v unused). */
    public record Names(String q, String k, String v, String o, String qkv) {
        public static final Names LLAMA = new Names("q_proj", "k_proj", "v_proj", "o_proj", null);
        public static final Names CLIP = new Names("q_proj", "k_proj", "v_proj", "out_proj", null);
        public static final Names BERT = new Names("self.query", "self.key", "self.value", "output.dense", null);
        public static final Names MODERNBERT = fused("Wqkv", "Wo");

        public static Names fused(String qkv, String o) { return new Names(null, null, null, o, qkv); }

        public boolean isFused() { return qkv != null; }
    }

    /** Sizes and options; {@code headDim} defaults to hidden/numHeads and {@code scale} to 1/√headDim. */
    public record Config(int hidden, int numHeads, int numKvHeads, int headDim, boolean qkvBias, boolean outBias,
                         Names names, float dropout, float scale) {
        public Config {
            if (numHeads <= 0 || numKvHeads <= 0 || numHeads % numKvHeads != 0) {
                throw new IllegalArgumentException("attention: num_key_value_heads (" + numKvHeads + ") must divide num_heads (" + numHeads + ")");
            }
            if (headDim <= 0) throw new IllegalArgumentException("attention: head_dim must be positive, got " + headDim);
        }

        /** Plain multi-head attention, Llama names, no bias, no dropout. */
        public static Config of(int hidden, int numHeads) {
            if (numHeads <= 0 || hidden % numHeads != 0) {
                throw new IllegalArgumentException("attention: hidden_size " + hidden + " is not a multiple of num_heads " + numHeads);
            }
            int hd = hidden / numHeads;
            return new Config(hidden, numHeads, numHeads, hd, false, false, Names.LLAMA, 0f, (float) (1.0 / Math.sqrt(hd)));
        }

        public Config withKvHeads(int n) { return new Config(hidden, numHeads, n, headDim, qkvBias, outBias, names, dropout, scale); }

        /** Sets head_dim and resets the scale to 1/√headDim. */
        public Config withHeadDim(int d) { return new Config(hidden, numHeads, numKvHeads, d, qkvBias, outBias, names, dropout, (float) (1.0 / Math.sqrt(d))); }

        public Config withBias(boolean qkv, boolean out) { return new Config(hidden, numHeads, numKvHeads, headDim, qkv, out, names, dropout, scale); }

        public Config withNames(Names n) { return new Config(hidden, numHeads, numKvHeads, headDim, qkvBias, outBias, n, dropout, scale); }

        public Config withDropout(float p) { return new Config(hidden, numHeads, numKvHeads, headDim, qkvBias, outBias, names, p, scale); }

        public Config withScale(float s) { return new Config(hidden, numHeads, numKvHeads, headDim, qkvBias, outBias, names, dropout, s); }
    }

    /**
     * Whether attention may take the fused kernel; {@code -Dgenai4j.attention.dense=true} forces
     * the composed tensor-op path everywhere (benchmarks and A/B checks).
     */
    static final boolean FUSED = !Boolean.getBoolean("genai4j.attention.dense");

    private final Config c;
    private final Rope rope;          // or null
    private final Linear q, k, v;     // [nH·hd, H], [nKv·hd, H], [nKv·hd, H]; null when fused
    private final Linear qkv;         // [(nH + 2·nKv)·hd, H]; null when separate
    private final Linear o;           // [H, nH·hd]
    private final Dropout dropout;    // on attention probabilities, or null

    private MultiHeadAttention(Config c, Rope rope, Linear q, Linear k, Linear v, Linear qkv, Linear o, Rng rng) {
        if (rope != null && rope.headDim() != c.headDim()) {
            throw new IllegalArgumentException("attention: rope headDim " + rope.headDim() + " differs from head_dim " + c.headDim());
        }
        this.c = c;
        this.rope = rope;
        Names n = c.names();
        if (qkv != null) {
            this.qkv = child(n.qkv(), qkv);
            this.q = this.k = this.v = null;
        } else {
            this.qkv = null;
            this.q = child(n.q(), q);
            this.k = child(n.k(), k);
            this.v = child(n.v(), v);
        }
        this.o = child(n.o(), o);
        this.dropout = c.dropout() > 0f ? child("attn_dropout", new Dropout(c.dropout(), rng)) : null;
    }

    /** Fresh layer, projections with PyTorch's default init; {@code rope} may be null. */
    public MultiHeadAttention(Config c, Rope rope, Rng rng) {
        this(c, rope,
                c.names().isFused() ? null : new Linear(c.hidden(), c.numHeads() * c.headDim(), c.qkvBias(), rng),
                c.names().isFused() ? null : new Linear(c.hidden(), c.numKvHeads() * c.headDim(), c.qkvBias(), rng),
                c.names().isFused() ? null : new Linear(c.hidden(), c.numKvHeads() * c.headDim(), c.qkvBias(), rng),
                c.names().isFused() ? new Linear(c.hidden(), (c.numHeads() + 2 * c.numKvHeads()) * c.headDim(), c.qkvBias(), rng) : null,
                new Linear(c.numHeads() * c.headDim(), c.hidden(), c.outBias(), rng), rng);
    }

    /** Loads the projections under {@code w}; {@code dropoutRng} may be null when the config has no dropout. */
    public static MultiHeadAttention load(Weights w, Config c, Rope rope, Rng dropoutRng) {
        Names n = c.names();
        int h = c.hidden(), qd = c.numHeads() * c.headDim(), kvd = c.numKvHeads() * c.headDim();
        if (n.isFused()) {
            return new MultiHeadAttention(c, rope, null, null, null, Linear.load(w.sub(n.qkv()), h, qd + 2 * kvd, c.qkvBias()),
                    Linear.load(w.sub(n.o()), qd, h, c.outBias()), dropoutRng);
        }
        return new MultiHeadAttention(c, rope, Linear.load(w.sub(n.q()), h, qd, c.qkvBias()),
                Linear.load(w.sub(n.k()), h, kvd, c.qkvBias()), Linear.load(w.sub(n.v()), h, kvd, c.qkvBias()), null,
                Linear.load(w.sub(n.o()), qd, h, c.outBias()), dropoutRng);
    }

    public static MultiHeadAttention load(Weights w, Config c, Rope rope) { return load(w, c, rope, null); }

    /** Self-attention without mask, positions or cache. */
    public Tensor forward(Tensor x) { return forward(x, null, null, null); }

    /**
     * x: [B, T, hidden] → [B, T, hidden].
     *
     * @param mask      which keys each query sees (null: all); built for query slots starting at the cache length
     * @param positions RoPE position ids (null: cache length + 0 … T−1); ignored without RoPE
     * @param cache     this layer's cache (null: no cache); the new k/v are appended and all cached keys attended
     */
    public Tensor forward(Tensor x, AttentionMask mask, Positions positions, KvCache cache) {
        return forward(x, mask, positions, cache, FUSED);
    }

    /** {@link #forward(Tensor, AttentionMask, Positions, KvCache)} with the fused kernel allowed or not (tests compare both). */
    Tensor forward(Tensor x, AttentionMask mask, Positions positions, KvCache cache, boolean fused) {
        if (x.dim() != 3 || x.size(2) != c.hidden()) {
            throw ShapeException.of("MultiHeadAttention(hidden=" + c.hidden() + ")", "input [B, T, " + c.hidden() + "]", x.shape());
        }
        int b = x.size(0), t = x.size(1), nH = c.numHeads(), nKv = c.numKvHeads(), hd = c.headDim();
        Tensor qh, kh, vh;
        if (qkv != null) {
            List<Tensor> parts = qkv.forward(x).split(new int[]{nH * hd, nKv * hd, nKv * hd}, 2);
            qh = parts.get(0); kh = parts.get(1); vh = parts.get(2);
        } else {
            qh = q.forward(x); kh = k.forward(x); vh = v.forward(x);
        }
        qh = qh.reshape(b, t, nH, hd).transpose(1, 2);     // [B, nH, T, hd]
        kh = kh.reshape(b, t, nKv, hd).transpose(1, 2);    // [B, nKv, T, hd]
        vh = vh.reshape(b, t, nKv, hd).transpose(1, 2);    // [B, nKv, T, hd]

        int start = cache == null ? 0 : cache.length();
        if (rope != null) {
            Positions pos = positions != null ? positions : Positions.range(start, t);
            qh = rope.apply(qh, pos);
            kh = rope.apply(kh, pos);
        }
        if (cache != null) {
            Tensor[] kv = cache.append(kh, vh);
            kh = kv[0];                                    // [B, nKv, L, hd]
            vh = kv[1];
        }
        int len = kh.size(2);
        // the fused kernel (online softmax, no [T, L] scores) whenever it can express the mask;
        // the dense path only for a bias that needs its gradient or dropout on the probabilities
        boolean dropoutActive = dropout != null && dropout.isTraining() && dropout.p() > 0f;
        AttentionOptions opt = dropoutActive ? null
                : mask == null ? AttentionOptions.defaults().withQueryOffset(start) : mask.kernelOptions(b, start, t, len, nH);
        Tensor ctx = opt != null && fused
                ? AttentionOp.attention(qh, kh, vh, opt.withScale(c.scale()))   // [B, nH, T, hd]
                : denseAttention(qh, kh, vh, mask, b, start, t, len);
        ctx = ctx.transpose(1, 2).reshape(b, t, nH * hd);
        return o.forward(ctx);
    }

    /**
     * The composed tensor-op path, eager HF: scores [B, nH, T, L] + dense mask bias, softmax,
     * dropout, · v. Query heads kv·G … kv·G+G−1 share kv head kv: they are stacked along T into
     * one GEMM per kv head.
     */
    private Tensor denseAttention(Tensor qh, Tensor kh, Tensor vh, AttentionMask mask, int b, int start, int t, int len) {
        int nH = c.numHeads(), nKv = c.numKvHeads(), hd = c.headDim(), g = nH / nKv;
        Tensor qg = qh.reshape(b, nKv, g * t, hd);                         // [B, nKv, G·T, hd]
        Tensor scores = qg.matmul(kh.mT()).mul(c.scale()).reshape(b, nH, t, len);   // [B, nH, T, L]
        Tensor bias = mask == null ? null : mask.bias(b, start, t, len);   // [B|1, 1, T, L]
        if (bias != null) scores = scores.add(bias);
        Tensor probs = scores.softmax(-1);
        if (dropout != null) probs = dropout.forward(probs);
        Tensor ctx = probs.reshape(b, nKv, g * t, len).matmul(vh);         // [B, nKv, G·T, hd]
        return ctx.reshape(b, nH, t, hd);                                  // [B, nH, T, hd]
    }

    public Config config() { return c; }

    public Rope rope() { return rope; }
}
