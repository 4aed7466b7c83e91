package dev.genai4j.io.hub;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;

/**
 * Which of a repository's files a snapshot fetches. By default everything a Java loader can use:
 * configs, tokenizers and weights, skipping other frameworks' copies of the weights (TensorFlow,
 * Flax, ONNX, OpenVINO, Core ML, GGUF, Rust) and the PyTorch pickles when safetensors are there.
 * With glob patterns ({@code *.json}, {@code onnx/**}) exactly the matching files are fetched.
 *
 * <pre>{@code
 * FileSelection.defaults().select(List.of("config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5"));
 * // [config.json, model.safetensors]
 * FileSelection.globs(List.of("*.json")).select(files);   // only the JSON files at the top level
 * }</pre>
 */
public final class FileSelection {
    private static final List<String> OTHER_FRAMEWORKS = List.of(".h5", ".msgpack", ".ot", ".onnx", ".onnx_data", ".tflite", ".gguf",
            ".mlmodel", ".mlpackage", ".xml");
    private static final List<String> OTHER_FOLDERS = List.of("onnx/", "openvino/", "coreml/", "tf/", "flax/");

    private final List<PathMatcher> globs;
    private final List<String> patterns;

    private FileSelection(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.globs = patterns.stream().map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
    }

    /** Everything useful to a Java loader (see the class comment). */
    public static FileSelection defaults() { return new FileSelection(List.of()); }

    /** Exactly the files matching one of {@code patterns} (an empty list means {@link #defaults()}). */
    public static FileSelection globs(List<String> patterns) { return new FileSelection(patterns); }

    /** The files to fetch, in repository order. */
    public List<String> select(List<String> files) {
        if (!globs.isEmpty()) return files.stream().filter(f -> globs.stream().anyMatch(g -> g.matches(Path.of(f)))).toList();
        boolean safetensors = files.stream().anyMatch(f -> f.endsWith(".safetensors"));
        return files.stream().filter(f -> useful(f, safetensors)).toList();
    }

    private static boolean useful(String file, boolean safetensors) {
        String f = file.toLowerCase(Locale.ROOT);
        if (OTHER_FOLDERS.stream().anyMatch(f::startsWith)) return false;
        if (OTHER_FRAMEWORKS.stream().anyMatch(f::endsWith)) return false;
        String name = f.substring(f.lastIndexOf('/') + 1);
        if (name.startsWith("tf_model") || name.startsWith("flax_model") || name.startsWith("rust_model")) return false;
        boolean pickle = name.endsWith(".bin") && name.startsWith("pytorch_model") || name.endsWith(".pt") || name.endsWith(".pth")
                || name.endsWith(".ckpt");
        return !(pickle && safetensors);
    }

    @Override
    public String toString() { return patterns.isEmpty() ? "the default files" : "files matching " + patterns; }
}
