package dev.genai4j.io.onnx;

import com.google.protobuf.CodedOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads hand-encoded ONNX protobufs: every payload form the reader supports, nodes, attributes, bad files. */
class OnnxModelTest {

    @FunctionalInterface interface Body { void write(CodedOutputStream o) throws IOException; }

    static byte[] message(Body b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(bytes);
        b.write(o);
        o.flush();
        return bytes.toByteArray();
    }

    static byte[] tensor(String name, int type, long[] dims, Body payload) throws IOException {
        return message(o -> {
            for (long d : dims) o.writeInt64(1, d);        // unpacked dims
            o.writeInt32(2, type);
            o.writeString(8, name);
            payload.write(o);
        });
    }

    static Path model(Path dir, List<byte[]> inits, List<byte[]> nodes) throws IOException {
        byte[] graph = message(o -> {
            for (byte[] n : nodes) o.writeByteArray(1, n);
            o.writeString(2, "g");
            for (byte[] t : inits) o.writeByteArray(5, t);
            o.writeByteArray(11, message(v -> v.writeString(1, "x")));
            o.writeByteArray(12, message(v -> v.writeString(1, "y")));
        });
        byte[] model = message(o -> {
            o.writeInt64(1, 8);
            o.writeString(2, "handmade");
            o.writeByteArray(7, graph);
        });
        Path f = dir.resolve("m.onnx");
        Files.write(f, model);
        return f;
    }

    @Test
    void readsRawPackedAndInt8Payloads(@TempDir Path dir) throws IOException {
        ByteBuffer raw = ByteBuffer.allocate(4 * 6).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) raw.putFloat(i * 0.5f - 1f);
        byte[] rawT = tensor("w_raw", OnnxTensor.FLOAT, new long[]{2, 3}, o -> o.writeByteArray(9, raw.array()));
        byte[] packedT = tensor("w_packed", OnnxTensor.FLOAT, new long[]{3}, o -> {
            o.writeTag(4, 2);
            o.writeUInt32NoTag(12);
            o.writeFloatNoTag(1.5f); o.writeFloatNoTag(-2f); o.writeFloatNoTag(3.25f);
        });
        byte[] int8T = tensor("q", OnnxTensor.INT8, new long[]{4}, o -> o.writeByteArray(9, new byte[]{-128, -1, 0, 127}));
        byte[] uint8T = tensor("zp", OnnxTensor.UINT8, new long[]{2}, o -> o.writeByteArray(9, new byte[]{(byte) 200, 3}));
        byte[] int64T = tensor("shape", OnnxTensor.INT64, new long[]{2}, o -> { o.writeInt64(7, 5); o.writeInt64(7, -1); });
        byte[] node = message(o -> {
            o.writeString(1, "x"); o.writeString(1, "w_raw");
            o.writeString(2, "y");
            o.writeString(3, "/layer/MatMul");
            o.writeString(4, "MatMul");
            o.writeByteArray(5, message(a -> { a.writeString(1, "alpha"); a.writeFloat(2, 0.25f); }));
            o.writeByteArray(5, message(a -> { a.writeString(1, "axis"); a.writeInt64(3, -1); }));
        });
        OnnxModel m = OnnxModel.read(model(dir, List.of(rawT, packedT, int8T, uint8T, int64T), List.of(node)));
        assertEquals("handmade", m.producer());
        assertEquals(List.of("x"), m.graphInputs());
        assertEquals(List.of("y"), m.graphOutputs());
        assertArrayEquals(new float[]{-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, m.initializers().get("w_raw").toFloats());
        assertArrayEquals(new int[]{2, 3}, m.initializers().get("w_raw").shape());
        assertArrayEquals(new float[]{1.5f, -2f, 3.25f}, m.initializers().get("w_packed").toFloats());
        assertArrayEquals(new double[]{-128, -1, 0, 127}, m.initializers().get("q").toDoubles());
        assertArrayEquals(new double[]{200, 3}, m.initializers().get("zp").toDoubles());
        assertArrayEquals(new double[]{5, -1}, m.initializers().get("shape").toDoubles());
        OnnxNode n = m.nodes().getFirst();
        assertEquals("MatMul", n.opType());
        assertEquals(List.of("x", "w_raw"), n.inputs());
        assertEquals("y", n.output(0));
        assertEquals("", n.input(5));
        assertEquals(0.25f, n.floatAttributes().get("alpha"));
        assertEquals(-1L, n.intAttributes().get("axis"));
        assertEquals(n, m.producers().get("y"));
        assertEquals(List.of(n), m.consumers().get("w_raw"));
    }

    @Test
    void wrongPayloadSizeNamesTheTensor(@TempDir Path dir) throws IOException {
        byte[] t = tensor("short_one", OnnxTensor.FLOAT, new long[]{4}, o -> o.writeByteArray(9, new byte[8]));
        OnnxModel m = OnnxModel.read(model(dir, List.of(t), List.of()));
        var e = assertThrows(OnnxFormatException.class, () -> m.initializers().get("short_one").toFloats());
        assertTrue(e.getMessage().contains("short_one") && e.getMessage().contains("16"), e.getMessage());
    }

    @Test
    void notAnOnnxFileIsAClearError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.onnx");
        Files.writeString(f, "this is not a protobuf at all, just text\n");
        var e = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(f));
        assertTrue(e.getMessage().contains("x.onnx"), e.getMessage());
        var missing = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(dir.resolve("nope.onnx")));
        assertTrue(missing.getMessage().contains("nope.onnx"), missing.getMessage());
    }
}
