package dev.genai4j.data;

/**
 * A typed proper noun from WordNet's instance-of relation: {@code Paris} is an instance of
 * {@code national capital}, filed under {@code noun.location}. Material for NER training data.
 *
 * @param name     the proper noun, e.g. {@code Albert Einstein}
 * @param type     the first word of the class synset, e.g. {@code physicist}
 * @param category the instance's lexicographer file, e.g. {@code noun.person}
 */
public record NamedEntity(String name, String type, String category) {

    /**
     * A coarse NER label from the category: {@code person}, {@code location},
     * {@code organization} (WordNet's {@code noun.group}), {@code event}, or {@code other}.
     */
    public String coarseLabel() {
        return switch (category) {
            case "noun.person" -> "person";
            case "noun.location" -> "location";
            case "noun.group" -> "organization";
            case "noun.event", "noun.act" -> "event";
            default -> "other";
        };
    }
}
