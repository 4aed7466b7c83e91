package dev.genai4j.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import ai.djl.util.PairList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A HF {@code tokenizer.json} run by the Rust {@code tokenizers} library through DJL's JNI
 * binding, so normalization, pre-tokenization, the model and post-processing are exactly HF's.
 * Padding is done here (either side, any pad id); truncation is the library's (specials kept,
 * longest sequence of a pair cut first).
 *
 * <p>Works offline: the native library ships inside the DJL jar and is copied once to DJL's
 * cache dir ({@code DJL_CACHE_DIR}, default {@code ~/.djl.ai}); this class switches DJL to
 * offline mode and opts out of its usage ping unless the caller set those properties.
 *
 * <pre>{@code
 * try (HfTokenizer tok = HfTokenizer.load(Path.of("models/all-minilm-l6-v2"))) {
 *     int[] ids = tok.encode("hello world").ids();    // [101, 7592, 2088, 102]
 * }
 * }</pre>
 */
public final class HfTokenizer implements Tokenizer {
    private static final System.Logger LOG = System.getLogger(HfTokenizer.class.getName());

    static {
        // DJL would otherwise query a cloud metadata address on first use (telemetry) and may try
        // hub downloads; neither is reachable nor wanted here.
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    private final HuggingFaceTokenizer hf;
    private final TokenizerVocab vocab;
    private final String source;
    private volatile boolean closed;

    private HfTokenizer(HuggingFaceTokenizer hf, TokenizerVocab vocab, String source) {
        this.hf = hf;
        this.vocab = vocab;
        this.source = source;
    }

    /** Loads {@code path}: a {@code tokenizer.json} file, or a folder that contains one. */
    public static HfTokenizer load(Path path) {
        Path file = path;
        if (Files.isDirectory(path)) {
            file = path.resolve("tokenizer.json");
            if (!Files.isRegularFile(file)) {
                throw new TokenizerException("HfTokenizer.load: folder " + path.toAbsolutePath()
                        + " has no tokenizer.json (expected the HF fast-tokenizer file there)");
            }
        } else if (!Files.isRegularFile(path)) {
            throw new TokenizerException("HfTokenizer.load: " + path.toAbsolutePath()
                    + " does not exist; expected a tokenizer.json file or a folder containing one");
        }
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TokenizerException("HfTokenizer.load: cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        TokenizerVocab vocab = TokenizerVocab.parse(json, file.toAbsolutePath().toString());
        // Padding and truncation stored in the file are switched off: EncodeOptions decide per call.
        Map<String, String> options = Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true");
        try {
            return new HfTokenizer(HuggingFaceTokenizer.newInstance(file, options), vocab, file.toAbsolutePath().toString());
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException("HfTokenizer.load: the tokenizers library rejected " + file.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Encoding encode(String text) {
        requireText(text, "encode", "text");
        return encodeBatch(List.of(text), EncodeOptions.defaults()).getFirst();
    }

    @Override
    public Encoding encode(String text, String pair) {
        requireText(text, "encode", "text");
        requireText(pair, "encode", "pair");
        EncodeOptions o = EncodeOptions.defaults();
        return withTruncation(o, () -> new ai.djl.huggingface.tokenizers.Encoding[] {hf.encode(text, pair, true, false)},
                (b, seq) -> seq == 0 ? text : pair, false).getFirst();
    }

    @Override
    public List<Encoding> encodeBatch(List<String> texts, EncodeOptions options) {
        for (int i = 0; i < texts.size(); i++) requireText(texts.get(i), "encodeBatch", "text " + i);
        String[] array = texts.toArray(String[]::new);
        // one text: skip the library's parallel batch path and its thread hand-off
        List<Encoding> out = withTruncation(options, () -> array.length == 1
                        ? new ai.djl.huggingface.tokenizers.Encoding[] {hf.encode(array[0], options.addSpecialTokens(), false)}
                        : hf.batchEncode(array, options.addSpecialTokens(), false),
                (b, seq) -> array[b], false);
        return pad(out, options);
    }

    @Override
    public List<Encoding> encodePairBatch(List<String> texts, List<String> pairs, EncodeOptions options) {
        if (texts.size() != pairs.size()) {
            throw new TokenizerException("encodePairBatch: " + texts.size() + " texts but " + pairs.size() + " pairs; expected one pair per text");
        }
        for (int i = 0; i < texts.size(); i++) {
            requireText(texts.get(i), "encodePairBatch", "text " + i);
            requireText(pairs.get(i), "encodePairBatch", "pair " + i);
        }
        PairList<String, String> input = new PairList<>(new ArrayList<>(texts), new ArrayList<>(pairs));
        List<Encoding> out = withTruncation(options, () -> hf.batchEncode(input, options.addSpecialTokens(), false),
                (b, seq) -> seq == 0 ? texts.get(b) : pairs.get(b), false);
        return pad(out, options);
    }

    @Override
    public List<Encoding> encodeWordsBatch(List<List<String>> batch, EncodeOptions options) {
        String[][] words = new String[batch.size()][];
        for (int b = 0; b < batch.size(); b++) {
            List<String> w = batch.get(b);
            if (w == null) throw new TokenizerException("encodeWords: input " + b + " is null; expected a list of words");
            for (int i = 0; i < w.size(); i++) requireText(w.get(i), "encodeWords", "input " + b + " word " + i);
            words[b] = w.toArray(String[]::new);
        }
        List<Encoding> out = withTruncation(options, () -> {
            var encs = new ai.djl.huggingface.tokenizers.Encoding[words.length];
            for (int b = 0; b < words.length; b++) {
                encs[b] = words[b].length == 0 ? hf.encode("", options.addSpecialTokens(), false)
                        : hf.encode(words[b].clone(), options.addSpecialTokens(), false);
            }
            return encs;
        }, (b, word) -> words[b][word], true);
        return pad(out, options);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        checkOpen();
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab.size()) {
                throw new TokenizerException("decode: id " + ids[i] + " at position " + i + " is outside the vocabulary [0, "
                        + vocab.size() + ") of " + source);
            }
            longs[i] = ids[i];
        }
        return hf.decode(longs, skipSpecial);
    }

    @Override public int tokenToId(String token) { return vocab.id(token); }

    @Override public String idToToken(int id) { return vocab.token(id); }

    @Override public int vocabSize() { return vocab.size(); }

    @Override public Map<String, Integer> specialTokens() { return vocab.specials(); }

    @Override public int padTokenId() { return vocab.padId(); }

    @Override
    public void close() {
        closed = true;
        hf.close();
    }

    /** Source text of a token: batch item b, sequence-or-word index k. */
    private interface TextOf {
        String get(int b, int k);
    }

    /**
     * Runs {@code encode} with the library's truncation set for {@code o} (the setting lives in the
     * shared native tokenizer, hence synchronized), then converts and applies the overflow policy.
     */
    private synchronized List<Encoding> withTruncation(EncodeOptions o, Supplier<ai.djl.huggingface.tokenizers.Encoding[]> encode,
                                                       TextOf textOf, boolean byWord) {
        checkOpen();
        long handle = hf.getHandle();
        boolean cut = o.maxLength() > 0 && o.overflow() != EncodeOptions.Overflow.ERROR;
        ai.djl.huggingface.tokenizers.Encoding[] raw;
        try {
            if (cut) TokenizersLibrary.LIB.setTruncation(handle, o.maxLength(), "LONGEST_FIRST", 0);
            raw = encode.get();
        } catch (RuntimeException e) {
            throw new TokenizerException("encode with " + source + " failed (maxLength " + o.maxLength() + "): " + e.getMessage(), e);
        } finally {
            if (cut) TokenizersLibrary.LIB.disableTruncation(handle);
        }
        List<Encoding> out = new ArrayList<>(raw.length);
        for (int b = 0; b < raw.length; b++) {
            final int item = b;
            Encoding e = convert(raw[b], k -> textOf.get(item, k), byWord);
            if (o.maxLength() > 0 && o.overflow() == EncodeOptions.Overflow.ERROR && e.length() > o.maxLength()) {
                throw new TokenizerException("encode: input " + b + " has " + e.length() + " tokens, more than maxLength "
                        + o.maxLength() + " (overflow policy ERROR; use TRUNCATE to cut it)");
            }
            if (e.truncated() && o.overflow() == EncodeOptions.Overflow.TRUNCATE_AND_WARN) {
                LOG.log(System.Logger.Level.WARNING, "input {0} truncated to {1} tokens", b, o.maxLength());
            }
            out.add(e);
        }
        return out;
    }

    /**
     * Our Encoding from DJL's: long → int, code-point spans → UTF-16 spans into the text they
     * index (the pair member by sequence id, or the pre-split word by word id), specials at [0, 0).
     */
    private static Encoding convert(ai.djl.huggingface.tokenizers.Encoding r, IntFunction<String> textOf, boolean byWord) {
        long[] ids = r.getIds(), types = r.getTypeIds(), mask = r.getAttentionMask(), words = r.getWordIds(), seqs = r.getSequenceIds();
        CharSpan[] spans = r.getCharTokenSpans();
        int n = ids.length;
        int[] outIds = new int[n], outTypes = new int[n], outMask = new int[n], starts = new int[n], ends = new int[n], outWords = new int[n];
        Map<Integer, CharIndex> indexes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            outIds[i] = (int) ids[i];
            outTypes[i] = (int) types[i];
            outMask[i] = (int) mask[i];
            outWords[i] = (int) words[i];
            CharSpan s = spans[i];
            if (s == null || seqs[i] < 0) continue;          // special token: [0, 0)
            int source = byWord ? outWords[i] : (int) seqs[i];
            CharIndex ci = indexes.computeIfAbsent(source, k -> new CharIndex(textOf.apply(k)));
            starts[i] = ci.toChar(s.getStart());
            ends[i] = ci.toChar(s.getEnd());
        }
        return new Encoding(outIds, outTypes, outMask, r.getTokens(), starts, ends, outWords, r.exceedMaxLength());
    }

    private List<Encoding> pad(List<Encoding> batch, EncodeOptions o) {
        if (o.padding() == EncodeOptions.Padding.NONE) return batch;
        int padId = o.padId() >= 0 ? o.padId() : vocab.padId();
        if (padId < 0) {
            throw new TokenizerException("padding: " + source + " defines no pad token; pass EncodeOptions.padId(id)");
        }
        if (padId >= vocab.size()) {
            throw new TokenizerException("padding: pad id " + padId + " is outside the vocabulary [0, " + vocab.size() + ") of " + source);
        }
        return BatchPadding.apply(batch, o, padId, vocab.token(padId));
    }

    private static void requireText(String text, String op, String what) {
        if (text == null) throw new TokenizerException(op + ": " + what + " is null; expected a string (\"\" for empty)");
    }

    private void checkOpen() {
        if (closed) throw new TokenizerException("tokenizer " + source + " is closed");
    }
}
