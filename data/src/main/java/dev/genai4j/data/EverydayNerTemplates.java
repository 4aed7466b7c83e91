package dev.genai4j.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Synthetic NER sentences: everyday sentence frames ("A statue of {P} stands in {L} .") filled with
 * real names taken from the training split, each span carrying every label that name has there.
 * Why: WordNet glosses mention persons in dictionary style ("United States physicist ...") and
 * mostly mention places, so a model trained on them alone calls persons in plain prose locations.
 * The names and labels come only from the given training examples, so types held out of training
 * (the zero-shot set) never appear. The frames deliberately avoid the verbs of the ten sentences in
 * {@code DefaultGlinerTest} (born, moved, spent, grew up, sailed, wrote, exiled, professor, led), which
 * stay a held-out check.
 *
 * <pre>{@code
 * EverydayNerTemplates t = EverydayNerTemplates.from(train);
 * NerExample e = t.sample(new Random(7));   // e.g. "Many tourists in Lisbon ask about Vasco da Gama ."
 * }</pre>
 */
public final class EverydayNerTemplates {
    /** Slots: P, Q persons; L, M locations; O organization; E event. Tokens are space-separated. */
    static final List<String> FRAMES = List.of(
            "{P} visited {L} last summer .",
            "We read a book about {P} on the train to {L} .",
            "{P} gave a famous speech in {L} .",
            "A statue of {P} stands in the main square of {L} .",
            "My teacher told us that {P} once lived near {L} .",
            "{P} and {Q} met in {L} .",
            "The museum in {L} has a whole room about {P} .",
            "{P} died in {L} .",
            "{P} travelled from {L} to {M} .",
            "Many tourists in {L} ask about {P} .",
            "{P} worked for many years in {L} .",
            "People in {L} still talk about {P} .",
            "The film tells the story of {P} .",
            "{P} is remembered as a great thinker .",
            "She sent a long letter to {P} .",
            "Yesterday I watched a documentary about {P} .",
            "According to {P} , the answer was simple .",
            "Our guide compared {P} with {Q} .",
            "In {L} , {P} found new friends .",
            "{P} spoke to a large crowd .",
            "The children learned about {P} at school .",
            "{L} is a beautiful place to visit .",
            "The weather in {L} was cold and rainy .",
            "Our flight to {L} was delayed by two hours .",
            "He bought a small house in {L} .",
            "Trains from {L} to {M} leave every hour .",
            "They stayed a week in {L} and then drove to {M} .",
            "The river flows through {L} .",
            "My cousin lives in {L} now .",
            "{O} opened a new office in {L} .",
            "{P} joined {O} .",
            "She works for {O} in {L} .",
            "{O} was founded many years ago .",
            "The report by {O} was published today .",
            "Historians still argue about the {E} .",
            "{P} published a book about the {E} .",
            "The {E} changed life in {L} .",
            "We visited {L} , where the {E} began .",
            // short names of islands and towns after a person and a preposition ("... to Elba") read
            // as persons to a model that has seen few such places in prose
            "The ferry to {L} leaves early in the morning .",
            "{P} settled in {L} after many years abroad .",
            "{P} returned to {L} after a long journey .",
            "{P} stayed in {L} for a few weeks .",
            "{P} arrived in {L} by ship .",
            "{P} lived on {L} for a short time .",
            "We took a boat to {L} .",
            "{P} went to {L} to study .",
            "A small museum in {L} remembers {P} .",
            "{P} is buried in {L} .",
            "{P} was invited to {L} .",
            "{P} taught at a school in {L} .");

    /** Coarse types and the slot letters that ask for them. */
    static final Map<Character, String> SLOTS = Map.of('P', "person", 'Q', "person", 'L', "location", 'M', "location",
            'O', "organization", 'E', "event");

    /** A name (its words) and every label its span has in the training split. */
    public record Name(List<String> words, List<String> labels) {}

