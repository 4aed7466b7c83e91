package dev.genai4j.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Trains a byte-level BPE vocabulary from scratch (Sennrich et al., arXiv 1508.07909, on bytes
 * as GPT-2 does). Text is cut by {@link CodePreTokenizer}; merges never cross a piece. Pair counts
 * live in a hash map with a lazily-updated max-heap on top, and each pair keeps the list of
 * distinct pieces it occurs in, so a merge touches only the pieces that contain it.
 *
 * <pre>{@code
 * TrainedBpe bpe = new BpeTrainer(8192, List.of("<pad>", "<s>", "</s>", "<unk>", "<mask>"), 2)
 *         .feedFile(Path.of("corpus.txt"))
 *         .train();
 * bpe.writeTokenizerJson(Path.of("out/tokenizer.json"));   // loads with HfTokenizer
 * }</pre>
 */
public final class BpeTrainer {
    private final int vocabSize;
    private final List<String> specials;
    private final int minFrequency;
    private final Map<String, int[]> pieceCounts = new HashMap<>();

    /**
     * @param vocabSize    target size, specials and the 256 bytes included (at most 65,536)
     * @param specials     special tokens, given ids 0.. in this order
     * @param minFrequency a pair seen fewer times than this is never merged (training stops)
     */
    public BpeTrainer(int vocabSize, List<String> specials, int minFrequency) {
        List<String> unique = List.copyOf(new LinkedHashSet<>(specials));
        if (unique.size() != specials.size()) throw new TokenizerException("BpeTrainer: special tokens repeat: " + specials);
        if (vocabSize < unique.size() + 256 || vocabSize > 65_536) {
            throw new TokenizerException("BpeTrainer: vocabSize must be in [" + (unique.size() + 256) + ", 65536] ("
                    + unique.size() + " specials + 256 bytes at least), got " + vocabSize);
        }
        if (minFrequency < 1) throw new TokenizerException("BpeTrainer: minFrequency must be >= 1, got " + minFrequency);
        this.vocabSize = vocabSize;
        this.specials = unique;
        this.minFrequency = minFrequency;
    }

    /** Adds {@code text} to the training counts. */
    public BpeTrainer feed(String text) {
        if (text == null) throw new TokenizerException("BpeTrainer.feed: text is null");
        CodePreTokenizer.split(text, piece -> pieceCounts.computeIfAbsent(piece, p -> new int[1])[0]++);
        return this;
    }

    /** Adds a UTF-8 text file to the training counts. */
    public BpeTrainer feedFile(Path file) {
        try {
            return feed(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TokenizerException("BpeTrainer.feedFile: cannot read " + file.toAbsolutePath() + " as UTF-8: " + e.getMessage(), e);
        }
    }

    /** Distinct pieces counted so far. */
    public int distinctPieces() { return pieceCounts.size(); }

    /** Learns merges until the vocabulary is full or no pair occurs {@code minFrequency} times. */
    public TrainedBpe train() {
        Vocab vocab = new Vocab(specials);
        Words words = Words.of(pieceCounts, specials.size());
        Map<Long, PairStats> pairs = words.countPairs();
        // max count first, then the smaller pair key, so training is deterministic
        PriorityQueue<long[]> heap = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(y[0], x[0]) : Long.compare(x[1], y[1]));
        pairs.forEach((key, s) -> heap.add(new long[] {s.count, key}));
        List<int[]> merges = new ArrayList<>();
        int[] seenInMerge = new int[words.size()];
        Arrays.fill(seenInMerge, -1);

        while (vocab.size() < vocabSize && !heap.isEmpty()) {
            long[] top = heap.poll();
            PairStats stats = pairs.get(top[1]);
            if (stats == null || stats.count != top[0]) {       // stale entry: counts only fall
                if (stats != null && stats.count > 0) heap.add(new long[] {stats.count, top[1]});
                continue;
            }
            if (stats.count < minFrequency) break;
            int a = (int) (top[1] >>> 32), b = (int) top[1];
            int merged = vocab.merge(a, b);
            merges.add(new int[] {a, b});
            Map<Long, Long> delta = new HashMap<>();
            Map<Long, IntList> newPairWords = new HashMap<>();
            for (int i = 0; i < stats.words.size; i++) {
                int w = stats.words.data[i];
                if (seenInMerge[w] == merges.size()) continue;
                seenInMerge[w] = merges.size();
                words.merge(w, a, b, merged, delta, newPairWords);
            }
            pairs.remove(top[1]);
            delta.forEach((key, d) -> {
                if (d == 0) return;
                PairStats s = pairs.computeIfAbsent(key, k -> new PairStats());
                s.count += d;
                if (d > 0) heap.add(new long[] {s.count, key});    // only pairs with the new symbol grow
                if (s.count <= 0) pairs.remove(key);
            });
            newPairWords.forEach((key, list) -> {
                PairStats s = pairs.get(key);
                if (s != null) s.words.addAll(list);
            });
        }
        return new TrainedBpe(specials, vocab.tokens(), merges);
    }

