package dev.genai4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WordNet 3.0's noun taxonomy: every noun synset with its hypernyms ({@code @}) and the classes
 * it is an instance of ({@code @i}), plus the sense order of each lemma from {@code index.noun}
 * (most frequent sense first). What {@link SilverNer} needs to type a proper noun at several
 * granularities: {@code Einstein} → physicist → scientist → person.
 *
 * <pre>{@code
 * WordNetNounGraph g = WordNetNounGraph.open(DataFiles.WORDNET_DIR);
 * Node einstein = g.node(10954498);
 * g.chain(einstein.instanceOf().getFirst());   // physicist, scientist, person, organism, …, entity
 * }</pre>
 */
public final class WordNetNounGraph {
    /**
     * @param offset     synset id in {@code data.noun}
     * @param lexFile    lexicographer file, e.g. {@code noun.person}
     * @param words      lemmas, underscores as spaces
     * @param gloss      definition and examples
     * @param hypernyms  {@code @} pointers (classes above this class)
     * @param instanceOf {@code @i} pointers (classes this proper noun is an instance of)
     */
    public record Node(long offset, String lexFile, List<String> words, String gloss, List<Long> hypernyms, List<Long> instanceOf) {
        public String head() { return words.getFirst(); }
    }

    private final Map<Long, Node> nodes;
    private final Map<String, List<Long>> senses;   // lowercase lemma with spaces → synsets, most frequent first

    private WordNetNounGraph(Map<Long, Node> nodes, Map<String, List<Long>> senses) {
        this.nodes = nodes;
        this.senses = senses;
    }

    /** Reads {@code data.noun} and {@code index.noun} of {@code dir}. @throws MissingDataException if either is absent */
    public static WordNetNounGraph open(Path dir) {
        Path data = dir.resolve("data.noun"), index = dir.resolve("index.noun");
        MissingDataException.require("WordNet", data, DataFiles.WORDNET_INSTALL);
        MissingDataException.require("WordNet", index, DataFiles.WORDNET_INSTALL);
        Map<Long, Node> nodes = new HashMap<>();
        readLines(data, (line, n) -> {
            Node x = parse(line, data, n);
            nodes.put(x.offset(), x);
        });
        Map<String, List<Long>> senses = new HashMap<>();
        readLines(index, (line, n) -> {
            // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
            String[] f = line.strip().split(" +");
            try {
                int synsets = Integer.parseInt(f[2]), pointers = Integer.parseInt(f[3]);
                List<Long> offs = new ArrayList<>(synsets);
                for (int i = 0; i < synsets; i++) offs.add(Long.parseLong(f[4 + pointers + 2 + i]));
                senses.put(f[0].replace('_', ' '), List.copyOf(offs));
            } catch (RuntimeException e) {
                throw new DataException("WordNet " + index + " line " + n + ": not an index line (" + e.getMessage() + ")", e);
            }
        });
        return new WordNetNounGraph(nodes, senses);
    }

    public static WordNetNounGraph openDefault() { return open(DataFiles.WORDNET_DIR); }

    /** The synset at {@code offset}. @throws DataException if there is none */
    public Node node(long offset) {
        Node n = nodes.get(offset);
        if (n == null) throw new DataException("WordNet data.noun: no synset at offset " + offset);
        return n;
    }

    public java.util.Collection<Node> nodes() { return nodes.values(); }

    /** The synsets of a lemma (any case), most frequent sense first; empty when not a noun. */
    public List<Long> senses(String lemma) {
        return senses.getOrDefault(lemma.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    /** {@code from} and its first-hypernym path up to the root, e.g. physicist, scientist, person, …, entity. */
    public List<Node> chain(long from) {
        List<Node> out = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        Node n = node(from);
        while (n != null && seen.add(n.offset())) {
            out.add(n);
            List<Long> up = !n.hypernyms().isEmpty() ? n.hypernyms() : n.instanceOf();
            n = up.isEmpty() ? null : node(up.getFirst());
        }
        return out;
    }

    private interface LineSink {
        void accept(String line, long lineNumber);
    }

    private static void readLines(Path file, LineSink sink) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long n = 0;
            for (String line; (line = in.readLine()) != null; ) {
                n++;
                if (line.isEmpty() || line.charAt(0) == ' ') continue;   // license header
                sink.accept(line, n);
            }
        } catch (IOException e) {
            throw new DataException("WordNet: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One {@code data.noun} line (wndb(5WN)); only the {@code @} and {@code @i} pointers are kept. */
    static Node parse(String line, Path file, long lineNumber) {
        WordNetSynset s = WordNetSynset.parse(line, file.toString(), lineNumber);
        int bar = line.indexOf(" | ");
        String[] f = (bar < 0 ? line : line.substring(0, bar)).strip().split(" +");
        int i = 4 + 2 * Integer.parseInt(f[3], 16);
        int pointers = Integer.parseInt(f[i++]);
        List<Long> hyper = new ArrayList<>(1);
        for (int p = 0; p < pointers; p++, i += 4) {
            if (f[i].equals("@") && f[i + 2].equals("n")) hyper.add(Long.parseLong(f[i + 1]));
        }
        return new Node(s.offset(), s.lexFile(), s.words(), s.gloss(), List.copyOf(hyper), s.instanceOf());
    }
}
