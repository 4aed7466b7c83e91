package dev.genai4j.models.gliner.train;

import dev.genai4j.data.NerExample;
import dev.genai4j.models.gliner.GlinerConfig;
import dev.genai4j.models.gliner.GlinerModel;
import dev.genai4j.models.gliner.SpanDecoder;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.Tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Exact-span evaluation: a prediction counts when its (start word, end word, label) equals a gold
 * span's; precision, recall and F1 per type and micro-averaged over all spans. Which types a text
 * is asked for is the caller's choice ({@link Protocol}); gold spans of other types are not counted.
 *
 * <pre>{@code
 * NerEvaluator.Scores s = NerEvaluator.evaluate(model, tok, cfg, dev, NerEvaluator.Protocol.fixed(List.of("person", "location")), 0.5, 16);
 * s.micro().f1();
 * }</pre>
 */
public final class NerEvaluator {
    private NerEvaluator() {}

    /** Counts of one type (or all). */
    public record Counts(long tp, long fp, long fn) {
        public double precision() { return tp + fp == 0 ? 0 : (double) tp / (tp + fp); }
        public double recall() { return tp + fn == 0 ? 0 : (double) tp / (tp + fn); }
        public double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
        Counts plus(Counts o) { return new Counts(tp + o.tp, fp + o.fp, fn + o.fn); }
    }

