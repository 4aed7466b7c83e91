package dev.genai4j.data.shapes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The parsed header of a PLY file: format, elements with their properties, where the body starts. */
record PlyHeader(PlyFile.Format format, List<Element> elements, int bodyStart) {
    /** A property: scalar, or a list with a count type and an item type. */
    record Property(String name, PlyFile.ScalarType type, PlyFile.ScalarType countType) {
        boolean isList() { return countType != null; }
    }

    record Element(String name, int count, List<Property> properties) {
        /** Index of the first property named one of {@code names}, or −1. */
        int indexOf(String... names) {
            for (String n : names) {
                for (int i = 0; i < properties.size(); i++) {
                    if (properties.get(i).name().equals(n) && !properties.get(i).isList()) return i;
                }
            }
            return -1;
        }
    }

    static PlyHeader parse(byte[] bytes, String file) {
        int end = indexOf(bytes, "end_header");
        if (bytes.length < 4 || !new String(bytes, 0, 3, StandardCharsets.US_ASCII).equals("ply") || end < 0) {
            throw new PlyFormatException("PLY file " + file + " does not start with 'ply' or has no 'end_header' line; it is not a PLY file");
        }
        int bodyStart = end + "end_header".length();
        if (bodyStart < bytes.length && bytes[bodyStart] == '\r') bodyStart++;
        if (bodyStart < bytes.length && bytes[bodyStart] == '\n') bodyStart++;
        String[] lines = new String(bytes, 0, end, StandardCharsets.US_ASCII).split("\r?\n");
        PlyFile.Format format = null;
        List<Element> elements = new ArrayList<>();
        List<Property> current = null;
        for (int ln = 1; ln < lines.length; ln++) {
            String[] w = lines[ln].trim().split("\\s+");
            String where = "PLY file " + file + " header line " + (ln + 1) + " '" + lines[ln].trim() + "'";
            switch (w[0]) {
                case "format" -> {
                    if (w.length < 2) throw new PlyFormatException(where + ": expected 'format ascii|binary_little_endian|binary_big_endian 1.0'");
                    for (PlyFile.Format f : PlyFile.Format.values()) if (f.keyword().equals(w[1])) format = f;
                    if (format == null) throw new PlyFormatException(where + ": unknown format '" + w[1] + "'");
                }
                case "element" -> {
                    if (w.length != 3) throw new PlyFormatException(where + ": expected 'element NAME COUNT'");
                    int count;
                    try {
                        count = Integer.parseInt(w[2]);
                    } catch (NumberFormatException e) {
                        throw new PlyFormatException(where + ": element count '" + w[2] + "' is not a number");
                    }
                    if (count < 0) throw new PlyFormatException(where + ": negative element count");
                    current = new ArrayList<>();
                    elements.add(new Element(w[1], count, current));
                }
                case "property" -> {
                    if (current == null) throw new PlyFormatException(where + ": a property before any element");
                    if (w.length == 5 && w[1].equals("list")) {
                        current.add(new Property(w[4], PlyFile.ScalarType.of(w[3], file), PlyFile.ScalarType.of(w[2], file)));
                    } else if (w.length == 3) {
                        current.add(new Property(w[2], PlyFile.ScalarType.of(w[1], file), null));
                    } else {
                        throw new PlyFormatException(where + ": expected 'property TYPE NAME' or 'property list COUNT_TYPE TYPE NAME'");
                    }
                }
                case "comment", "obj_info", "" -> { }
                default -> throw new PlyFormatException(where + ": unknown header keyword '" + w[0] + "'");
            }
        }
        if (format == null) throw new PlyFormatException("PLY file " + file + " has no 'format' line");
        return new PlyHeader(format, List.copyOf(elements), bodyStart);
    }

    private static int indexOf(byte[] bytes, String s) {
        byte[] pat = s.getBytes(StandardCharsets.US_ASCII);
        int limit = Math.min(bytes.length, 1 << 20) - pat.length;   // headers are small; never scan a binary body
        outer:
        for (int i = 0; i <= limit; i++) {
            for (int j = 0; j < pat.length; j++) if (bytes[i + j] != pat[j]) continue outer;
            return i;
        }
        return -1;
    }
}
