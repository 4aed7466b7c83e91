package dev.genai4j.data;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A multi-domain text corpus (domain name → documents), each domain capped at a byte budget
 * and split deterministically into train and held-out by a hash of each document's text (so a
 * document stays on its side whatever else is added, and no run ever trains on the test set).
 *
 * <pre>{@code
 * TextCorpus c = TextCorpus.builder()
 *         .maxBytesPerDomain(4_000_000).heldOutFraction(0.02)
 *         .domain("prose", List.of(() -> WordNetGlosses.openDefault().synsets().map(WordNetSynset::text),
 *                                  () -> Gcide.openDefault().entries().map(GcideEntry::text)))
 *         .build();
 * c.writeFiles(Path.of("corpus"));          // corpus/prose.train.txt, corpus/prose.heldout.txt
 * new BpeTrainer(8192, specials, 2).feedFile(Path.of("corpus/prose.train.txt"));
 * }</pre>
 * {@link #standard} builds the three domains of the training issues from the installed files.
 */
public final class TextCorpus {
    /** Between documents in the written files: a blank line. */
    public static final String DOCUMENT_SEPARATOR = "\n\n";
    private static final long SPLIT_SALT = 0x5eed_5011_7L;
    private static final long SAMPLE_SALT = 0x5a3b_1e00L;

    private final Map<String, CorpusDomain> domains;

    private TextCorpus(Map<String, CorpusDomain> domains) { this.domains = Collections.unmodifiableMap(domains); }

    /** The domains in the order they were added. */
    public Map<String, CorpusDomain> domains() { return domains; }

    /** One domain. @throws DataException naming the known domains if there is no such one */
    public CorpusDomain domain(String name) {
        CorpusDomain d = domains.get(name);
        if (d == null) throw new DataException("TextCorpus: no domain '" + name + "', have " + domains.keySet());
        return d;
    }

    /**
     * Writes {@code <domain>.train.txt} and {@code <domain>.heldout.txt} per domain into {@code dir}
     * (documents separated by {@link #DOCUMENT_SEPARATOR}, UTF-8), each through a temporary file
     * and a rename so a reader never sees half a file.
     *
     * @return domain name → its training file, for {@code BpeTrainer.feedFile}
     */
    public Map<String, Path> writeFiles(Path dir) {
        Map<String, Path> trainFiles = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
            for (CorpusDomain d : domains.values()) {
                Path train = dir.resolve(d.name() + ".train.txt");
                write(train, d.train());
                write(dir.resolve(d.name() + ".heldout.txt"), d.heldOut());
                trainFiles.put(d.name(), train);
            }
        } catch (IOException e) {
            throw new DataException("TextCorpus: cannot write the corpus files into " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return trainFiles;
    }

    private static void write(Path target, List<String> docs) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (int i = 0; i < docs.size(); i++) {
                if (i > 0) w.write(DOCUMENT_SEPARATOR);
                w.write(docs.get(i));
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The corpus of issues 3 and 5 from the installed files: {@code prose} (WordNet glosses and
     * GCIDE articles, half the budget each), {@code code} (JDK sources of {@code java.*}, license
     * headers removed) and {@code arithmetic} (generated, MEDIUM and HARD, seed 1234).
     *
     * @param maxBytesPerDomain byte cap of each domain
     * @param sampleRate        share of source documents considered (by hash), in (0, 1]: below 1
     *                          spreads a small budget over the whole source instead of its first files
     * @throws MissingDataException if a source file is not installed
     */
    public static TextCorpus standard(long maxBytesPerDomain, double sampleRate) {
        WordNetGlosses wordnet = WordNetGlosses.openDefault();
        Gcide gcide = Gcide.openDefault();
        JdkSources jdk = JdkSources.openDefault();
        return builder().maxBytesPerDomain(maxBytesPerDomain).sampleRate(sampleRate)
                .domain("prose", List.of(() -> wordnet.synsets().map(WordNetSynset::text),
                                         () -> gcide.entries().map(GcideEntry::text)))
                .domain("code", List.of(() -> jdk.sources(List.of("java"), true).map(JavaSource::text)))
                .domain("arithmetic", List.of(
                        () -> new ArithmeticGenerator(1234, ArithmeticGenerator.Difficulty.MEDIUM).stream(Long.MAX_VALUE).map(ArithmeticProblem::text),
                        () -> new ArithmeticGenerator(5678, ArithmeticGenerator.Difficulty.HARD).stream(Long.MAX_VALUE).map(ArithmeticProblem::text)))
                .build();
    }

    public static Builder builder() { return new Builder(); }

    /** Collects domains; {@link #build()} reads the sources. */
    public static final class Builder {
        private final Map<String, List<Supplier<Stream<String>>>> sources = new LinkedHashMap<>();
        private long maxBytesPerDomain = Long.MAX_VALUE;
        private double heldOutFraction = 0.05;
        private double sampleRate = 1.0;

        private Builder() {}

        /** Cap on a domain's UTF-8 bytes (train and held-out together), never exceeded; split evenly among its sources. */
        public Builder maxBytesPerDomain(long bytes) {
            if (bytes <= 0) throw new DataException("TextCorpus: maxBytesPerDomain must be > 0, got " + bytes);
            this.maxBytesPerDomain = bytes;
            return this;
        }

        /** Share of documents held out, in [0, 1). */
        public Builder heldOutFraction(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) throw new DataException("TextCorpus: heldOutFraction must be in [0, 1), got " + fraction);
            this.heldOutFraction = fraction;
            return this;
        }

        /** Share of source documents considered at all (chosen by hash), in (0, 1]. */
        public Builder sampleRate(double rate) {
            if (!(rate > 0 && rate <= 1)) throw new DataException("TextCorpus: sampleRate must be in (0, 1], got " + rate);
            this.sampleRate = rate;
            return this;
        }

        /** A domain with one source. */
        public Builder domain(String name, Supplier<Stream<String>> source) { return domain(name, List.of(source)); }

        /**
         * A domain read from several sources, each given an equal share of the byte cap. A source
         * is opened only by {@link #build()}, and closed once its share is full; it may be infinite
         * when {@link #maxBytesPerDomain} is set.
         */
        public Builder domain(String name, List<Supplier<Stream<String>>> domainSources) {
            if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9_.-]+")) {
                throw new DataException("TextCorpus: domain name must be a plain file-name word ([A-Za-z0-9_.-]+), got '" + name + "'");
            }
            if (sources.containsKey(name)) throw new DataException("TextCorpus: domain '" + name + "' added twice");
            if (domainSources.isEmpty()) throw new DataException("TextCorpus: domain '" + name + "' has no source");
            sources.put(name, List.copyOf(domainSources));
            return this;
        }

        public TextCorpus build() {
            Map<String, CorpusDomain> out = new LinkedHashMap<>();
            for (var e : sources.entrySet()) {
                List<String> train = new ArrayList<>(), heldOut = new ArrayList<>();
                long share = maxBytesPerDomain / e.getValue().size();
                for (Supplier<Stream<String>> source : e.getValue()) take(source, share, train, heldOut);
                out.put(e.getKey(), new CorpusDomain(e.getKey(), train, heldOut));
            }
            return new TextCorpus(out);
        }

        /** Adds documents from {@code source} while they fit in {@code budget} bytes; stops at the first that does not. */
        private void take(Supplier<Stream<String>> source, long budget, List<String> train, List<String> heldOut) {
            long used = 0;
            try (Stream<String> docs = source.get()) {
                for (Iterator<String> it = docs.iterator(); it.hasNext(); ) {
                    String doc = it.next();
                    if (doc == null || doc.isBlank()) continue;
                    if (sampleRate < 1 && DocumentHash.unit(doc, SAMPLE_SALT) >= sampleRate) continue;
                    long bytes = utf8Bytes(doc);
                    if (used + bytes > budget) break;
                    used += bytes;
                    (DocumentHash.unit(doc, SPLIT_SALT) < heldOutFraction ? heldOut : train).add(doc);
                }
            }
        }
    }

    static long utf8Bytes(List<String> docs) {
        long n = 0;
        for (String d : docs) n += utf8Bytes(d);
        return n;
    }

    /** UTF-8 length without encoding the string. */
    static long utf8Bytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }
}