    /** Per-type and micro-averaged counts over {@code examples} texts. */
    public record Scores(Map<String, Counts> perType, Counts micro, int examples) {
        /** One line per type (most gold spans first, at most {@code top}) and the micro average. */
        public String table(int top) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-28s %7s %7s %7s %6s%n", "type", "P", "R", "F1", "gold"));
            perType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().tp() + b.getValue().fn(), a.getValue().tp() + a.getValue().fn()))
                    .limit(top).forEach(e -> sb.append(row(e.getKey(), e.getValue())));
            sb.append(row("micro (" + examples + " texts)", micro));
            return sb.toString();
        }

        private static String row(String name, Counts c) {
            return String.format(Locale.ROOT, "  %-28s %7.4f %7.4f %7.4f %6d%n", name, c.precision(), c.recall(), c.f1(), c.tp() + c.fn());
        }
    }

    /**
     * Which types each text is asked for, and how spans are decoded: {@code flat} (no overlaps)
     * and {@code multiLabel} (a span may carry several types, as the silver set's granularities do).
     */
    public record Protocol(String name, Function<NerExample, List<String>> types, boolean multiLabel) {
        /** The same types for every text (coarse types, or the held-out types of the zero-shot set). */
        public static Protocol fixed(String name, List<String> types, boolean multiLabel) {
            List<String> t = List.copyOf(types);
            return new Protocol(name, e -> t, multiLabel);
        }

        /** A text's own gold types plus as many others from {@code vocabulary}, drawn by a seed per text. */
        public static Protocol goldPlusNegatives(String name, List<String> vocabulary, long seed, int maxTypes) {
            List<String> vocab = List.copyOf(vocabulary);
            return new Protocol(name, e -> {
                Set<String> own = new java.util.LinkedHashSet<>();
                for (NerExample.Span s : e.ner()) own.add(s.label());
                java.util.Random r = new java.util.Random(seed ^ e.text().hashCode());
                List<String> types = new ArrayList<>(own);
                int want = Math.min(maxTypes, 2 * own.size());
                for (int tries = 0; types.size() < want && tries < 10 * want; tries++) {
                    String v = vocab.get(r.nextInt(vocab.size()));
                    if (!types.contains(v)) types.add(v);
                }
                java.util.Collections.shuffle(types, r);
                return types.subList(0, Math.min(maxTypes, types.size()));
            }, true);
        }
    }

    /** The gold spans of {@code e} among {@code types}, as (start, end, label). */
    static Set<NerExample.Span> gold(NerExample e, List<String> types, int maxLen) {
        Set<NerExample.Span> out = new HashSet<>();
        for (NerExample.Span s : e.ner()) if (types.contains(s.label()) && s.end() < maxLen) out.add(s);
        return out;
    }

    /** Runs {@code model} on the examples in batches of {@code batchSize} and scores the decoded spans. */
    public static Scores evaluate(GlinerModel model, Tokenizer tok, GlinerConfig cfg, List<NerExample> examples, Protocol protocol,
                                  double threshold, int batchSize) {
        List<Set<NerExample.Span>> predicted = new ArrayList<>(examples.size());
        List<List<String>> prompts = new ArrayList<>(examples.size());
        for (NerExample e : examples) prompts.add(protocol.types().apply(e));
        try (var g = NoGrad.enter()) {
            for (int from = 0; from < examples.size(); from += batchSize) {
                int to = Math.min(examples.size(), from + batchSize);
                NerCollator.Collated c = NerCollator.collate(tok, cfg, examples.subList(from, to), prompts.subList(from, to));
                Tensor logits = model.forward(c.batch()).spanLogits();   // [B, W, K, C]
                for (int j = 0; j < to - from; j++) {
                    int types = prompts.get(from + j).size();
                    Tensor own = logits.select(0, j).narrow(2, 0, types);   // padded types have no meaning
                    Set<NerExample.Span> p = new HashSet<>();
                    for (SpanDecoder.Span s : SpanDecoder.decode(own, c.words()[j], threshold, true, protocol.multiLabel())) {
                        p.add(new NerExample.Span(s.start(), s.end(), prompts.get(from + j).get(s.label())));
                    }
                    predicted.add(p);
                }
            }
        }
        return score(examples, prompts, predicted, cfg.maxLen());
    }

    /**
     * The trivial baseline: every maximal run of capitalised words (not counting the first word of
     * the text) is an entity of the asked-for type that is most common in the gold spans of {@code examples}.
     */
    public static Scores capitalizedBaseline(List<NerExample> examples, Protocol protocol, int maxLen) {
        Map<String, Integer> freq = new HashMap<>();
        List<List<String>> prompts = new ArrayList<>();
        for (NerExample e : examples) {
            List<String> types = protocol.types().apply(e);
            prompts.add(types);
            for (NerExample.Span s : e.ner()) if (types.contains(s.label())) freq.merge(s.label(), 1, Integer::sum);
        }
        List<Set<NerExample.Span>> predicted = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            List<String> types = prompts.get(i);
            String best = types.getFirst();
            for (String t : types) if (freq.getOrDefault(t, 0) > freq.getOrDefault(best, 0)) best = t;
            Set<NerExample.Span> p = new HashSet<>();
            List<String> w = examples.get(i).tokens();
            int n = Math.min(maxLen, w.size());
            for (int s = 1; s < n; ) {
                if (!Character.isUpperCase(w.get(s).codePointAt(0))) { s++; continue; }
                int e = s;
                while (e + 1 < n && Character.isUpperCase(w.get(e + 1).codePointAt(0))) e++;
                p.add(new NerExample.Span(s, e, best));
                s = e + 1;
            }
            predicted.add(p);
        }
        return score(examples, prompts, predicted, maxLen);
    }

    static Scores score(List<NerExample> examples, List<List<String>> prompts, List<Set<NerExample.Span>> predicted, int maxLen) {
        Map<String, Counts> per = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            Set<NerExample.Span> gold = gold(examples.get(i), prompts.get(i), maxLen), pred = predicted.get(i);
            for (NerExample.Span p : pred) per.merge(p.label(), gold.contains(p) ? new Counts(1, 0, 0) : new Counts(0, 1, 0), Counts::plus);
            for (NerExample.Span g : gold) if (!pred.contains(g)) per.merge(g.label(), new Counts(0, 0, 1), Counts::plus);
        }
        Counts micro = new Counts(0, 0, 0);
        for (Counts c : per.values()) micro = micro.plus(c);
        return new Scores(per, micro, examples.size());
    }
}
