package dev.genai4j.io.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the ONNX protobuf messages field by field with {@link CodedInputStream}, so no
 * generated classes or {@code .proto} files are needed. Field numbers are those of
 * {@code onnx/onnx.proto3}; unknown fields are skipped, as protobuf requires.
 */
final class OnnxReader {
    private OnnxReader() {}

    static OnnxModel read(Path file) {
        if (!Files.isRegularFile(file)) throw new OnnxFormatException("ONNX file " + file + " does not exist or is not a file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) throw new OnnxFormatException("ONNX file " + file + " is " + size + " bytes; files over 2 GiB (external data) are not supported");
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            CodedInputStream in = CodedInputStream.newInstance(buf);
            in.enableAliasing(true);          // raw_data stays a view of the mapping, not a copy
            in.setSizeLimit(Integer.MAX_VALUE);
            return readModel(in, file);
        } catch (IOException e) {
            throw new OnnxFormatException("cannot read ONNX file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof OnnxFormatException) throw e;
            throw new OnnxFormatException("ONNX file " + file + " is malformed: " + e, e);
        }
    }

    // ModelProto: producer_name = 2, graph = 7
    private static OnnxModel readModel(CodedInputStream in, Path file) throws IOException {
        String producer = "";
        Graph graph = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 2 -> producer = in.readString();
                case 7 -> { int old = pushMessage(in); graph = readGraph(in); in.popLimit(old); }
                default -> in.skipField(tag);
            }
        }
        if (graph == null) throw new OnnxFormatException("ONNX file " + file + " has no graph (is it an ONNX model file?)");
        return new OnnxModel(file, producer, graph.nodes, graph.initializers, graph.inputs, graph.outputs);
    }

    private record Graph(List<OnnxNode> nodes, Map<String, OnnxTensor> initializers, List<String> inputs, List<String> outputs) {}

    // GraphProto: node = 1, initializer = 5, input = 11, output = 12
    private static Graph readGraph(CodedInputStream in) throws IOException {
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> inits = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> { int old = pushMessage(in); nodes.add(readNode(in)); in.popLimit(old); }
                case 5 -> { int old = pushMessage(in); OnnxTensor t = readTensor(in); inits.put(t.name(), t); in.popLimit(old); }
                case 11 -> { int old = pushMessage(in); inputs.add(readValueInfoName(in)); in.popLimit(old); }
                case 12 -> { int old = pushMessage(in); outputs.add(readValueInfoName(in)); in.popLimit(old); }
                default -> in.skipField(tag);
            }
        }
        return new Graph(nodes, inits, inputs, outputs);
    }

    // ValueInfoProto: name = 1
    private static String readValueInfoName(CodedInputStream in) throws IOException {
        String name = "";
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            if (WireFormat.getTagFieldNumber(tag) == 1) name = in.readString();
            else in.skipField(tag);
        }
        return name;
    }

    // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5
    private static OnnxNode readNode(CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        String name = "", op = "";
        Map<String, Float> floats = new LinkedHashMap<>();
        Map<String, Long> ints = new LinkedHashMap<>();
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(in.readString());
                case 2 -> outputs.add(in.readString());
                case 3 -> name = in.readString();
                case 4 -> op = in.readString();
                case 5 -> { int old = pushMessage(in); readAttribute(in, floats, ints, tensors); in.popLimit(old); }
                default -> in.skipField(tag);
            }
        }
        return new OnnxNode(name, op, List.copyOf(inputs), List.copyOf(outputs), floats, ints, tensors);
    }

    // AttributeProto: name = 1, f = 2, i = 3, t = 5
    private static void readAttribute(CodedInputStream in, Map<String, Float> floats, Map<String, Long> ints,
                                      Map<String, OnnxTensor> tensors) throws IOException {
        String name = "";
        Float f = null;
        Long i = null;
        OnnxTensor t = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readString();
                case 2 -> f = in.readFloat();
                case 3 -> i = in.readInt64();
                case 5 -> { int old = pushMessage(in); t = readTensor(in); in.popLimit(old); }
                default -> in.skipField(tag);
            }
        }
        if (f != null) floats.put(name, f);
        if (i != null) ints.put(name, i);
        if (t != null) tensors.put(name, t);
    }

    // TensorProto: dims = 1, data_type = 2, float_data = 4, int32_data = 5, int64_data = 7, name = 8,
    // raw_data = 9, double_data = 10
    private static OnnxTensor readTensor(CodedInputStream in) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        ByteBuffer raw = null;
        FloatList floats = null;
        LongList longs = null;
        List<Double> doubles = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            switch (field) {
                case 1 -> {
                    if (packed) { int old = pushMessage(in); while (!in.isAtEnd()) dims.add(in.readInt64()); in.popLimit(old); }
                    else dims.add(in.readInt64());
                }
                case 2 -> dataType = in.readInt32();
                case 4 -> {
                    if (floats == null) floats = new FloatList();
                    if (packed) { int old = pushMessage(in); while (!in.isAtEnd()) floats.add(in.readFloat()); in.popLimit(old); }
                    else floats.add(in.readFloat());
                }
                case 5, 7 -> {
                    if (longs == null) longs = new LongList();
                    if (packed) { int old = pushMessage(in); while (!in.isAtEnd()) longs.add(field == 5 ? in.readInt32() : in.readInt64()); in.popLimit(old); }
                    else longs.add(field == 5 ? in.readInt32() : in.readInt64());
                }
                case 8 -> name = in.readString();
                case 9 -> { ByteString bs = in.readBytes(); raw = bs.asReadOnlyByteBuffer(); }
                case 10 -> {
                    if (doubles == null) doubles = new ArrayList<>();
                    if (packed) { int old = pushMessage(in); while (!in.isAtEnd()) doubles.add(in.readDouble()); in.popLimit(old); }
                    else doubles.add(in.readDouble());
                }
                default -> in.skipField(tag);
            }
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        return new OnnxTensor(name, dataType, d, raw, floats == null ? null : floats.toArray(),
                longs == null ? null : longs.toArray(),
                doubles == null ? null : doubles.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static int pushMessage(CodedInputStream in) throws IOException {
        int len = in.readRawVarint32();
        if (len < 0) throw new OnnxFormatException("negative message length " + len);
        return in.pushLimit(len);
    }

    /** Growable float[] (float_data can hold millions of values; no boxing). */
    private static final class FloatList {
        private float[] a = new float[16];
        private int n;
        void add(float v) { if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2); a[n++] = v; }
        float[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }

    private static final class LongList {
        private long[] a = new long[16];
        private int n;
        void add(long v) { if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2); a[n++] = v; }
        long[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }
}
