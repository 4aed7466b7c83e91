package dev.genai4j.data.shapes;

import dev.genai4j.data.DataException;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Coloured point clouds as PLY (Stanford polygon format), the layout Point-E's
 * {@code write_ply} uses: one {@code vertex} element with {@code float x, y, z} and
 * {@code uchar red, green, blue}. Writing is atomic (temp file + rename). Reading accepts ASCII,
 * binary little- and big-endian, any scalar property types, properties in any order, other
 * elements (faces are skipped), and colours as uchar (0…255) or float (0…1); a file without
 * colours reads as mid grey.
 *
 * <pre>{@code
 * PlyFile.write(Path.of("cube.ply"), cloud, PlyFile.Format.BINARY_LITTLE_ENDIAN);
 * PointCloud back = PlyFile.read(Path.of("cube.ply"));
 * }</pre>
 */
public final class PlyFile {
    /** The body encodings of PLY 1.0. */
    public enum Format {
        ASCII("ascii"), BINARY_LITTLE_ENDIAN("binary_little_endian"), BINARY_BIG_ENDIAN("binary_big_endian");

        private final String keyword;

        Format(String keyword) { this.keyword = keyword; }

        /** The word on the header's {@code format} line. */
        public String keyword() { return keyword; }
    }

    private PlyFile() {}

    /** Writes {@code cloud} to {@code path} atomically; colours are rounded to 8 bits. */
    public static void write(Path path, PointCloud cloud, Format format) {
        byte[] bytes = toBytes(cloud, format);
        OutputFiles.write(path, out -> out.write(bytes));
    }

    /** The whole file's bytes. */
    public static byte[] toBytes(PointCloud cloud, Format format) {
        int n = cloud.size();
        String header = "ply\nformat " + format.keyword() + " 1.0\ncomment genai4j point cloud\nelement vertex " + n
                + "\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n";
        float[] xyz = cloud.xyz(), rgb = cloud.rgb();
        if (format == Format.ASCII) {
            StringBuilder sb = new StringBuilder(header.length() + 40 * n).append(header);
            for (int i = 0; i < n; i++) {
                // Float.toString is the shortest decimal that reads back to the same float
                sb.append(xyz[3 * i]).append(' ').append(xyz[3 * i + 1]).append(' ').append(xyz[3 * i + 2]);
                for (int c = 0; c < 3; c++) sb.append(' ').append(toByte(rgb[3 * i + c]));
                sb.append('\n');
            }
            return sb.toString().getBytes(StandardCharsets.US_ASCII);
        }
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(h.length + 15 * n)
                .order(format == Format.BINARY_LITTLE_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        buf.put(h);
        for (int i = 0; i < n; i++) {
            buf.putFloat(xyz[3 * i]).putFloat(xyz[3 * i + 1]).putFloat(xyz[3 * i + 2]);
            for (int c = 0; c < 3; c++) buf.put((byte) toByte(rgb[3 * i + c]));
        }
        return buf.array();
    }

    private static int toByte(float c) { return Math.round(Math.clamp(c, 0f, 1f) * 255f); }

    /** Reads the {@code vertex} element of a PLY file as a point cloud. */
    public static PointCloud read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new DataException("PLY file " + path + " does not exist");
        } catch (IOException e) {
            throw new DataException("cannot read PLY file " + path + ": " + e, e);
        }
        return parse(bytes, path.toString());
    }

    /** Parses the bytes of a PLY file; {@code name} appears in error messages. */
    public static PointCloud parse(byte[] bytes, String name) {
        PlyHeader h = PlyHeader.parse(bytes, name);
        PlyHeader.Element vertex = h.elements().stream().filter(e -> e.name().equals("vertex")).findFirst()
                .orElseThrow(() -> new PlyFormatException("PLY file " + name + " has no 'vertex' element"));
        int[] xyzAt = {vertex.indexOf("x"), vertex.indexOf("y"), vertex.indexOf("z")};
        for (int k = 0; k < 3; k++) {
            if (xyzAt[k] < 0) throw new PlyFormatException("PLY file " + name + ": the vertex element has no property '" + "xyz".charAt(k) + "'");
        }
        int[] rgbAt = {vertex.indexOf("red", "r", "diffuse_red"), vertex.indexOf("green", "g", "diffuse_green"), vertex.indexOf("blue", "b", "diffuse_blue")};
        boolean hasColour = rgbAt[0] >= 0 && rgbAt[1] >= 0 && rgbAt[2] >= 0;
        int n = vertex.count();
        float[] xyz = new float[3 * n], rgb = new float[3 * n];
        if (!hasColour) java.util.Arrays.fill(rgb, 0.5f);
        PlyValues values = h.format() == Format.ASCII
                ? PlyValues.ascii(bytes, h.bodyStart(), name)
                : PlyValues.binary(bytes, h.bodyStart(), h.format() == Format.BINARY_LITTLE_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN, name);
        try {
            for (PlyHeader.Element e : h.elements()) {
                if (e != vertex) {
                    for (int i = 0; i < e.count(); i++) for (PlyHeader.Property p : e.properties()) values.skip(p);
                    continue;
                }
                double[] row = new double[e.properties().size()];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < row.length; j++) {
                        PlyHeader.Property p = e.properties().get(j);
                        if (p.isList()) values.skip(p);
                        else row[j] = values.next(p.type(), e.name() + " " + i + " property " + p.name());
                    }
                    for (int k = 0; k < 3; k++) xyz[3 * i + k] = (float) row[xyzAt[k]];
                    if (hasColour) {
                        for (int k = 0; k < 3; k++) {
                            PlyHeader.Property p = e.properties().get(rgbAt[k]);
                            double v = row[rgbAt[k]];
                            rgb[3 * i + k] = (float) (p.type().isFloat() ? v : v / p.type().maxColour());
                        }
                    }
                }
                break;   // nothing after the vertices is needed
            }
        } catch (BufferUnderflowException e) {
            throw new PlyFormatException("PLY file " + name + " is truncated: the header promises " + n + " vertices");
        }
        return new PointCloud(xyz, rgb);
    }

    /** The scalar types of PLY 1.0 (with their sized aliases). */
    enum ScalarType {
        CHAR(1), UCHAR(1), SHORT(2), USHORT(2), INT(4), UINT(4), FLOAT(4), DOUBLE(8);

        final int bytes;

        ScalarType(int bytes) { this.bytes = bytes; }

        boolean isFloat() { return this == FLOAT || this == DOUBLE; }

        /** The full-intensity value when an integer type holds a colour. */
        double maxColour() {
            return switch (this) {
                case CHAR -> 127;
                case SHORT -> 32767;
                case USHORT -> 65535;
                default -> 255;   // uchar, and ints written by tools that store 0…255 in them
            };
        }

        static ScalarType of(String word, String file) {
            return switch (word.toLowerCase(Locale.ROOT)) {
                case "char", "int8" -> CHAR;
                case "uchar", "uint8" -> UCHAR;
                case "short", "int16" -> SHORT;
                case "ushort", "uint16" -> USHORT;
                case "int", "int32" -> INT;
                case "uint", "uint32" -> UINT;
                case "float", "float32" -> FLOAT;
                case "double", "float64" -> DOUBLE;
                default -> throw new PlyFormatException("PLY file " + file + ": unknown property type '" + word
                        + "' (expected char, uchar, short, ushort, int, uint, float or double)");
            };
        }
    }
}
