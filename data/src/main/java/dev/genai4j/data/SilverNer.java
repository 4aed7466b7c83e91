package dev.genai4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A silver NER set from WordNet alone: the instance-of relation ({@code @i}) gives about 7,700
 * typed proper nouns; their mentions in real sentences (WordNet glosses and examples, GCIDE
 * definitions) become entity spans, labelled from the hypernym chain at three granularities — the
 * class (physicist), its parent (scientist) and a coarse type (person / location / organization /
 * event) when the chain reaches one.
 *
 * <p>Matching is case-sensitive, longest name first, left to right. A name shared by several
 * proper nouns takes the most frequent sense ({@code index.noun} order: Paris is the city, not the
 * Trojan prince). A match at the first word of a sentence counts only when the lemma's most
 * frequent sense is a proper noun (so a definition that starts with "Bath" the verb is skipped).
 *
 * <pre>{@code
 * SilverNer s = SilverNer.from(WordNetNounGraph.openDefault());
 * NerExample e = s.annotate(NerWords.split("physicist born in Germany"), "wordnet");
 * // Germany [3, 3]: european country, country, location
 * }</pre>
 */
public final class SilverNer {
    /** Ancestors whose head word gives the coarse label (first found walking up the chain). */
    static final Map<String, String> COARSE = Map.ofEntries(
            Map.entry("person", "person"),
            Map.entry("organization", "organization"), Map.entry("social group", "organization"),
            Map.entry("location", "location"), Map.entry("body of water", "location"),
            Map.entry("geological formation", "location"), Map.entry("land", "location"),
            Map.entry("structure", "location"),
            Map.entry("event", "event"), Map.entry("military action", "event"));
    /** Parents too abstract to be a useful entity type. */
    static final Set<String> ABSTRACT = Set.of("entity", "physical entity", "abstraction", "object", "whole", "causal agent",
            "organism", "being", "thing", "group", "unit", "matter", "act", "psychological feature", "communication", "relation",
            "measure", "attribute", "artifact", "instrumentality", "region", "area", "happening", "physical object", "collection", "people");

    private final WordNetNounGraph graph;
    /** first word of a name → names starting with it, longest first, with their labels. */
    private final Map<String, List<Name>> byFirstWord;

    /** A name of a proper noun as words, and the labels of its (most frequent) sense. */
    record Name(List<String> words, List<String> labels, long synset) {}

    private SilverNer(WordNetNounGraph graph, Map<String, List<Name>> byFirstWord) {
        this.graph = graph;
        this.byFirstWord = byFirstWord;
    }

    /** Indexes every proper noun of {@code graph} by its names. */
    public static SilverNer from(WordNetNounGraph graph) {
        Map<String, List<Long>> synsetsOfName = new HashMap<>();
        for (WordNetNounGraph.Node n : graph.nodes()) {
            if (n.instanceOf().isEmpty()) continue;
            for (String w : n.words()) {
                if (w.length() < 2 || !Character.isUpperCase(w.codePointAt(0))) continue;
                synsetsOfName.computeIfAbsent(w, k -> new ArrayList<>()).add(n.offset());
            }
        }
        Map<String, List<Name>> byFirst = new HashMap<>();
        for (var e : new TreeMap<>(synsetsOfName).entrySet()) {
            long chosen = mostFrequent(graph, e.getKey(), e.getValue());
            List<String> words = NerWords.split(e.getKey());
            byFirst.computeIfAbsent(words.getFirst(), k -> new ArrayList<>()).add(new Name(words, labels(graph, graph.node(chosen)), chosen));
        }
        for (List<Name> l : byFirst.values()) l.sort(Comparator.comparingInt((Name n) -> -n.words().size()));
        return new SilverNer(graph, byFirst);
    }

    /** Among the proper nouns named {@code name}, the one listed first in {@code index.noun} (ties: lowest offset). */
    private static long mostFrequent(WordNetNounGraph graph, String name, List<Long> candidates) {
        if (candidates.size() == 1) return candidates.getFirst();
        for (long s : graph.senses(name)) if (candidates.contains(s)) return s;
        return Collections.min(candidates);
    }

    /**
     * The labels of a proper noun, fine to coarse, without repeats: for each class it is an
     * instance of, the class and its parent (unless too abstract); then the coarse type of the
     * first class, if its chain reaches one. Einstein: physicist, scientist, person.
     */
    public static List<String> labels(WordNetNounGraph graph, WordNetNounGraph.Node instance) {
        Set<String> out = new LinkedHashSet<>();
        String coarse = null;
        for (long cls : instance.instanceOf()) {
            List<WordNetNounGraph.Node> chain = graph.chain(cls);
            out.add(label(chain.getFirst()));
            if (chain.size() > 1 && !ABSTRACT.contains(label(chain.get(1)))) out.add(label(chain.get(1)));
            if (coarse == null) {
                for (WordNetNounGraph.Node n : chain) {
                    String c = COARSE.get(label(n));
                    if (c != null) { coarse = c; break; }
                }
            }
        }
        if (coarse != null) out.add(coarse);
        return List.copyOf(out);
    }

    private static String label(WordNetNounGraph.Node n) { return n.head().toLowerCase(java.util.Locale.ROOT); }

    /** The labels of the proper noun named exactly {@code name}, or empty when WordNet has none. */
    public List<String> labelsOf(String name) {
        List<String> words = NerWords.split(name);
        if (words.isEmpty()) return List.of();
        for (Name n : byFirstWord.getOrDefault(words.getFirst(), List.of())) if (n.words().equals(words)) return n.labels();
        return List.of();
    }

