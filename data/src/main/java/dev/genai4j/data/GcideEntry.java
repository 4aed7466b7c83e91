package dev.genai4j.data;

/**
 * One GCIDE article as plain text.
 *
 * @param headword the index headword the article was found under (the first, when several share it)
 * @param text     the article without markup: headword and part of speech, then one line per sense
 */
public record GcideEntry(String headword, String text) {}
