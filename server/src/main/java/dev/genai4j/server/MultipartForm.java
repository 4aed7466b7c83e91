package dev.genai4j.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code multipart/form-data} body (RFC 7578) already read into memory under a size limit, split
 * into its parts. Strict: a malformed body is a 400 naming what is wrong, never a guess.
 *
 * <pre>{@code
 * MultipartForm form = MultipartForm.parse(bytes, ctx.contentType());
 * byte[] image = form.first("image").orElseThrow().body();
 * }</pre>
 */
public record MultipartForm(List<Part> parts) {
    /** One part: its field name, file name (null for a plain field), content type (may be null) and bytes. */
    public record Part(String name, String filename, String contentType, byte[] body) {
        public String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    /** At most this many parts: a form is a few fields, not thousands. */
    static final int MAX_PARTS = 64;

    /** The boundary of a {@code multipart/form-data} content type, or null when the type is another. */
    public static String boundary(String contentType) {
        if (contentType == null) return null;
        String[] parts = contentType.split(";");
        if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("multipart/form-data")) return null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9).strip();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                if (b.isEmpty() || b.length() > 70) throw ApiException.badRequest(null, "invalid_multipart", "the multipart boundary must be 1 to 70 characters");
                return b;
            }
        }
        throw ApiException.badRequest(null, "invalid_multipart", "the multipart/form-data Content-Type has no boundary parameter");
    }

    public static MultipartForm parse(byte[] body, String boundary) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delim, 0);
        if (pos < 0) throw bad("the body holds no '--" + RequestJson.clip(boundary, 70) + "' boundary");
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        pos += delim.length;
        while (true) {
            if (startsWith(body, pos, "--")) return new MultipartForm(List.copyOf(parts));   // the closing delimiter
            if (!startsWith(body, pos, "\r\n")) throw bad("a boundary is not followed by CRLF");
            pos += 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
            if (headersEnd < 0) throw bad("a part's headers do not end (no blank line)");
            String headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
            int start = headersEnd + 4;
            int end = indexOf(body, next, start);
            if (end < 0) throw bad("the body ends inside a part (no closing boundary): truncated upload?");
            if (parts.size() == MAX_PARTS) throw bad("the form has more than " + MAX_PARTS + " parts");
            parts.add(part(headers, java.util.Arrays.copyOfRange(body, start, end)));
            pos = end + next.length;
        }
    }

    /** The first part named {@code name}. */
    public java.util.Optional<Part> first(String name) { return parts.stream().filter(p -> p.name().equals(name)).findFirst(); }

    /** Every part named {@code name}, in order. */
    public List<Part> all(String name) { return parts.stream().filter(p -> p.name().equals(name)).toList(); }

    private static Part part(String headers, byte[] body) {
        String name = null, filename = null, type = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) throw bad("a part header line has no ':'");
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT), value = line.substring(colon + 1).strip();
            if (key.equals("content-type")) type = value;
            if (key.equals("content-disposition")) {
                if (!value.toLowerCase(Locale.ROOT).startsWith("form-data")) throw bad("a part's Content-Disposition is not form-data");
                name = param(value, "name");
                filename = param(value, "filename");
            }
        }
        if (name == null) throw bad("a part has no Content-Disposition name");
        return new Part(name, filename, type, body);
    }

    /** {@code key="value"} (or unquoted) in a Content-Disposition value. */
    private static String param(String header, String key) {
        for (String p : header.split(";")) {
            String s = p.strip();
            int eq = s.indexOf('=');
            if (eq < 0 || !s.substring(0, eq).strip().equalsIgnoreCase(key)) continue;
            String v = s.substring(eq + 1).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            return v;
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (at + s.length() > b.length) return false;
        for (int i = 0; i < s.length(); i++) if (b[at + i] != s.charAt(i)) return false;
        return true;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static ApiException bad(String why) {
        return ApiException.badRequest(null, "invalid_multipart", "the multipart/form-data body is malformed: " + why);
    }
}
