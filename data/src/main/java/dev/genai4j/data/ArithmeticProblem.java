package dev.genai4j.data;

/**
 * One generated question with its exact answer.
 *
 * @param kind     what it exercises
 * @param question e.g. {@code "Solve 3*x + 4 = 19 for x."}
 * @param answer   e.g. {@code "5"}
 */
public record ArithmeticProblem(ArithmeticGenerator.Kind kind, String question, String answer) {
    /** The document for a corpus: {@code "Question: …\nAnswer: …"}. */
    public String text() { return "Question: " + question + "\nAnswer: " + answer; }
}
