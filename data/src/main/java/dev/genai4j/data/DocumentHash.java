package dev.genai4j.data;

/**
 * A stable 64-bit hash of a document's text (FNV-1a over UTF-16 units, then the MurmurHash3
 * finalizer), salted so the train/held-out split and sampling draw independent bits. Unlike
 * {@link String#hashCode()} it is not specified to stay, but it is ours: the same text lands
 * in the same split on every JVM and in every run.
 */
final class DocumentHash {
    private DocumentHash() {}

    static long of(String text, long salt) {
        long h = 0xcbf29ce484222325L ^ salt;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** A number in [0, 1) from the hash, for comparing against a fraction. */
    static double unit(String text, long salt) { return (of(text, salt) >>> 11) * 0x1.0p-53; }
}
