package dev.genai4j.cli;

import dev.genai4j.data.DataException;
import dev.genai4j.data.render.PointCloudRenderer;
import dev.genai4j.data.render.RgbRaster;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j pointe render}: a multi-view PNG preview of a PLY point cloud. */
@Command(name = "render",
        mixinStandardHelpOptions = true,
        description = {
                "Renders a coloured PLY point cloud (ASCII or binary) from --views azimuths evenly around it",
                "(elevation 25 degrees), centred and framed to fill each view, as depth-shaded splats, and tiles",
                "the views --columns per row into one PNG.",
                "",
                "Example:  genai4j pointe render cloud.ply -o preview.png --size 128 --views 4 --columns 2"
        })
final class PointeRenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CLOUD.ply", description = "the point cloud")
    Path cloud;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PNG", description = "preview image to write")
    Path output;

    @Option(names = "--size", paramLabel = "PX", description = "width and height of each view (default ${DEFAULT-VALUE})")
    int size = 128;

    @Option(names = "--views", paramLabel = "V", description = "number of views (default ${DEFAULT-VALUE})")
    int views = 4;

    @Option(names = "--columns", paramLabel = "C", description = "views per row: 2 for 2x2, 4 for 1x4 (default ${DEFAULT-VALUE})")
    int columns = 2;

    @Option(names = "--radius", paramLabel = "F", description = "splat radius as a fraction of the cloud's bounding radius (default ${DEFAULT-VALUE})")
    double radius = 0.03;

    @Option(names = "--json", description = "print {cloud, points, views, output, width, height}")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            PointCloud pc = PlyFile.read(cloud);
            RgbRaster img = PointCloudRenderer.preview(pc, size, views, columns, radius);
            img.writePng(output);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonResult.print(out, JsonResult.of("cloud", cloud, "points", pc.size(), "views", views, "output", output,
                        "width", img.width(), "height", img.height()));
                return 0;
            }
            out.printf("%d points, %d views -> %s (%d x %d)%n", pc.size(), views, output, img.width(), img.height());
            out.flush();
            return 0;
        } catch (DataException e) {
            err.println("pointe render: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
