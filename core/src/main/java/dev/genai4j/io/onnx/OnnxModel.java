package dev.genai4j.io.onnx;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX {@code ModelProto} an importer needs: the main graph's initializers,
 * nodes (in file order, which ONNX requires to be topological), inputs and outputs.
 * Read with {@link #read(Path)}.
 *
 * <pre>{@code
 * OnnxModel m = OnnxModel.read(Path.of("all-minilm-l6-v2.onnx"));
 * for (OnnxNode n : m.nodes()) if (n.opType().equals("MatMul")) System.out.println(n.inputs());
 * }</pre>
 */
public record OnnxModel(Path source, String producer, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers,
                        List<String> graphInputs, List<String> graphOutputs) {

    /** Parses {@code file} (memory-mapped; tensor payloads are views into the mapping). */
    public static OnnxModel read(Path file) { return OnnxReader.read(file); }

    /** Initializer of that name, or the value of the {@code Constant} node that outputs it; null otherwise. */
    public OnnxTensor constant(String valueName) {
        OnnxTensor t = initializers.get(valueName);
        if (t != null) return t;
        OnnxNode producerNode = producers().get(valueName);
        if (producerNode != null && producerNode.opType().equals("Constant")) {
            return producerNode.tensorAttributes().get("value");
        }
        return null;
    }

    /** The node that writes each value name. */
    public Map<String, OnnxNode> producers() {
        Map<String, OnnxNode> out = new HashMap<>();
        for (OnnxNode n : nodes) for (String o : n.outputs()) out.put(o, n);
        return out;
    }

    /** The nodes that read each value name, in graph order. */
    public Map<String, List<OnnxNode>> consumers() {
        Map<String, List<OnnxNode>> out = new HashMap<>();
        for (OnnxNode n : nodes) {
            for (String in : n.inputs()) out.computeIfAbsent(in, k -> new java.util.ArrayList<>()).add(n);
        }
        return out;
    }
}
