package dev.genai4j.models.bert.onnx;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.onnx.OnnxFormatException;
import dev.genai4j.io.onnx.OnnxModel;
import dev.genai4j.io.onnx.OnnxNode;
import dev.genai4j.io.onnx.OnnxTensor;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a BERT ONNX export (as {@code torch.onnx} / optimum write it, fp32 or dynamically
 * int8-quantized) into a Hugging Face {@code BertModel} folder: {@code config.json},
 * {@code model.safetensors}, {@code tokenizer.json}.
 *
 * <p>Named initializers keep their names. The linear weights are anonymous ({@code onnx::MatMul_787},
 * stored [in, out]); each is named through the graph: the {@code Add} that adds a named bias to
 * the MatMul's output gives the name ({@code ….query.bias} → {@code ….query.weight}), else the
 * MatMul node's own path ({@code /encoder/layer.0/attention/self/query/MatMul}). They are
 * transposed to torch's [out, in]. Quantized weights ({@code X_quantized}, {@code X_scale},
 * {@code X_zero_point}) are dequantized: {@code w = (q − zp) · scale}, per tensor or per output
 * column. The config is inferred from tensor shapes and the graph's constants (heads from the
 * attention reshape, eps from the LayerNorm's {@code Add}).
 *
 * <pre>{@code
 * Path dir = BertOnnxImporter.importTo(Path.of("all-minilm-l6-v2.onnx"),
 *         Path.of("tokenizer.json"), Path.of("models/all-minilm-l6-v2"));
 * BertModel m = BertModel.load(dir);
 * }</pre>
 */
public final class BertOnnxImporter {
    private static final Pattern NODE_PATH = Pattern.compile("/encoder/layer\\.(\\d+)/((?:attention/self/(?:query|key|value))|attention/output/dense|intermediate/dense|output/dense)/MatMul.*");
    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\..*");
    private static final String[] LAYER_LINEARS = {
            "attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense", "intermediate.dense", "output.dense"};
    private static final String[] LAYER_NORMS = {"attention.output.LayerNorm", "output.LayerNorm"};

    /** The converted checkpoint before it is written. */
    public record Result(Map<String, Object> config, Map<String, Tensor> tensors, boolean dequantized) {}

    private BertOnnxImporter() {}

    /**
     * Converts {@code onnx} and writes {@code outDir} (which must not exist, or be empty) with the
     * tokenizer copied in. The folder appears whole or not at all.
     */
    public static Path importTo(Path onnx, Path tokenizerJson, Path outDir) {
        return importTo(onnx, tokenizerJson, outDir, Map.of());
    }

    /** As {@link #importTo(Path, Path, Path)}, also writing {@code extraFiles} (relative path → text) into the folder. */
    public static Path importTo(Path onnx, Path tokenizerJson, Path outDir, Map<String, String> extraFiles) {
        return importTo(onnx, tokenizerJson, outDir, extraFiles, (done, total) -> {});
    }

    /** Hears how the conversion goes: {@code done} of the graph's {@code total} initializers handled (a progress bar). */
    @FunctionalInterface
    public interface TensorProgress {
        void converted(int done, int total);
    }

