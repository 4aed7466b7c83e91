package dev.genai4j.io.onnx;

import dev.genai4j.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One ONNX {@code TensorProto} (an initializer or a {@code Constant}'s value). The payload is
 * either little-endian {@code raw_data} or one of the typed repeated fields, decoded on demand.
 *
 * <pre>{@code
 * OnnxTensor t = model.initializer("embeddings.word_embeddings.weight");
 * Tensor w = t.toTensor();                  // fp32 [30522, 384]
 * }</pre>
 */
public final class OnnxTensor {
    /** {@code TensorProto.DataType} codes this reader decodes. */
    public static final int FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6, INT64 = 7, DOUBLE = 11;

    private final String name;
    private final int dataType;
    private final long[] dims;
    private final ByteBuffer raw;        // little-endian raw_data, or null
    private final float[] floatData;     // float_data, or null
    private final long[] intData;        // int32_data / int64_data (also holds int8/uint8 values), or null
    private final double[] doubleData;   // double_data, or null

    OnnxTensor(String name, int dataType, long[] dims, ByteBuffer raw, float[] floatData, long[] intData, double[] doubleData) {
        this.name = name;
        this.dataType = dataType;
        this.dims = dims;
        this.raw = raw == null ? null : raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.floatData = floatData;
        this.intData = intData;
        this.doubleData = doubleData;
    }

    public String name() { return name; }

    public int dataType() { return dataType; }

    public long[] dims() { return dims.clone(); }

    /** The dims as ints (every BERT tensor fits). */
    public int[] shape() {
        int[] s = new int[dims.length];
        for (int i = 0; i < s.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) throw new OnnxFormatException("ONNX tensor '" + name + "': dim " + dims[i] + " out of range");
            s[i] = (int) dims[i];
        }
        return s;
    }

    public long numel() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    /** Values widened to double, whatever the stored type (int8 / uint8 keep their signed / unsigned value). */
    public double[] toDoubles() {
        int n = Math.toIntExact(numel());
        double[] out = new double[n];
        if (raw != null) {
            int width = switch (dataType) {
                case FLOAT, INT32 -> 4;
                case INT64, DOUBLE -> 8;
                case UINT8, INT8 -> 1;
                default -> throw unsupported();
            };
            if (raw.remaining() != (long) n * width) {
                throw new OnnxFormatException("ONNX tensor '" + name + "': raw_data holds " + raw.remaining()
                        + " bytes, expected " + (long) n * width + " for dims " + Arrays.toString(dims));
            }
            ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (dataType) {
                    case FLOAT -> b.getFloat();
                    case INT32 -> b.getInt();
                    case INT64 -> b.getLong();
                    case DOUBLE -> b.getDouble();
                    case UINT8 -> b.get() & 0xFF;
                    default -> b.get();   // INT8
                };
            }
            return out;
        }
        if (floatData != null) { check(floatData.length, n); for (int i = 0; i < n; i++) out[i] = floatData[i]; return out; }
        if (doubleData != null) { check(doubleData.length, n); return doubleData.clone(); }
        if (intData != null) {
            check(intData.length, n);
            for (int i = 0; i < n; i++) out[i] = dataType == INT8 ? (byte) intData[i] : intData[i];
            return out;
        }
        if (n == 0) return out;
        throw new OnnxFormatException("ONNX tensor '" + name + "' has no data (external data is not supported)");
    }

    /** fp32 values; exact for FLOAT, converted for the other numeric types. */
    public float[] toFloats() {
        if (dataType == FLOAT && raw != null) {
            int n = Math.toIntExact(numel());
            if (raw.remaining() != (long) n * 4) {
                throw new OnnxFormatException("ONNX tensor '" + name + "': raw_data holds " + raw.remaining()
                        + " bytes, expected " + (long) n * 4 + " for dims " + Arrays.toString(dims));
            }
            float[] out = new float[n];
            raw.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        if (dataType == FLOAT && floatData != null) { check(floatData.length, Math.toIntExact(numel())); return floatData.clone(); }
        double[] d = toDoubles();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    /** A fp32 tensor of this shape (a scalar ONNX tensor becomes shape []). */
    public Tensor toTensor() { return Tensor.of(toFloats(), shape()); }

    private void check(int have, int want) {
        if (have != want) throw new OnnxFormatException("ONNX tensor '" + name + "': " + have + " values, expected " + want + " for dims " + Arrays.toString(dims));
    }

    private OnnxFormatException unsupported() {
        return new OnnxFormatException("ONNX tensor '" + name + "': data_type " + dataType
                + " is not supported (float, double, int8, uint8, int32, int64 are)");
    }

    @Override
    public String toString() { return "OnnxTensor[" + name + " type=" + dataType + " dims=" + Arrays.toString(dims) + "]"; }
}
