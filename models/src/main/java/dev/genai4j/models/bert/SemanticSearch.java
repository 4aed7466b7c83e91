package dev.genai4j.models.bert;

import dev.genai4j.text.TokenizerException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * Search over a small in-memory set of texts: every document is embedded once, a query is
 * embedded with the model's query prefix and scored against all documents by cosine.
 *
 * <p>Retrieval models are trained with asymmetric prefixes, and leaving them out costs recall:
 * E5 wants {@code "query: "} / {@code "passage: "}, BGE v1.5 puts an instruction before short
 * queries only. {@link Prefixes#forModel} knows the built-in models; pass your own for others.
 *
 * <pre>{@code
 * try (Embedder e = Embedder.load(folder)) {
 *     SemanticSearch s = SemanticSearch.index(e, Prefixes.forModel("e5-small-v2"), docs);
 *     for (SemanticSearch.Hit h : s.search("how do I reset my password", 3)) System.out.println(h);
 * }
 * }</pre>
 */
public final class SemanticSearch {
    /** Text put before queries and before documents when they are embedded. */
    public record Prefixes(String query, String document) {
        public static final Prefixes NONE = new Prefixes("", "");
        /** BGE v1.5's retrieval instruction for short queries (its model card). */
        public static final Prefixes BGE = new Prefixes("Represent this sentence for searching relevant passages: ", "");
        /** E5's two roles (its model card: without them quality drops). */
        public static final Prefixes E5 = new Prefixes("query: ", "passage: ");

        public Prefixes {
            if (query == null || document == null) throw new IllegalArgumentException("prefixes may be empty but not null");
        }

        /** The prefixes a known model was trained with: by its name, or by a folder name that contains it. */
        public static Prefixes forModel(String nameOrFolder) {
            String n = nameOrFolder == null ? "" : nameOrFolder.toLowerCase(Locale.ROOT);
            if (n.contains("e5-")) return E5;
            if (n.contains("bge-")) return BGE;
            return NONE;
        }
    }

    /** One result: the document's position in the indexed list, its text, and the cosine score. */
    public record Hit(int index, String text, double score) {
        @Override
        public String toString() { return String.format(Locale.ROOT, "%.4f  [%d] %s", score, index, text); }
    }

    private final Embedder embedder;
    private final Prefixes prefixes;
    private final List<String> documents;
    private final float[][] vectors;          // [documents][dim]

    private SemanticSearch(Embedder embedder, Prefixes prefixes, List<String> documents, float[][] vectors) {
        this.embedder = embedder;
        this.prefixes = prefixes;
        this.documents = documents;
        this.vectors = vectors;
    }

    /** Embeds {@code documents} (each non-blank) once; the embedder stays owned by the caller. */
    public static SemanticSearch index(Embedder embedder, Prefixes prefixes, List<String> documents) {
        if (documents == null || documents.isEmpty()) throw new TokenizerException("search: no documents to search");
        List<String> withPrefix = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            String d = documents.get(i);
            if (d == null || d.isBlank()) throw new TokenizerException("search: document " + i + " is empty or only whitespace");
            withPrefix.add(prefixes.document() + d);
        }
        return new SemanticSearch(embedder, prefixes, List.copyOf(documents), embedder.embed(withPrefix));
    }

    public int size() { return documents.size(); }

    /** The {@code k} best documents for {@code query}, best first (ties by index). */
    public List<Hit> search(String query, int k) {
        return searchAll(List.of(query), k).getFirst();
    }

    /** {@link #search} for several queries, embedded in one batch. */
    public List<List<Hit>> searchAll(List<String> queries, int k) {
        if (k < 1) throw new IllegalArgumentException("search: k must be at least 1, got " + k);
        if (queries == null || queries.isEmpty()) throw new TokenizerException("search: no query given");
        List<String> withPrefix = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            String q = queries.get(i);
            if (q == null || q.isBlank()) throw new TokenizerException("search: query " + i + " is empty or only whitespace");
            withPrefix.add(prefixes.query() + q);
        }
        float[][] q = embedder.embed(withPrefix);
        List<List<Hit>> out = new ArrayList<>();
        for (float[] qv : q) out.add(top(qv, Math.min(k, documents.size())));
        return out;
    }

    private List<Hit> top(float[] q, int k) {
        // min-heap of the k best so far: O(n log k) for a corpus of any size
        PriorityQueue<Hit> best = new PriorityQueue<>((a, b) -> a.score() != b.score()
                ? Double.compare(a.score(), b.score()) : Integer.compare(b.index(), a.index()));
        for (int i = 0; i < vectors.length; i++) {
            Hit h = new Hit(i, documents.get(i), Embedder.cosine(q, vectors[i]));
            if (best.size() < k) best.add(h);
            else if (best.comparator().compare(h, best.peek()) > 0) {
                best.poll();
                best.add(h);
            }
        }
        List<Hit> out = new ArrayList<>(best);
        out.sort(best.comparator().reversed());
        return out;
    }
}
