package dev.genai4j.cli;

import dev.genai4j.data.DataException;
import dev.genai4j.data.render.ShapeDatasetWriter;
import dev.genai4j.data.shapes.PlyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j pointe data}: the captioned primitives data set ({@link ShapeDatasetWriter}). */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = {
                "Generates N captioned scenes of coloured primitives (sphere, cube, cylinder, cone, torus,",
                "pyramid, capsule; small/medium/large; 8 colours; single objects or two 'on top of', 'next to',",
                "'to the left of' each other) and writes, in DIR: clouds/ID.ply (points sampled uniformly by",
                "area on the exact surfaces, with RGB), renders/ID_V.png (Lambert-shaded views from seeded",
                "random cameras) and captions.jsonl (caption, files, cameras, objects). Same --seed, same set.",
                "",
                "Example:  genai4j pointe data -n 1000 -o data/shapes --points 4096 --image-size 64"
        })
final class PointeDataCommand implements Callable<Integer> {
    private static final ShapeDatasetWriter.Options D = ShapeDatasetWriter.Options.defaults(1);

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--count"}, required = true, paramLabel = "N", description = "number of scenes")
    int count;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "output folder")
    Path output;

    @Option(names = "--seed", paramLabel = "S", description = "generator seed (default ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--pair-rate", paramLabel = "P", description = "share of two-object scenes (default ${DEFAULT-VALUE})")
    double pairRate = D.pairRate();

    @Option(names = "--points", paramLabel = "N", description = "points per cloud (default ${DEFAULT-VALUE})")
    int points = D.points();

    @Option(names = "--image-size", paramLabel = "PX", description = "render width and height (default ${DEFAULT-VALUE})")
    int imageSize = D.imageSize();

    @Option(names = "--supersample", paramLabel = "K", description = "antialiasing: K x K samples per pixel (default ${DEFAULT-VALUE})")
    int supersample = D.supersample();

    @Option(names = "--views", paramLabel = "V", description = "rendered views per scene, 0 for none (default ${DEFAULT-VALUE})")
    int views = D.views();

    @Option(names = "--max-azimuth", paramLabel = "DEG", description = "cameras within +/- DEG of the front view (default ${DEFAULT-VALUE})")
    double maxAzimuth = D.maxAzimuth();

    @Option(names = "--camera-distance", paramLabel = "D",
            description = "camera distance from the origin; larger frames the objects smaller (default ${DEFAULT-VALUE}; "
                    + "data sets made before this default used 1.9)")
    double cameraDistance = D.cameraDistance();

    @Option(names = "--ascii", description = "write ASCII PLY instead of binary little-endian")
    boolean ascii;

    @Option(names = "--json", description = "print {output, clouds, renders, seconds, ms_per_scene}")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            var opts = new ShapeDatasetWriter.Options(count, seed, pairRate, points, imageSize, supersample, views, maxAzimuth, D.segments(),
                    ascii ? PlyFile.Format.ASCII : PlyFile.Format.BINARY_LITTLE_ENDIAN, cameraDistance);
            ShapeDatasetWriter.Summary s = ShapeDatasetWriter.write(opts, output);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonResult.print(out, JsonResult.of("output", output, "clouds", s.examples(), "renders", s.images(),
                        "captions", output.resolve("captions.jsonl"), "seconds", s.seconds(), "ms_per_scene", 1000 * s.seconds() / s.examples()));
                return 0;
            }
            out.printf("wrote %d clouds, %d renders and captions.jsonl to %s in %.1f s (%.1f ms per scene)%n", s.examples(), s.images(), output,
                    s.seconds(), 1000 * s.seconds() / s.examples());
            out.flush();
            return 0;
        } catch (DataException e) {
            err.println("pointe data: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
