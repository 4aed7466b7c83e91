package dev.genai4j.text;

/**
 * Maps code-point offsets (what the Rust tokenizers report as char offsets) to Java's UTF-16
 * indices; the two differ after any character outside the BMP (emoji, some CJK).
 */
final class CharIndex {
    private final int[] charOfCodePoint;   // null when the text has no surrogate pairs

    CharIndex(String text) {
        int cps = text.codePointCount(0, text.length());
        if (cps == text.length()) {
            charOfCodePoint = null;
            return;
        }
        charOfCodePoint = new int[cps + 1];
        int c = 0;
        for (int cp = 0; cp < cps; cp++) {
            charOfCodePoint[cp] = c;
            c += Character.charCount(text.codePointAt(c));
        }
        charOfCodePoint[cps] = c;
    }

    int toChar(int codePointOffset) {
        if (charOfCodePoint == null) return codePointOffset;
        return charOfCodePoint[Math.min(codePointOffset, charOfCodePoint.length - 1)];
    }
}
