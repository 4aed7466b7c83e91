package dev.genai4j.data.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.ObjectSpec;
import dev.genai4j.data.shapes.OutputFiles;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.data.shapes.ShapeExample;
import dev.genai4j.data.shapes.ShapeGenerator;
import dev.genai4j.tensor.Rng;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a captioned 3D data set: for each generated example a ground-truth point cloud
 * ({@code clouds/ID.ply}), rendered views from seeded random cameras ({@code renders/ID_V.png}),
 * and one line of {@code captions.jsonl} with the caption, the files, the cameras and the
 * structured scene. Each example draws from its own seed, so the set is reproducible.
 *
 * <pre>{@code
 * var opts = ShapeDatasetWriter.Options.defaults(100);
 * ShapeDatasetWriter.Summary s = ShapeDatasetWriter.write(opts, Path.of("shapes"));
 * }</pre>
 */
public final class ShapeDatasetWriter {
    /** What to write. {@code maxAzimuth}: cameras stay within ± this many degrees of the front, so "left of" stays left. */
    public record Options(int count, long seed, double pairRate, int points, int imageSize, int supersample, int views,
                          double maxAzimuth, int segments, PlyFile.Format format, double cameraDistance) {
        public Options {
            if (count <= 0 || points <= 0 || imageSize <= 0 || supersample <= 0 || views < 0 || segments < 3 || !(maxAzimuth >= 0 && maxAzimuth <= 180)
                    || !(cameraDistance > 0 && cameraDistance < 100)) {
                throw new DataException("ShapeDatasetWriter: need count, points, image size, supersample > 0, views ≥ 0, segments ≥ 3, "
                        + "max azimuth in [0, 180] and a camera distance in (0, 100), got " + this);
            }
        }

        /** At the default camera distance ({@link Camera#DEFAULT_DISTANCE}). */
        public Options(int count, long seed, double pairRate, int points, int imageSize, int supersample, int views,
                       double maxAzimuth, int segments, PlyFile.Format format) {
            this(count, seed, pairRate, points, imageSize, supersample, views, maxAzimuth, segments, format, Camera.DEFAULT_DISTANCE);
        }

        /** 4,096 points, one 64×64 view (2× supersampled) within ±45°, 30 % pairs, binary PLY. */
        public static Options defaults(int count) {
            return new Options(count, 0, 0.3, 4096, 64, 2, 1, 45, 32, PlyFile.Format.BINARY_LITTLE_ENDIAN);
        }
    }

    /** Counts and time of a finished write. */
    public record Summary(int examples, int images, double seconds) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private ShapeDatasetWriter() {}

    public static Summary write(Options o, Path dir) {
        long t0 = System.nanoTime();
        ShapeGenerator gen = new ShapeGenerator(o.seed(), o.pairRate());
        StringBuilder lines = new StringBuilder();
        int images = 0;
        for (int i = 0; i < o.count(); i++) {
            ShapeExample ex = gen.next();
            String id = String.format(Locale.ROOT, "%06d", i);
            Rng rng = new Rng(ex.seed());
            PointCloud cloud = ex.scene().sample(o.points(), rng);
            String ply = "clouds/" + id + ".ply";
            PlyFile.write(dir.resolve(ply), cloud, o.format());
            ObjectNode line = JSON.createObjectNode();
            line.put("id", id);
            line.put("caption", ex.caption());
            line.put("ply", ply);
            ArrayNode imgs = line.putArray("images"), cams = line.putArray("cameras");
            var mesh = o.views() > 0 ? ex.scene().mesh(o.segments()) : null;
            for (int v = 0; v < o.views(); v++) {
                Camera cam = Camera.random(rng, o.maxAzimuth(), o.cameraDistance());
                String png = "renders/" + id + "_" + v + ".png";
                MeshRenderer.render(mesh, cam, o.imageSize(), o.supersample()).writePng(dir.resolve(png));
                imgs.add(png);
                ObjectNode c = cams.addObject();
                c.put("azimuth", cam.azimuthDeg());
                c.put("elevation", cam.elevationDeg());
                c.put("distance", cam.distance());
                c.put("fov", cam.fovDeg());
                images++;
            }
            ArrayNode objs = line.putArray("objects");
            for (ObjectSpec s : ex.scene().specs()) {
                ObjectNode on = objs.addObject();
                on.put("shape", s.primitive().word());
                on.put("colour", s.colour().word());
                on.put("size", s.size().word());
            }
            if (ex.scene().relation() == null) line.putNull("relation");
            else line.put("relation", ex.scene().relation().phrase());
            lines.append(line).append('\n');
        }
        byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
        OutputFiles.write(dir.resolve("captions.jsonl"), out -> out.write(bytes));
        return new Summary(o.count(), images, (System.nanoTime() - t0) / 1e9);
    }
}
