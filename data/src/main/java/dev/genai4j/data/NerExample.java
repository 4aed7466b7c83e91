package dev.genai4j.data;

import java.util.List;

/**
 * One NER training example in GLiNER's JSON format: the text's words ({@code tokenized_text}) and
 * its entity spans ({@code ner}: start word, end word inclusive, label). A span may carry several
 * labels (one {@link Span} each), e.g. "physicist", "scientist" and "person" for {@code Albert Einstein}.
 *
 * <pre>{@code
 * NerExample e = new NerExample(List.of("born", "in", "Germany"), List.of(new NerExample.Span(2, 2, "country")), "wordnet");
 * }</pre>
 *
 * @param tokens words of the text (GLiNER's regex word splitter, see {@link NerWords})
 * @param ner    labelled spans over {@code tokens}
 * @param source where the sentence comes from ({@code wordnet}, {@code gcide}); not part of GLiNER's format
 */
public record NerExample(List<String> tokens, List<Span> ner, String source) {
    /** Words {@code start..end} (inclusive) are an entity of type {@code label}. */
    public record Span(int start, int end, String label) {
        public Span {
            if (start < 0 || end < start) throw new DataException("NER span: need 0 <= start <= end, got [" + start + ", " + end + "] '" + label + "'");
        }
    }

    public NerExample {
        tokens = List.copyOf(tokens);
        ner = List.copyOf(ner);
        for (Span s : ner) {
            if (s.end() >= tokens.size()) {
                throw new DataException("NER example: span [" + s.start() + ", " + s.end() + "] '" + s.label() + "' runs past the " + tokens.size() + " words");
            }
        }
    }

    /** The words joined by spaces (for display and de-duplication). */
    public String text() { return String.join(" ", tokens); }
}
