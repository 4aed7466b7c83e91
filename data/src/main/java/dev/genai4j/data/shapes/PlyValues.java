package dev.genai4j.data.shapes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reads the values of a PLY body one at a time, ASCII tokens or binary numbers of a given byte order. */
abstract class PlyValues {
    abstract double next(PlyFile.ScalarType type, String what);

    /** Consumes one property's value(s) without keeping them. */
    final void skip(PlyHeader.Property p) {
        if (!p.isList()) {
            next(p.type(), p.name());
            return;
        }
        long count = (long) next(p.countType(), p.name() + " count");
        for (long i = 0; i < count; i++) next(p.type(), p.name());
    }

    static PlyValues ascii(byte[] bytes, int start, String file) {
        String body = new String(bytes, start, bytes.length - start, StandardCharsets.US_ASCII);
        return new PlyValues() {
            private int pos;

            @Override
            double next(PlyFile.ScalarType type, String what) {
                while (pos < body.length() && Character.isWhitespace(body.charAt(pos))) pos++;
                int s = pos;
                while (pos < body.length() && !Character.isWhitespace(body.charAt(pos))) pos++;
                if (s == pos) throw new PlyFormatException("PLY file " + file + " is truncated: no value for " + what);
                String tok = body.substring(s, pos);
                try {
                    return Double.parseDouble(tok);
                } catch (NumberFormatException e) {
                    throw new PlyFormatException("PLY file " + file + ": '" + tok + "' for " + what + " is not a number");
                }
            }
        };
    }

    static PlyValues binary(byte[] bytes, int start, ByteOrder order, String file) {
        ByteBuffer buf = ByteBuffer.wrap(bytes, start, bytes.length - start).order(order);
        return new PlyValues() {
            @Override
            double next(PlyFile.ScalarType type, String what) {
                return switch (type) {
                    case CHAR -> buf.get();
                    case UCHAR -> buf.get() & 0xFF;
                    case SHORT -> buf.getShort();
                    case USHORT -> buf.getShort() & 0xFFFF;
                    case INT -> buf.getInt();
                    case UINT -> buf.getInt() & 0xFFFFFFFFL;
                    case FLOAT -> buf.getFloat();
                    case DOUBLE -> buf.getDouble();
                };
            }
        };
    }
}
