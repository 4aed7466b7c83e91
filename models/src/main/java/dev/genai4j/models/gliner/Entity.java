package dev.genai4j.models.gliner;

/**
 * One found entity, as the reference's {@code predict_entities} reports it.
 *
 * @param start     first character, counted in code points as Python does (equal to the UTF-16
 *                  index unless the text has characters outside the BMP, e.g. emoji)
 * @param end       one past the last character (code points)
 * @param text      the entity's text, exactly as in the input
 * @param label     the entity type, as given
 * @param score     sigmoid probability of the span for this label
 * @param wordStart first word of the span
 * @param wordEnd   last word of the span (inclusive)
 */
public record Entity(int start, int end, String text, String label, double score, int wordStart, int wordEnd) {}
