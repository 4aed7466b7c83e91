package dev.genai4j.models.mixtral;

import dev.genai4j.nn.KvCache;
import dev.genai4j.nn.Positions;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Autoregressive generation with a {@link MixtralForCausalLM} and its KV cache, as HF {@code generate}:
 * a batch of prompts is left-padded, position ids are {@code cumsum(mask) − 1} (padding at 1),
 * the prompt runs once (prefill), then one token per step; only the last position is projected to
 * the vocabulary, once per step. Rows that finish (EOS, a stop string) are fed padding until all
 * rows are done or {@code max_new_tokens} is reached. Streaming goes through a {@link TokenListener}
 * (a {@link RoutingListener} also gets each step's expert routing);
 * {@link #cancel()} (from another thread, e.g. a Ctrl-C hook) ends generation after the current step.
 *
 * <pre>{@code
 * try (var lm = MixtralForCausalLM.load(dir); var tok = HfTokenizer.load(dir.resolve("tokenizer.json"))) {
 *     Generator g = new Generator(lm, tok);
 *     GenerationResult r = g.generate(List.of("Once upon a time"), GenerationOptions.greedy(32),
 *             (row, id, text) -> System.out.print(text));
 * }
 * }</pre>
 */
public final class Generator {
    private final MixtralForCausalLM lm;
    private final Tokenizer tokenizer;   // may be null: ids in, ids out
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private RowText[] streams;           // per row of the running generate

    public Generator(MixtralForCausalLM lm, Tokenizer tokenizer) {
        this.lm = lm;
        this.tokenizer = tokenizer;
    }

    /** A generator over token ids only (no text, no stop strings). */
    public Generator(MixtralForCausalLM lm) { this(lm, null); }

    /** Asks a running {@link #generate} to stop after the current step. */
    public void cancel() { cancelled.set(true); }

    /**
     * Encodes each prompt (with the tokenizer's special tokens) and generates; the config's
     * {@code bos_token_id} is put first when the tokenizer did not add it.
     */
    public GenerationResult generate(List<String> prompts, GenerationOptions options, TokenListener listener) {
        if (tokenizer == null) throw new GenerationException("generate: text prompts need a tokenizer; pass token ids instead");
        List<int[]> ids = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).isEmpty()) throw new GenerationException("generate: prompt " + i + " is empty");
            int[] enc = tokenizer.encode(prompts.get(i)).ids();
            Integer bos = lm.config().bosTokenId();
            if (bos != null && (enc.length == 0 || enc[0] != bos)) {
                // Mixtral was trained with BOS first; Mistral's tokenizer.json adds it, a bare BPE does not
                int[] withBos = new int[enc.length + 1];
                withBos[0] = bos;
                System.arraycopy(enc, 0, withBos, 1, enc.length);
                enc = withBos;
            }
            ids.add(enc);
        }
        return generateIds(ids, options, listener);
    }

    /** Generates from token-id prompts (each non-empty; lengths may differ). */
    public GenerationResult generateIds(List<int[]> prompts, GenerationOptions options, TokenListener listener) {
        MixtralConfig c = lm.config();
        int b = prompts.size();
        if (b == 0) throw new GenerationException("generate: no prompts");
        int t = 0;
        for (int i = 0; i < b; i++) {
            int[] p = prompts.get(i);
            if (p.length == 0) throw new GenerationException("generate: prompt " + i + " is empty (0 tokens)");
            for (int id : p) {
                if (id < 0 || id >= c.vocabSize()) {
                    throw new GenerationException("generate: prompt " + i + " holds token id " + id + ", outside the vocabulary [0, " + c.vocabSize() + ")");
                }
            }
            t = Math.max(t, p.length);
        }
        int context = c.maxPositionEmbeddings();
        if (t > context) {
            throw new GenerationException("generate: the prompt has " + t + " tokens, longer than the model's context of "
                    + context + " (max_position_embeddings); shorten it");
        }
        int maxNew = Math.min(options.maxNewTokens(), context - t);   // positions past the context have no RoPE entry
        cancelled.set(false);
        try (var g = NoGrad.enter()) {
            return run(prompts, options, listener, b, t, maxNew);
        }
    }

    private GenerationResult run(List<int[]> prompts, GenerationOptions o, TokenListener listener, int b, int t, int maxNew) {
        MixtralConfig c = lm.config();
        int vocab = c.vocabSize(), pad = c.padTokenId() != null ? c.padTokenId() : 0, total = t + maxNew;
        float[] ids = new float[b * t];
        float[] mask = new float[b * total];   // [B, total]; slot s of row r at r·total + s
        int[][] pos = new int[b][t];
        int[] realCount = new int[b];
        boolean anyPad = false;
        boolean[][] seen = new boolean[b][vocab];
        for (int r = 0; r < b; r++) {
            int[] p = prompts.get(r);
            int padding = t - p.length;
            anyPad |= padding > 0;
            for (int s = 0; s < t; s++) {
                boolean real = s >= padding;
                ids[r * t + s] = real ? p[s - padding] : pad;
                mask[r * total + s] = real ? 1f : 0f;
                pos[r][s] = real ? s - padding : 1;     // HF: cumsum(mask) − 1, padding filled with 1
            }
            realCount[r] = p.length;
            for (int id : p) seen[r][id] = true;
        }
        List<int[]> out = new ArrayList<>(b);
        List<StringBuilder> texts = new ArrayList<>(b);
        int[] emitted = new int[b];
        GenerationResult.FinishReason[] reason = new GenerationResult.FinishReason[b];
        int[][] gen = new int[b][maxNew];
        int[] genLen = new int[b];
        if (maxNew == 0) return result(gen, genLen, texts, reason, b, GenerationResult.FinishReason.LENGTH);

        KvCache[] caches = lm.newCaches(b, total);
        LogitsSampler sampler = new LogitsSampler(o);
        Tensor input = Tensor.of(ids, b, t);
        Positions positions = Positions.perBatch(pos);
        int cached = 0;
        for (int r = 0; r < b; r++) texts.add(new StringBuilder());
        streams = new RowText[b];
        for (int r = 0; r < b; r++) streams[r] = new RowText();
        for (int step = 0; step < maxNew; step++) {
            int len = cached + input.size(1);
            Tensor m = anyPad ? maskPrefix(mask, b, total, len) : null;
            MixtralForCausalLM.Output fwd = lm.forward(input, m, positions, caches, true);
            float[] logits = fwd.logits().data();   // [B, 1, V]
            if (listener instanceof RoutingListener rl) rl.onRouting(step, fwd.routings());
            cached = len;
            float[] next = new float[b];
            int[][] nextPos = new int[b][1];
            for (int r = 0; r < b; r++) {
                nextPos[r][0] = realCount[r]++;
                mask[r * total + cached] = 1f;   // HF appends 1 for every row, finished or not
                if (reason[r] != null) { next[r] = pad; continue; }
                int tok = sampler.next(logits, r * vocab, vocab, seen[r]);
                next[r] = tok;
                seen[r][tok] = true;
                gen[r][genLen[r]++] = tok;
                if (o.stopAtEos() && c.eosTokenIds().contains(tok)) reason[r] = GenerationResult.FinishReason.EOS;
                String piece = tokenizer == null ? null : textStep(r, reason[r] != null, gen[r], genLen[r], o, texts, emitted, reason);
                if (listener != null) listener.onToken(r, tok, piece);
            }
            boolean allDone = true;
            for (GenerationResult.FinishReason f : reason) allDone &= f != null;
            if (allDone) break;
            if (cancelled.get()) return result(gen, genLen, texts, reason, b, GenerationResult.FinishReason.CANCELLED);
            input = Tensor.of(next, b, 1);
            positions = Positions.perBatch(nextPos);
        }
        return result(gen, genLen, texts, reason, b, GenerationResult.FinishReason.LENGTH);
    }

    /**
     * Detokenizes the row's tokens incrementally, checks the stop strings and returns the text not yet
     * emitted; text that could still become a stop string, or an incomplete UTF-8 sequence, is held back.
     */
    private String textStep(int r, boolean finishing, int[] gen, int n, GenerationOptions o, List<StringBuilder> texts,
                            int[] emitted, GenerationResult.FinishReason[] reason) {
        String full = streams[r].append(gen, n);
        int cut = -1;
        for (String s : o.stopStrings()) {
            int at = full.indexOf(s, Math.max(0, streams[r].searchedUpTo - s.length()));
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        streams[r].searchedUpTo = full.length();
        int safe;
        if (cut >= 0) {
            full = full.substring(0, cut);
            reason[r] = GenerationResult.FinishReason.STOP_STRING;
            safe = full.length();
        } else if (finishing) {
            safe = full.length();
        } else {
            safe = full.length();
            while (safe > 0 && full.charAt(safe - 1) == '\uFFFD') safe--;    // a character still being spelled in bytes
            for (String s : o.stopStrings()) {
                for (int l = Math.min(s.length() - 1, full.length()); l > 0; l--) {
                    if (full.regionMatches(full.length() - l, s, 0, l)) { safe = Math.min(safe, full.length() - l); break; }
                }
            }
        }
        texts.get(r).setLength(0);
        texts.get(r).append(full);
        if (safe <= emitted[r]) return "";
        String piece = full.substring(emitted[r], safe);
        emitted[r] = safe;
        return piece;
    }

    /**
     * Incremental detokenization of one row (as HF's {@code TextStreamer} / TGI): each step decodes
     * only the tokens since the last complete character, together with the few before them as context
     * (so a decoder that strips a leading space, or merges bytes across tokens, spells them as in the
     * whole sequence), instead of re-decoding every generated token: that made streaming quadratic in
     * the output length.
     */
    private final class RowText {
        private final StringBuilder committed = new StringBuilder();
        private int prefixOff, readOff;   // gen[prefixOff, readOff) is context already committed
        int searchedUpTo;                  // the stop strings were looked for up to here

        /** The row's whole text after {@code gen[0, n)}. */
        String append(int[] gen, int n) {
            String prefix = decode(gen, prefixOff, readOff), now = decode(gen, prefixOff, n);
            if (!now.startsWith(prefix)) {
                // a decoder whose output for the window is not an extension of the context: decode everything
                committed.setLength(0);
                committed.append(decode(gen, 0, n));
                prefixOff = readOff = n;
                return committed.toString();
            }
            String tail = now.substring(prefix.length());
            if (!tail.isEmpty() && tail.charAt(tail.length() - 1) != '\uFFFD') {
                committed.append(tail);
                prefixOff = readOff;
                readOff = n;
                return committed.toString();
            }
            return committed + tail;
        }

        private String decode(int[] gen, int from, int to) {
            // ids the tokenizer does not know (a model vocabulary larger than its tokenizer's) spell nothing, as in HF
            int known = tokenizer.vocabSize();
            return from >= to ? "" : tokenizer.decode(Arrays.stream(gen, from, to).filter(id -> id < known).toArray(), true);
        }
    }

    private static Tensor maskPrefix(float[] mask, int b, int total, int len) {
        float[] m = new float[b * len];
        for (int r = 0; r < b; r++) System.arraycopy(mask, r * total, m, r * len, len);
        return Tensor.of(m, b, len);
    }

    private GenerationResult result(int[][] gen, int[] genLen, List<StringBuilder> texts, GenerationResult.FinishReason[] reason,
                                    int b, GenerationResult.FinishReason unfinished) {
        List<int[]> tokens = new ArrayList<>(b);
        List<String> outTexts = new ArrayList<>(b);
        List<GenerationResult.FinishReason> reasons = new ArrayList<>(b);
        for (int r = 0; r < b; r++) {
            tokens.add(Arrays.copyOf(gen[r], genLen[r]));
            outTexts.add(tokenizer == null ? null : texts.isEmpty() ? "" : texts.get(r).toString());
            reasons.add(reason[r] != null ? reason[r] : unfinished);
        }
        return new GenerationResult(tokens, outTexts, reasons);
    }
}