    /** As {@link #importTo(Path, Path, Path, Map)}, reporting each converted tensor to {@code progress}. */
    public static Path importTo(Path onnx, Path tokenizerJson, Path outDir, Map<String, String> extraFiles, TensorProgress progress) {
        if (tokenizerJson == null || !Files.isRegularFile(tokenizerJson)) {
            throw new CheckpointException("import onnx: tokenizer file " + tokenizerJson + " does not exist; pass the model's tokenizer.json");
        }
        Path out = outDir.toAbsolutePath();
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new CheckpointException("import onnx: output folder " + outDir + " exists and is not empty; choose a new folder");
                Files.delete(out);
            } catch (IOException e) {
                throw new CheckpointException("import onnx: cannot use output folder " + outDir + ": " + e, e);
            }
        }
        Result r = convert(OnnxModel.read(onnx), progress);
        Path tmp = out.resolveSibling("." + out.getFileName() + ".import-" + UUID.randomUUID());
        boolean moved = false;
        try {
            CheckpointFolder.write(tmp, r.config(), r.tensors());
            Files.copy(tokenizerJson, tmp.resolve("tokenizer.json"));
            for (var e : extraFiles.entrySet()) {
                Path f = tmp.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } catch (IOException e) {
            throw new CheckpointException("import onnx: cannot write " + outDir + ": " + e, e);
        } finally {
            if (!moved) deleteTree(tmp);
        }
        return out;
    }

    /** Maps the graph to HF names and infers the config; throws {@link OnnxFormatException} when it is not a BERT graph. */
    public static Result convert(OnnxModel m) { return convert(m, (done, total) -> {}); }

    /**
     * As {@link #convert(OnnxModel)}, reporting progress over the graph's initializers: the named ones as they are read,
     * the anonymous MatMul weights as they are named; the rest (shape constants, scales) count at the end.
     */
    public static Result convert(OnnxModel m, TensorProgress progress) {
        int total = m.initializers().size();
        int[] done = {0};
        Runnable one = () -> progress.converted(Math.min(++done[0], total), total);
        String src = m.source() == null ? "ONNX model" : m.source().toString();
        Map<String, Tensor> named = new LinkedHashMap<>();
        boolean dequantized = false;
        // 1. named fp32 initializers, and dequantized X_quantized triples
        for (OnnxTensor t : m.initializers().values()) {
            String n = stripPrefix(t.name());
            if (!n.startsWith("onnx::")) one.run();
            if (n.endsWith("_scale") || n.endsWith("_zero_point") || n.equals("embeddings.position_ids")) continue;
            if (n.endsWith("_quantized")) {
                String base = n.substring(0, n.length() - "_quantized".length());
                if (base.startsWith("embeddings.")) named.put(base, dequantize(m, t));
                dequantized = true;
                continue;
            }
            if (!n.startsWith("onnx::") && t.dataType() == OnnxTensor.FLOAT && isHfName(n)) named.put(n, t.toTensor());
        }
        if (!named.containsKey("embeddings.word_embeddings.weight")) {
            throw new OnnxFormatException(src + " is not a BERT graph: it has no initializer 'embeddings.word_embeddings.weight'"
                    + " (found e.g. " + m.initializers().keySet().stream().limit(5).toList() + ")");
        }
        // 2. the anonymous [in, out] MatMul weights, named through the graph
        Map<String, List<OnnxNode>> consumers = m.consumers();
        List<OnnxNode> unnamed = new ArrayList<>();
        for (OnnxNode n : m.nodes()) {
            boolean mm = n.opType().equals("MatMul"), mmi = n.opType().equals("MatMulInteger");
            if (!mm && !mmi) continue;
            OnnxTensor w = m.initializers().get(n.input(1));
            if (w == null || w.dims().length != 2) continue;
            String name = nameFromBias(n, consumers, m);
            if (name == null) name = nameFromPath(n.name());
            Tensor value = (mmi ? dequantize(m, w) : w.toTensor()).transpose(0, 1).contiguous();   // [in, out] → [out, in]
            if (name == null) { unnamed.add(n); continue; }
            named.put(name, value);
            if (stripPrefix(w.name()).startsWith("onnx::")) one.run();
        }
        if (!unnamed.isEmpty()) {
            throw new OnnxFormatException(src + ": cannot tell which BERT weight MatMul node(s) "
                    + unnamed.stream().map(OnnxNode::name).limit(3).toList() + " hold; neither a named bias nor a node path says");
        }
        Map<String, Object> config = inferConfig(m, named, src);
        progress.converted(total, total);
        return new Result(config, named, dequantized);
    }

    private static boolean isHfName(String n) {
        return n.startsWith("embeddings.") || n.startsWith("encoder.") || n.startsWith("pooler.");
    }

    private static String stripPrefix(String n) { return n.startsWith("bert.") ? n.substring(5) : n; }

    /** Follows the MatMul's output through Cast / Mul (the int8 rescale) to the Add of a named bias. */
    private static String nameFromBias(OnnxNode matmul, Map<String, List<OnnxNode>> consumers, OnnxModel m) {
        List<String> frontier = List.of(matmul.output(0));
        for (int depth = 0; depth < 4; depth++) {
            List<String> next = new ArrayList<>();
            for (String v : frontier) {
                for (OnnxNode c : consumers.getOrDefault(v, List.of())) {
                    if (c.opType().equals("Add")) {
                        for (String in : c.inputs()) {
                            String n = stripPrefix(in);
                            if (n.endsWith(".bias") && m.initializers().containsKey(in)) return n.substring(0, n.length() - 5) + ".weight";
                        }
                    } else if (c.opType().equals("Cast") || c.opType().equals("Mul")) {
                        next.addAll(c.outputs());
                    }
                }
            }
            frontier = next;
        }
        return null;
    }

    private static String nameFromPath(String nodeName) {
        Matcher mt = NODE_PATH.matcher(nodeName);
        if (!mt.matches()) return null;
        return "encoder.layer." + mt.group(1) + "." + mt.group(2).replace('/', '.') + ".weight";
    }

    /** {@code (q − zp) · scale}; scale/zero point per tensor or per output column of the [in, out] matrix. */
    private static Tensor dequantize(OnnxModel m, OnnxTensor q) {
        String base = q.name().endsWith("_quantized") ? q.name().substring(0, q.name().length() - 10) : q.name();
        OnnxTensor scale = m.initializers().get(base + "_scale"), zero = m.initializers().get(base + "_zero_point");
        if (scale == null) throw new OnnxFormatException("int8 weight '" + q.name() + "' has no '" + base + "_scale' initializer");
        double[] v = q.toDoubles(), s = scale.toDoubles(), z = zero == null ? new double[]{0} : zero.toDoubles();
        int[] shape = q.shape();
        int cols = shape[shape.length - 1];
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            int c = s.length == 1 ? 0 : i % cols;
            if (s.length != 1 && s.length != cols) throw new OnnxFormatException("int8 weight '" + q.name() + "': scale has " + s.length + " values, expected 1 or " + cols);
            double zp = z.length == 1 ? z[0] : z[c];
            out[i] = (float) ((v[i] - zp) * s[c]);
        }
        return Tensor.of(out, shape);
    }

    private static Map<String, Object> inferConfig(OnnxModel m, Map<String, Tensor> w, String src) {
        int[] word = w.get("embeddings.word_embeddings.weight").shape();
        int hidden = word[1];
        int maxPos = shapeOf(w, "embeddings.position_embeddings.weight", src)[0];
        int typeVocab = w.containsKey("embeddings.token_type_embeddings.weight") ? w.get("embeddings.token_type_embeddings.weight").shape()[0] : 0;
        TreeSet<Integer> layers = new TreeSet<>();
        for (String n : w.keySet()) {
            Matcher mt = LAYER.matcher(n);
            if (mt.matches()) layers.add(Integer.parseInt(mt.group(1)));
        }
        if (layers.isEmpty()) throw new OnnxFormatException(src + " is not a BERT graph: no 'encoder.layer.N.*' weights");
        int nLayers = layers.last() + 1;
        for (int i = 0; i < nLayers; i++) {
            for (String lin : LAYER_LINEARS) { shapeOf(w, "encoder.layer." + i + "." + lin + ".weight", src); shapeOf(w, "encoder.layer." + i + "." + lin + ".bias", src); }
            for (String ln : LAYER_NORMS) shapeOf(w, "encoder.layer." + i + "." + ln + ".weight", src);
        }
        shapeOf(w, "embeddings.LayerNorm.weight", src);
        int intermediate = w.get("encoder.layer.0.intermediate.dense.weight").shape()[0];
        int headDim = headDim(m, src);
        if (hidden % headDim != 0) throw new OnnxFormatException(src + ": head size " + headDim + " does not divide hidden size " + hidden);
        boolean erf = m.nodes().stream().anyMatch(n -> n.opType().equals("Erf"));
        if (!erf) throw new OnnxFormatException(src + ": no Erf node; only BERT graphs with exact (erf) GELU are supported");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("BertModel"));
        c.put("model_type", "bert");
        c.put("hidden_size", hidden);
        c.put("num_hidden_layers", nLayers);
        c.put("num_attention_heads", hidden / headDim);
        c.put("intermediate_size", intermediate);
        c.put("hidden_act", "gelu");
        c.put("vocab_size", word[0]);
        c.put("max_position_embeddings", maxPos);
        c.put("type_vocab_size", typeVocab);
        c.put("layer_norm_eps", layerNormEps(m));
        c.put("pad_token_id", 0);
        c.put("position_embedding_type", "absolute");
        c.put("hidden_dropout_prob", 0.1);
        c.put("attention_probs_dropout_prob", 0.1);
        c.put("initializer_range", 0.02);
        return c;
    }

    private static int[] shapeOf(Map<String, Tensor> w, String name, String src) {
        Tensor t = w.get(name);
        if (t == null) throw new OnnxFormatException(src + " is not a complete BERT graph: no weight maps to '" + name + "'");
        return t.shape();
    }

    /** Head size: the constant last dim of the first attention reshape ([B, T, nH, hd]), else √ of the score divisor. */
    private static int headDim(OnnxModel m, String src) {
        Map<String, OnnxNode> producers = m.producers();
        for (OnnxNode n : m.nodes()) {
            if (!n.opType().equals("Reshape") || !n.name().contains("attention/self")) continue;
            OnnxTensor shape = m.constant(n.input(1));
            if (shape != null && shape.numel() == 4) return (int) shape.toDoubles()[3];
            OnnxNode concat = producers.get(n.input(1));
            if (concat != null && concat.opType().equals("Concat") && concat.inputs().size() == 4) {
                OnnxTensor last = m.constant(concat.input(3));
                if (last != null && last.numel() == 1) return (int) last.toDoubles()[0];
            }
        }
        for (OnnxNode n : m.nodes()) {
            if (!n.opType().equals("Div") || !n.name().contains("attention/self")) continue;
            OnnxTensor d = m.constant(n.input(1));
            if (d != null && d.numel() == 1) return (int) Math.round(d.toDoubles()[0] * d.toDoubles()[0]);
        }
        throw new OnnxFormatException(src + ": cannot find the attention head size (no attention reshape or score scale in the graph)");
    }

    /** eps: the LayerNormalization attribute, or the scalar added to the variance (ReduceMean → Add). */
    private static double layerNormEps(OnnxModel m) {
        Map<String, OnnxNode> producers = m.producers();
        for (OnnxNode n : m.nodes()) {
            if (n.opType().equals("LayerNormalization") && n.floatAttributes().containsKey("epsilon")) return n.floatAttributes().get("epsilon");
            if (!n.opType().equals("Add")) continue;
            OnnxNode p = producers.get(n.input(0));
            if (p == null || !p.opType().equals("ReduceMean")) continue;
            OnnxNode pp = producers.get(p.input(0));
            if (pp == null || !pp.opType().equals("Pow")) continue;
            OnnxTensor eps = m.constant(n.input(1));
            if (eps != null && eps.numel() == 1) return (float) eps.toDoubles()[0];
        }
        return 1e-12;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the failure being reported matters more
        }
    }
}
