package dev.genai4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams WordNet 3.0 synsets (words + gloss) from the {@code data.noun}, {@code data.verb},
 * {@code data.adj}, {@code data.adv} files of Debian's {@code wordnet-base}, and the typed
 * proper nouns of its instance-of relation.
 *
 * <pre>{@code
 * WordNetGlosses wn = WordNetGlosses.open(DataFiles.WORDNET_DIR);
 * try (Stream<WordNetSynset> s = wn.synsets()) {
 *     s.limit(3).forEach(x -> System.out.println(x.text()));
 * }
 * List<NamedEntity> ents = wn.namedEntities();   // (Paris, national capital, noun.location), …
 * }</pre>
 */
public final class WordNetGlosses {
    /** The four data files, in the order {@link #synsets()} reads them. */
    public static final List<String> DATA_FILES = List.of("data.noun", "data.verb", "data.adj", "data.adv");

    private final Path dir;

    private WordNetGlosses(Path dir) { this.dir = dir; }

    /**
     * @throws MissingDataException if any of the four data files is absent
     */
    public static WordNetGlosses open(Path dir) {
        for (String f : DATA_FILES) MissingDataException.require("WordNet", dir.resolve(f), DataFiles.WORDNET_INSTALL);
        return new WordNetGlosses(dir);
    }

    /** The installed WordNet ({@link DataFiles#WORDNET_DIR}). */
    public static WordNetGlosses openDefault() { return open(DataFiles.WORDNET_DIR); }

    /** All synsets, nouns then verbs, adjectives, adverbs; lazy: close the stream. */
    public Stream<WordNetSynset> synsets() {
        return DATA_FILES.stream().flatMap(this::synsets);
    }

    /** The synsets of one data file, e.g. {@code "data.noun"}, in file order; lazy: close the stream. */
    public Stream<WordNetSynset> synsets(String dataFile) {
        if (!DATA_FILES.contains(dataFile)) throw new DataException("WordNet: unknown data file '" + dataFile + "', expected one of " + DATA_FILES);
        Path file = dir.resolve(dataFile);
        BufferedReader in;
        try {
            in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException("WordNet: cannot open " + file + ": " + e.getMessage(), e);
        }
        Iterator<WordNetSynset> it = new Iterator<>() {
            long lineNumber;
            WordNetSynset next;

            @Override public boolean hasNext() {
                if (next != null) return true;
                try {
                    for (String line; (line = in.readLine()) != null; ) {
                        lineNumber++;
                        // the license header: lines that start with two spaces and a line number
                        if (line.isEmpty() || line.charAt(0) == ' ') continue;
                        next = WordNetSynset.parse(line, file.toString(), lineNumber);
                        return true;
                    }
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException("WordNet: reading " + file + " line " + lineNumber, e);
                }
            }

            @Override public WordNetSynset next() {
                if (!hasNext()) throw new NoSuchElementException();
                WordNetSynset s = next;
                next = null;
                return s;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try { in.close(); } catch (IOException e) { throw new UncheckedIOException(e); }
                });
    }

    /**
     * Every (name, type) pair of the instance-of relation ({@code @i} pointers in {@code data.noun}):
     * one per word of the instance synset and per class it is an instance of. About 7,700
     * instance synsets in WordNet 3.0; the file is read once.
     */
    public List<NamedEntity> namedEntities() {
        Map<Long, String> headword = new HashMap<>();
        List<WordNetSynset> instances = new ArrayList<>();
        try (Stream<WordNetSynset> s = synsets("data.noun")) {
            s.forEach(x -> {
                headword.put(x.offset(), x.words().getFirst());
                if (!x.instanceOf().isEmpty()) instances.add(x);
            });
        }
        List<NamedEntity> out = new ArrayList<>();
        for (WordNetSynset x : instances) {
            for (long cls : x.instanceOf()) {
                String type = headword.get(cls);
                if (type == null) {
                    throw new DataException("WordNet data.noun: synset " + x.offset() + " (" + x.words().getFirst()
                            + ") is an instance of " + cls + ", which is not in the file");
                }
                for (String name : x.words()) out.add(new NamedEntity(name, type, x.lexFile()));
            }
        }
        return out;
    }
}
