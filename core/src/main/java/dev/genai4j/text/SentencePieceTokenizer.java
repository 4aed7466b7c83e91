package dev.genai4j.text;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Unigram tokenizer built from a SentencePiece {@code spm.model} alone (arXiv 1804.10959),
 * equivalent to the {@code tokenizer.json} HF's {@code DebertaV2Converter} makes from the same
 * file and to {@code DebertaV2TokenizerFast}: strip the text, apply the model's precompiled
 * normalization ({@link PrecompiledCharsMap}), collapse runs of spaces, turn spaces into ▁ with a
 * ▁ in front (Metaspace), split before each ▁, and cut each piece by Viterbi over the piece
 * scores; a character no piece covers costs min score − 10 and becomes its UTF-8 byte pieces
 * ({@code <0xNN>}) with byte fallback, else the unknown id. DeBERTa-v3's specials: {@code [CLS]}
 * text {@code [SEP]}, {@code [MASK]} right after the last piece (128000 for deberta-v3-*);
 * special tokens written in the text ({@code [MASK]}, {@code [CLS]} …) are kept whole.
 *
 * <pre>{@code
 * SentencePieceTokenizer tok = SentencePieceTokenizer.load(Path.of("deberta-v3-small/spm.model"));
 * int[] ids = tok.encode("Hello world!");     // [1, …, 2]
 * tok.tokenToId("[MASK]");                    // 128000
 * }</pre>
 */
public final class SentencePieceTokenizer {
    /** HF's and SentencePiece's penalty of an unknown character below the lowest piece score. */
    private static final float UNK_PENALTY = 10f;
    private static final char META = '\u2581';

    private final SentencePieceModel model;
    private final PrecompiledCharsMap charsMap;    // null without rules
    private final Map<String, Integer> ids = new HashMap<>();
    private final String[] tokens;                 // id → piece (specials added after the pieces included)
    private final float[] scores;
    private final int maxPieceChars;
    private final float unkScore;
    private final int cls, sep, mask, pad, unk;
    private final List<String> specials;           // kept whole when written in the text, longest first

