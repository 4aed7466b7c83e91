package dev.genai4j.text;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte → printable-char mapping (HF's ByteLevel): printable Latin-1 bytes map
 * to themselves, the other 68 (space, control, …) to U+0100.. so that every byte sequence is a
 * string of visible chars; a space becomes 'Ġ' (U+0120), a newline 'Ċ' (U+010A).
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + next++);
        }
    }

    private ByteLevel() {}

    /** The char that stands for byte {@code b} (0..255). */
    public static char charOf(int b) { return BYTE_TO_CHAR[b & 0xFF]; }

    /** {@code text}'s UTF-8 bytes spelled in the byte-level alphabet: {@code " if"} → {@code "Ġif"}. */
    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(out);
    }
}
