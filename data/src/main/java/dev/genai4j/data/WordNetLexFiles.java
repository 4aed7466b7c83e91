package dev.genai4j.data;

/**
 * WordNet 3.0's lexicographer file names ({@code lexnames(5WN)}), indexed by the two-digit
 * {@code lex_filenum} of a synset line. Debian's {@code wordnet-base} does not ship the
 * {@code lexnames} file, and the list has been fixed since WordNet 2.0, so it lives here.
 */
final class WordNetLexFiles {
    private WordNetLexFiles() {}

    private static final String[] NAMES = {
        "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
        "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
        "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
        "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
        "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
        "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
        "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
        "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl",
    };

    static String name(int lexFileNumber) {
        if (lexFileNumber < 0 || lexFileNumber >= NAMES.length) {
            throw new DataException("WordNet: lex_filenum must be in [0, " + (NAMES.length - 1) + "], got " + lexFileNumber);
        }
        return NAMES[lexFileNumber];
    }
}