    private SentencePieceTokenizer(SentencePieceModel model) {
        if (model.modelType() != SentencePieceModel.UNIGRAM) {
            throw new TokenizerException("SentencePiece model type " + model.modelType() + " is not supported; only Unigram (1)");
        }
        this.model = model;
        this.charsMap = model.precompiledCharsmap().length == 0 ? null : PrecompiledCharsMap.of(model.precompiledCharsmap());
        List<SentencePieceModel.Piece> pieces = model.pieces();
        int n = pieces.size();
        List<String> toks = new ArrayList<>(n + 1);
        float[] sc = new float[n];
        float min = Float.MAX_VALUE;
        int maxLen = 1;
        for (int i = 0; i < n; i++) {
            SentencePieceModel.Piece p = pieces.get(i);
            toks.add(p.piece());
            ids.putIfAbsent(p.piece(), i);
            sc[i] = p.score();
            min = Math.min(min, p.score());
            maxLen = Math.max(maxLen, p.piece().codePointCount(0, p.piece().length()));
        }
        // DeBERTa-v3 adds [MASK] after the SentencePiece vocabulary
        if (!ids.containsKey("[MASK]")) {
            ids.put("[MASK]", n);
            toks.add("[MASK]");
        }
        this.tokens = toks.toArray(new String[0]);
        this.scores = sc;
        this.maxPieceChars = maxLen;
        this.unkScore = min - UNK_PENALTY;
        this.unk = model.unkId();
        this.cls = idOr("[CLS]", model.bosId());
        this.sep = idOr("[SEP]", model.eosId());
        this.pad = idOr("[PAD]", model.padId());
        this.mask = ids.get("[MASK]");
        List<String> sp = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SentencePieceModel.Type t = pieces.get(i).type();
            if (t == SentencePieceModel.Type.CONTROL || t == SentencePieceModel.Type.UNKNOWN) sp.add(pieces.get(i).piece());
        }
        sp.add("[MASK]");
        sp.sort((a, b) -> b.length() - a.length());
        this.specials = List.copyOf(sp);
    }

    private int idOr(String token, int fallback) {
        Integer id = ids.get(token);
        return id != null ? id : fallback;
    }

    /** Reads {@code spm.model} (a file, or a folder holding one). */
    public static SentencePieceTokenizer load(Path fileOrFolder) {
        Path f = java.nio.file.Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve("spm.model") : fileOrFolder;
        return new SentencePieceTokenizer(SentencePieceModel.read(f));
    }

    public static SentencePieceTokenizer of(SentencePieceModel model) { return new SentencePieceTokenizer(model); }

    public SentencePieceModel model() { return model; }

    /** {@code [CLS]} pieces {@code [SEP]}. */
    public int[] encode(String text) {
        int[] body = encodePieces(text);
        int[] out = new int[body.length + 2];
        out[0] = cls;
        System.arraycopy(body, 0, out, 1, body.length);
        out[out.length - 1] = sep;
        return out;
    }

    /** The piece ids of {@code text}, without {@code [CLS]} / {@code [SEP]}. */
    public int[] encodePieces(String text) {
        List<Integer> out = new ArrayList<>();
        int from = 0;
        while (from <= text.length()) {
            int at = -1;
            String hit = null;
            for (String s : specials) {
                int k = text.indexOf(s, from);
                if (k >= 0 && (at < 0 || k < at)) { at = k; hit = s; }
            }
            String part = at < 0 ? text.substring(from) : text.substring(from, at);
            encodeSegment(part, out);
            if (at < 0) break;
            out.add(ids.get(hit));
            from = at + hit.length();
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One stretch of text between special tokens: normalize, Metaspace, Viterbi per word. */
    private void encodeSegment(String text, List<Integer> out) {
        String s = stripWhitespace(text);
        if (charsMap != null) s = charsMap.normalize(s);
        s = s.replaceAll(" {2,}", " ");
        if (s.isEmpty()) return;
        s = s.replace(' ', META);
        if (s.charAt(0) != META) s = META + s;
        int start = 0;
        for (int i = 1; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == META) {
                viterbi(s.substring(start, i), out);
                start = i;
            }
        }
    }

    /** Best segmentation of one word by total piece score (HF Unigram {@code encode_optimized}: ties keep the first found). */
    private void viterbi(String word, List<Integer> out) {
        int[] cps = word.codePoints().toArray();
        int n = cps.length;
        float[] best = new float[n + 1];
        int[] from = new int[n + 1], id = new int[n + 1];
        Arrays.fill(from, -1);
        best[0] = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && from[i] < 0) continue;
            boolean single = false;
            StringBuilder sb = new StringBuilder();
            for (int len = 1; len <= Math.min(maxPieceChars, n - i); len++) {
                sb.appendCodePoint(cps[i + len - 1]);
                Integer p = ids.get(sb.toString());
                if (p == null || p >= scores.length) continue;
                float cand = best[i] + scores[p];
                if (from[i + len] < 0 || cand > best[i + len]) {
                    best[i + len] = cand;
                    from[i + len] = i;
                    id[i + len] = p;
                }
                if (len == 1) single = true;
            }
            if (!single) {
                float cand = best[i] + unkScore;
                if (from[i + 1] < 0 || cand > best[i + 1]) {
                    best[i + 1] = cand;
                    from[i + 1] = i;
                    id[i + 1] = -1;   // unknown: bytes or [UNK] below
                }
            }
        }
        List<int[]> path = new ArrayList<>();   // (start, end, id) back from the end
        for (int e = n; e > 0; e = from[e]) path.add(new int[]{from[e], e, id[e]});
        int runStart = -1;
        for (int k = path.size() - 1; k >= 0; k--) {
            int[] seg = path.get(k);
            if (seg[2] >= 0) {
                out.add(seg[2]);
                continue;
            }
            // consecutive unknown characters fuse into one unknown token (fuse_unk), as HF does
            if (runStart < 0) runStart = seg[0];
            boolean last = k == 0 || path.get(k - 1)[2] >= 0;
            if (last) {
                unknown(new String(cps, runStart, seg[1] - runStart), out);
                runStart = -1;
            }
        }
    }

    /** An unknown stretch: its UTF-8 bytes as {@code <0xNN>} pieces when all exist and byte fallback is on, else one unknown id. */
    private void unknown(String text, List<Integer> out) {
        if (model.byteFallback()) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            int[] byteIds = new int[b.length];
            boolean all = true;
            for (int i = 0; i < b.length && all; i++) {
                Integer p = ids.get(String.format("<0x%02X>", b[i] & 0xFF));
                if (p == null) all = false; else byteIds[i] = p;
            }
            if (all) {
                for (int x : byteIds) out.add(x);
                return;
            }
        }
        out.add(unk);
    }

    /** Unicode White_Space at both ends removed (HF's {@code Strip} normalizer, Rust {@code char::is_whitespace}). */
    static String stripWhitespace(String s) {
        int a = 0, b = s.length();
        while (a < b && isWhiteSpace(s.charAt(a))) a++;
        while (b > a && isWhiteSpace(s.charAt(b - 1))) b--;
        return s.substring(a, b);
    }

    private static boolean isWhiteSpace(char c) {
        return (c >= '\t' && c <= '\r') || c == ' ' || c == '\u0085' || c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a')
                || c == '\u2028' || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000';
    }

    /** Text of {@code ids}: ▁ back to spaces, byte pieces joined into UTF-8, the leading space dropped; specials skipped when asked. */
    public String decode(int[] idList, boolean skipSpecial) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i : idList) {
            String t = idToToken(i);
            if (skipSpecial && (i == cls || i == sep || i == pad || i == mask || i == unk && !model.byteFallback())) continue;
            if (t.length() == 6 && t.startsWith("<0x") && t.endsWith(">") && i < model.pieces().size()
                    && model.pieces().get(i).type() == SentencePieceModel.Type.BYTE) {
                bytes.write(Integer.parseInt(t.substring(3, 5), 16));
            } else {
                bytes.writeBytes(t.replace(META, ' ').getBytes(StandardCharsets.UTF_8));
            }
        }
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.startsWith(" ") ? s.substring(1) : s;
    }

    /** Id of {@code token}, or -1. */
    public int tokenToId(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    public String idToToken(int id) {
        if (id < 0 || id >= tokens.length) throw new TokenizerException("SentencePiece: id " + id + " is outside [0, " + tokens.length + ")");
        return tokens[id];
    }

    /** Pieces plus the added {@code [MASK]}. */
    public int vocabSize() { return tokens.length; }

    public int clsId() { return cls; }

    public int sepId() { return sep; }

    public int maskId() { return mask; }

    public int padId() { return pad; }

    public int unkId() { return unk; }
}
