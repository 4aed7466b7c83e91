package dev.genai4j.models.pointe.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.ImageFiles;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.tensor.Rng;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset written by {@code genai4j pointe data}: {@code captions.jsonl} lines naming a cloud
 * ({@code ply}) and its renders ({@code images}). The last {@code holdOut} examples are kept out of
 * training, for evaluation. Clouds and images are read on demand (a batch is a few files).
 *
 * <pre>{@code
 * ShapeCloudData d = ShapeCloudData.open(Path.of("data/shapes"), 100);
 * ShapeCloudData.Example ex = d.train().get(0);
 * float[] pts = ShapeCloudData.subsample(ex.cloud(), 1024, rng);   // [6·1024]: xyz, rgb 0..1 per point
 * }</pre>
 */
public final class ShapeCloudData {
    /** One scene: caption, cloud file, render files. */
    public record Example(String id, String caption, Path ply, List<Path> images) {
        public PointCloud cloud() { return PlyFile.read(ply); }

        /** The render used for view {@code v} (wrapping over the views there are). */
        public RgbImage image(int v) { return ImageFiles.read(images.get(Math.floorMod(v, images.size()))); }
    }

    private final List<Example> train, heldOut;

    private ShapeCloudData(List<Example> train, List<Example> heldOut) {
        this.train = train;
        this.heldOut = heldOut;
    }

    public static ShapeCloudData open(Path dir, int holdOut) {
        Path index = dir.resolve("captions.jsonl");
        if (!Files.isRegularFile(index)) {
            throw new DataException("Point-E data: " + index + " not found; make a dataset with: genai4j pointe data -n 2000 -o " + dir);
        }
        List<Example> all = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(index)) {
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode o;
                try {
                    o = json.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new DataException("Point-E data: " + index + " line " + lineNo + " is not a JSON object: " + e.getOriginalMessage(), e);
                }
                if (o == null || !o.isObject()) throw new DataException("Point-E data: " + index + " line " + lineNo + " is not a JSON object");
                JsonNode imgs = o.path("images");
                if (!o.hasNonNull("ply") || !imgs.isArray() || imgs.isEmpty()) {
                    throw new DataException("Point-E data: " + index + " line " + lineNo + " needs \"ply\" and at least one of \"images\"");
                }
                List<Path> images = new ArrayList<>();
                for (JsonNode i : imgs) images.add(dir.resolve(i.asText()));
                all.add(new Example(o.path("id").asText(String.valueOf(lineNo)), o.path("caption").asText(""), dir.resolve(o.get("ply").asText()),
                        List.copyOf(images)));
            }
        } catch (IOException e) {
            throw new DataException("Point-E data: cannot read " + index + ": " + e.getMessage(), e);
        }
        if (holdOut < 0 || all.size() - holdOut < 1) {
            throw new DataException("Point-E data: " + all.size() + " examples in " + index + " leave none to train on after holding out " + holdOut);
        }
        int cut = all.size() - holdOut;
        return new ShapeCloudData(List.copyOf(all.subList(0, cut)), List.copyOf(all.subList(cut, all.size())));
    }

    public List<Example> train() { return train; }

    public List<Example> heldOut() { return heldOut; }

    /**
     * {@code n} distinct points of {@code cloud} drawn at random (partial Fisher–Yates), as
     * {@code [x, y, z, r, g, b]} per point, colours in [0, 1].
     */
    public static float[] subsample(PointCloud cloud, int n, Rng rng) {
        int size = cloud.size();
        if (size < n) throw new DataException("Point-E data: a cloud of " + size + " points cannot give " + n + " distinct points");
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) idx[i] = i;
        float[] out = new float[6 * n];
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(size - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
            int p = idx[i];
            for (int k = 0; k < 3; k++) {
                out[6 * i + k] = cloud.xyz()[3 * p + k];
                out[6 * i + 3 + k] = cloud.rgb()[3 * p + k];
            }
        }
        return out;
    }
}