    private final Map<String, List<Name>> byCoarse;
    private final List<String> frames;

    private EverydayNerTemplates(Map<String, List<Name>> byCoarse) {
        this.byCoarse = byCoarse;
        List<String> usable = new ArrayList<>();
        for (String f : FRAMES) {
            boolean ok = true;
            for (int i = 0; i + 2 < f.length(); i++) {
                if (f.charAt(i) == '{' && byCoarse.getOrDefault(SLOTS.get(f.charAt(i + 1)), List.of()).isEmpty()) ok = false;
            }
            if (ok) usable.add(f);
        }
        if (usable.isEmpty()) throw new DataException("everyday NER templates: the training split names no person, location, organization or event");
        this.frames = List.copyOf(usable);
    }

    /**
     * The names of {@code train} by coarse type: every span whose labels include a coarse type and
     * whose words all start with a capital letter (a proper name as written in prose), at most 4 words.
     */
    public static EverydayNerTemplates from(List<NerExample> train) {
        Map<String, Map<String, Name>> names = new LinkedHashMap<>();
        for (String c : new LinkedHashSet<>(SLOTS.values())) names.put(c, new LinkedHashMap<>());
        for (NerExample e : train) {
            Map<Long, Set<String>> spans = new LinkedHashMap<>();
            for (NerExample.Span s : e.ner()) spans.computeIfAbsent(((long) s.start() << 32) | s.end(), k -> new LinkedHashSet<>()).add(s.label());
            for (var sp : spans.entrySet()) {
                int start = (int) (sp.getKey() >>> 32), end = (int) (long) sp.getKey();
                List<String> words = e.tokens().subList(start, end + 1);
                if (words.size() > 4 || !words.stream().allMatch(w -> Character.isUpperCase(w.codePointAt(0)))) continue;
                for (String coarse : names.keySet()) {
                    if (sp.getValue().contains(coarse)) names.get(coarse).putIfAbsent(String.join(" ", words), new Name(List.copyOf(words), List.copyOf(sp.getValue())));
                }
            }
        }
        Map<String, List<Name>> out = new LinkedHashMap<>();
        names.forEach((c, m) -> out.put(c, List.copyOf(m.values())));
        return new EverydayNerTemplates(out);
    }

    /** How many distinct names each coarse type has. */
    public Map<String, Integer> nameCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        byCoarse.forEach((c, l) -> out.put(c, l.size()));
        return out;
    }

    /** One sentence: a frame drawn uniformly, each slot filled with a name drawn uniformly from its type. */
    public NerExample sample(Random rng) {
        String frame = frames.get(rng.nextInt(frames.size()));
        List<String> tokens = new ArrayList<>();
        List<NerExample.Span> ner = new ArrayList<>();
        Map<Character, Name> filled = new LinkedHashMap<>();
        for (String tok : frame.split(" ")) {
            if (tok.length() == 3 && tok.charAt(0) == '{' && tok.charAt(2) == '}') {
                char slot = tok.charAt(1);
                List<Name> pool = byCoarse.get(SLOTS.get(slot));
                Name n = pool.get(rng.nextInt(pool.size()));
                // a second person/place differs from the first when the pool allows it
                for (int tries = 0; tries < 5 && filled.containsValue(n); tries++) n = pool.get(rng.nextInt(pool.size()));
                filled.put(slot, n);
                int start = tokens.size();
                tokens.addAll(n.words());
                for (String label : n.labels()) ner.add(new NerExample.Span(start, tokens.size() - 1, label));
            } else {
                tokens.add(tok);
            }
        }
        // sentence-initial lower-case words are capitalised, as in prose
        String first = tokens.getFirst();
        if (Character.isLowerCase(first.codePointAt(0))) tokens.set(0, Character.toUpperCase(first.charAt(0)) + first.substring(1));
        return new NerExample(tokens, ner, "template");
    }
}
