package dev.genai4j.io.onnx;

import java.util.List;
import java.util.Map;

/**
 * One graph node (ONNX {@code NodeProto}): its operator, the value names it reads and writes, and
 * the attributes an importer needs (floats, ints, tensors; strings and graphs are skipped).
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs,
                       Map<String, Float> floatAttributes, Map<String, Long> intAttributes,
                       Map<String, OnnxTensor> tensorAttributes) {

    /** Input {@code i}, or "" when the node has fewer inputs (ONNX's marker for an omitted optional input). */
    public String input(int i) { return i < inputs.size() ? inputs.get(i) : ""; }

    public String output(int i) { return i < outputs.size() ? outputs.get(i) : ""; }
}