    /** A pair's total count over the corpus and the pieces it occurs in (may hold stale entries). */
    static final class PairStats {
        long count;
        final IntList words = new IntList();
    }

    /** Token strings (byte-level alphabet) by id; a merge whose string exists reuses that id. */
    private static final class Vocab {
        private final List<String> tokens = new ArrayList<>();
        private final Map<String, Integer> ids = new HashMap<>();

        Vocab(List<String> specials) {
            for (String s : specials) add(s);
            for (int b = 0; b < 256; b++) add(String.valueOf(ByteLevel.charOf(b)));
        }

        private int add(String token) {
            Integer id = ids.get(token);
            if (id != null) return id;
            tokens.add(token);
            ids.put(token, tokens.size() - 1);
            return tokens.size() - 1;
        }

        int merge(int a, int b) { return add(tokens.get(a) + tokens.get(b)); }

        int size() { return tokens.size(); }

        List<String> tokens() { return List.copyOf(tokens); }
    }

    /** The distinct pieces as symbol-id sequences, with their corpus counts. */
    private static final class Words {
        private final int[][] symbols;
        private final int[] lengths;
        private final long[] counts;

        private Words(int[][] symbols, int[] lengths, long[] counts) {
            this.symbols = symbols;
            this.lengths = lengths;
            this.counts = counts;
        }

        static Words of(Map<String, int[]> pieceCounts, int byteIdBase) {
            // sorted so that ids (and so tie-breaks) do not depend on hash order
            List<String> pieces = new ArrayList<>(pieceCounts.keySet());
            pieces.sort(null);
            int n = pieces.size();
            int[][] symbols = new int[n][];
            int[] lengths = new int[n];
            long[] counts = new long[n];
            for (int w = 0; w < n; w++) {
                byte[] bytes = pieces.get(w).getBytes(StandardCharsets.UTF_8);
                symbols[w] = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) symbols[w][i] = byteIdBase + (bytes[i] & 0xFF);
                lengths[w] = bytes.length;
                counts[w] = pieceCounts.get(pieces.get(w))[0];
            }
            return new Words(symbols, lengths, counts);
        }

        int size() { return counts.length; }

        Map<Long, PairStats> countPairs() {
            Map<Long, PairStats> pairs = new HashMap<>();
            for (int w = 0; w < symbols.length; w++) {
                int[] s = symbols[w];
                for (int i = 0; i + 1 < lengths[w]; i++) {
                    PairStats st = pairs.computeIfAbsent(key(s[i], s[i + 1]), k -> new PairStats());
                    st.count += counts[w];
                    st.words.addUnlessLast(w);
                }
            }
            return pairs;
        }

        /**
         * Replaces each (a, b) in piece w, left to right, by {@code merged}; records the piece's
         * pair-count change in {@code delta} and which new pairs it now holds.
         */
        void merge(int w, int a, int b, int merged, Map<Long, Long> delta, Map<Long, IntList> newPairWords) {
            int[] s = symbols[w];
            int n = lengths[w];
            boolean found = false;
            for (int i = 0; i + 1 < n; i++) {
                if (s[i] == a && s[i + 1] == b) { found = true; break; }
            }
            if (!found) return;                        // stale entry in the pair's list
            long c = counts[w];
            for (int i = 0; i + 1 < n; i++) delta.merge(key(s[i], s[i + 1]), -c, Long::sum);
            int out = 0;
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && s[i] == a && s[i + 1] == b) {
                    s[out++] = merged;
                    i++;
                } else {
                    s[out++] = s[i];
                }
            }
            lengths[w] = out;
            for (int i = 0; i + 1 < out; i++) {
                long k = key(s[i], s[i + 1]);
                delta.merge(k, c, Long::sum);
                if (s[i] == merged || s[i + 1] == merged) newPairWords.computeIfAbsent(k, x -> new IntList()).addUnlessLast(w);
            }
        }

        static long key(int a, int b) { return ((long) a << 32) | (b & 0xFFFFFFFFL); }
    }

    /** A growable int array. */
    static final class IntList {
        int[] data = new int[4];
        int size;

        void addUnlessLast(int v) {
            if (size > 0 && data[size - 1] == v) return;
            if (size == data.length) data = Arrays.copyOf(data, size * 2);
            data[size++] = v;
        }

        void addAll(IntList other) {
            for (int i = 0; i < other.size; i++) addUnlessLast(other.data[i]);
        }
    }
}