    /** Number of distinct proper-noun names indexed. */
    public int nameCount() {
        int n = 0;
        for (List<Name> l : byFirstWord.values()) n += l.size();
        return n;
    }

    /** The sentence's words with every mention marked (all labels of each), or null when nothing is mentioned. */
    public NerExample annotate(List<String> words, String source) {
        List<NerExample.Span> spans = new ArrayList<>();
        for (int i = 0; i < words.size(); ) {
            Name hit = null;
            for (Name n : byFirstWord.getOrDefault(words.get(i), List.of())) {
                if (i + n.words().size() <= words.size() && words.subList(i, i + n.words().size()).equals(n.words())) { hit = n; break; }
            }
            if (hit != null && i == 0 && !properAtSentenceStart(hit)) hit = null;
            if (hit == null) { i++; continue; }
            int end = i + hit.words().size() - 1;
            for (String l : hit.labels()) spans.add(new NerExample.Span(i, end, l));
            i = end + 1;
        }
        return spans.isEmpty() ? null : new NerExample(words, spans, source);
    }

    /** At a sentence start the capital tells nothing: accept when the lemma's commonest sense is a proper noun. */
    private boolean properAtSentenceStart(Name n) {
        List<Long> senses = graph.senses(String.join(" ", n.words()));
        return senses.isEmpty() || !graph.node(senses.getFirst()).instanceOf().isEmpty();
    }

    /**
     * Sentences of a WordNet gloss: the definition and each quoted example ({@code ; "..."}),
     * quotes removed.
     */
    public static List<String> glossSentences(String gloss) {
        List<String> out = new ArrayList<>();
        for (String part : gloss.split(";\\s*")) {
            String p = part.strip();
            if (p.length() > 1 && p.startsWith("\"")) p = p.substring(1, p.endsWith("\"") ? p.length() - 1 : p.length()).strip();
            if (!p.isEmpty()) out.add(p);
        }
        return out;
    }

    /**
     * Sentences of a GCIDE article: its sense lines after the headword line, a leading sense number
     * ({@code 1.}, {@code (a)}) removed.
     */
    public static List<String> gcideSentences(String article) {
        List<String> out = new ArrayList<>();
        String[] lines = article.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].strip().replaceFirst("^(\\d+\\.|\\([a-z]\\))\\s*", "");
            if (!l.isEmpty()) out.add(l);
        }
        return out;
    }

    /** What {@link #split} needs: seed, shares of dev and test, and how the zero-shot types are chosen. */
    public record SplitConfig(long seed, double devShare, double testShare, int heldOutTypes, int minTypeExamples, int maxTypeExamples) {
        public static SplitConfig defaults() { return new SplitConfig(13, 0.05, 0.05, 12, 20, 400); }
    }

    /** train / dev / test over seen types; zero-shot: examples of the held-out types, annotated with those only. */
    public record Dataset(List<NerExample> train, List<NerExample> dev, List<NerExample> test, List<NerExample> zeroShot, List<String> heldOutTypes) {}

    /**
     * Splits annotated sentences (de-duplicated by text first). {@code heldOutTypes} fine labels
     * (seeded, among those in [min, max] examples, neither coarse nor {@link #ABSTRACT}) are held out of training:
     * every example that has one goes to the zero-shot set, which keeps only its held-out spans.
     * The rest is split by a seeded hash of the text, so an example's split does not depend on the others.
     */
    public static Dataset split(List<NerExample> annotated, SplitConfig c) {
        Map<String, NerExample> unique = new LinkedHashMap<>();
        for (NerExample e : annotated) unique.putIfAbsent(e.text(), e);
        Map<String, Integer> examplesOf = new TreeMap<>();
        for (NerExample e : unique.values()) {
            Set<String> labels = new LinkedHashSet<>();
            for (NerExample.Span s : e.ner()) labels.add(s.label());
            for (String l : labels) examplesOf.merge(l, 1, Integer::sum);
        }
        List<String> candidates = new ArrayList<>();
        examplesOf.forEach((l, n) -> {
            // a zero-shot type should name a kind of thing, not a bare "group" or "collection"
            if (n >= c.minTypeExamples() && n <= c.maxTypeExamples() && !COARSE.containsValue(l) && !ABSTRACT.contains(l)) candidates.add(l);
        });
        Collections.shuffle(candidates, new java.util.Random(c.seed()));
        List<String> held = List.copyOf(new java.util.TreeSet<>(candidates.subList(0, Math.min(c.heldOutTypes(), candidates.size()))));
        Set<String> heldSet = Set.copyOf(held);
        List<NerExample> train = new ArrayList<>(), dev = new ArrayList<>(), test = new ArrayList<>(), zero = new ArrayList<>();
        for (NerExample e : unique.values()) {
            List<NerExample.Span> heldSpans = e.ner().stream().filter(s -> heldSet.contains(s.label())).toList();
            if (!heldSpans.isEmpty()) {
                zero.add(new NerExample(e.tokens(), heldSpans, e.source()));
                continue;
            }
            double u = unit(e.text(), c.seed());
            (u < c.devShare() ? dev : u < c.devShare() + c.testShare() ? test : train).add(e);
        }
        return new Dataset(train, dev, test, zero, held);
    }

    /** A uniform number in [0, 1) from the text and the seed (SplitMix64 over the string hash). */
    static double unit(String text, long seed) {
        long z = seed * 0x9E3779B97F4A7C15L + text.hashCode();
        for (int i = 0; i < text.length(); i += 16) z = z * 31 + text.charAt(i);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
