package dev.genai4j.models.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsFile;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A retrieval index: L2-normalized CLIP embeddings [N, P] with one key each (an image path or a
 * text), ranked by cosine similarity to a query. Saved as a folder holding
 * {@code embeddings.safetensors} (tensor {@code embeddings}, metadata {@code kind}) and
 * {@code keys.json} (the JSON list of paths or texts, in row order). An image index answers
 * text→image queries, a text index image→text ones.
 *
 * <pre>{@code
 * ClipIndex idx = ClipIndex.ofImageFolder(clip, Path.of("photos"));
 * idx.save(Path.of("photos.index"));
 * Tensor q = clip.embedTexts(List.of("a dog on a beach")).embeddings().select(0, 0);
 * List<ClipIndex.Hit> top = ClipIndex.load(Path.of("photos.index")).search(q, 5);
 * }</pre>
 */
public final class ClipIndex {
    /** What the keys are. */
    public enum Kind { IMAGE, TEXT }

    /** A ranked result: the key and its cosine similarity to the query. */
    public record Hit(String key, float score) {}

    static final String EMBEDDINGS = "embeddings.safetensors";
    static final String KEYS = "keys.json";
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Kind kind;
    private final List<String> keys;
    private final Tensor embeddings;   // [N, P], unit rows

    public ClipIndex(Kind kind, List<String> keys, Tensor embeddings) {
        if (embeddings.dim() != 2 || embeddings.size(0) != keys.size()) {
            throw ShapeException.of("ClipIndex", "embeddings [" + keys.size() + ", P] (one row per key)", embeddings.shape());
        }
        this.kind = kind;
        this.keys = List.copyOf(keys);
        this.embeddings = embeddings.contiguous();
    }

    /** The image files under {@code folder} (any depth; PNG, JPEG, GIF, BMP by extension), sorted. */
    public static List<Path> imageFiles(Path folder) {
        if (!Files.isDirectory(folder)) throw new CheckpointException("CLIP index: " + folder + " is not a folder of images");
        try (Stream<Path> s = Files.walk(folder)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                int dot = n.lastIndexOf('.');
                return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1));
            }).sorted().toList();
            if (files.isEmpty()) throw new CheckpointException("CLIP index: no .png/.jpg/.jpeg/.gif/.bmp files under " + folder);
            return files;
        } catch (IOException e) {
            throw new CheckpointException("CLIP index: cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** An image index and the files left out of it because they could not be read (each with the reason). */
    public record Built(ClipIndex index, List<String> skipped) {}

    /** Embeds every image under {@code folder}; keys are the files' absolute paths. Unreadable files fail. */
    public static ClipIndex ofImageFolder(ClipPipeline clip, Path folder) {
        List<Path> files = imageFiles(folder);
        List<String> keys = files.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
        return new ClipIndex(Kind.IMAGE, keys, clip.embedImageFiles(files));
    }

    /**
     * Embeds every readable image under {@code folder}, leaving out (and listing) files that are
     * corrupt, truncated, of another format or over the pixel cap; fails when none is readable.
     */
    public static Built ofImageFolderSkippingBad(ClipPipeline clip, Path folder) {
        List<String> keys = new ArrayList<>(), skipped = new ArrayList<>();
        List<Tensor> parts = new ArrayList<>();
        List<RgbImage> batch = new ArrayList<>();
        for (Path f : imageFiles(folder)) {
            try {
                batch.add(ImageFiles.read(f));
                keys.add(f.toAbsolutePath().normalize().toString());
            } catch (ImageReadException e) {
                skipped.add(e.getMessage());
            }
            if (batch.size() == ClipPipeline.IMAGE_BATCH) {
                parts.add(clip.embedImages(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) parts.add(clip.embedImages(batch));
        if (keys.isEmpty()) throw new ImageReadException("CLIP index: none of the images under " + folder + " is readable: " + skipped);
        Tensor all = parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0);
        return new Built(new ClipIndex(Kind.IMAGE, keys, all), List.copyOf(skipped));
    }

    /** Embeds {@code texts}; keys are the texts themselves. */
    public static ClipIndex ofTexts(ClipPipeline clip, List<String> texts) {
        return new ClipIndex(Kind.TEXT, texts, clip.embedTexts(texts).embeddings());
    }

    public Kind kind() { return kind; }

    public List<String> keys() { return keys; }

    public Tensor embeddings() { return embeddings; }

    public int dim() { return embeddings.size(1); }

    /** The {@code k} keys most similar to {@code query} [P] (normalized), best first. */
    public List<Hit> search(Tensor query, int k) {
        if (query.numel() != dim()) {
            throw ShapeException.of("ClipIndex.search: query", "[" + dim() + "] (this index's embedding width; same model?)", query.shape());
        }
        if (k <= 0) throw new IllegalArgumentException("ClipIndex.search: k must be positive, got " + k);
        float[] s = embeddings.matmul(query.reshape(dim(), 1)).toFloatArray();    // [N] cosines
        List<Hit> all = new ArrayList<>();
        for (int i = 0; i < s.length; i++) all.add(new Hit(keys.get(i), s[i]));
        all.sort(Comparator.comparingDouble((Hit h) -> h.score()).reversed());
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    /** Writes the index folder (created if needed; each file replaced atomically). */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            new SafetensorsWriter().withMetadata(Map.of("kind", kind.name().toLowerCase(Locale.ROOT), "format", "genai4j-clip-index"))
                    .write(dir.resolve(EMBEDDINGS), Map.of("embeddings", embeddings));
            Path tmp = Files.createTempFile(dir, KEYS, ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(keys));
            Files.move(tmp, dir.resolve(KEYS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CheckpointException("CLIP index: cannot write " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads an index folder written by {@link #save}. */
    public static ClipIndex load(Path dir) {
        Path emb = dir.resolve(EMBEDDINGS), keysFile = dir.resolve(KEYS);
        if (!Files.isRegularFile(emb) || !Files.isRegularFile(keysFile)) {
            throw new CheckpointException("CLIP index " + dir + " needs " + EMBEDDINGS + " and " + KEYS + " (made by 'genai4j clip index')");
        }
        List<String> keys = new ArrayList<>();
        try {
            JsonNode arr = JSON.readTree(keysFile.toFile());
            if (arr == null || !arr.isArray()) throw new CheckpointException("CLIP index: " + keysFile + " must be a JSON list of strings");
            for (JsonNode n : arr) keys.add(n.asText());
        } catch (IOException e) {
            throw new CheckpointException("CLIP index: cannot read " + keysFile + ": " + e.getMessage(), e);
        }
        try (SafetensorsFile f = SafetensorsFile.open(emb)) {
            Tensor t = f.get("embeddings");
            String kind = f.metadata().getOrDefault("kind", "image");
            return new ClipIndex(kind.equals("text") ? Kind.TEXT : Kind.IMAGE, keys, Tensor.of(t.toFloatArray(), t.shape()));
        }
    }
}
