package dev.genai4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code genai4j pointe TASK}: Point-E's 3D data, previews and evaluation. */
@Command(name = "pointe",
        mixinStandardHelpOptions = true,
        description = {
                "Point-E helpers: a captioned data set of coloured primitives (point clouds, renders,",
                "captions), multi-view previews of PLY clouds, and scoring a cloud against a caption.",
                "",
                "Examples:",
                "  genai4j pointe data -n 1000 -o data/shapes",
                "  genai4j pointe render cloud.ply -o preview.png",
                "  genai4j pointe score cloud.ply --caption \"a red cone\" --classifier runs/pointnet"
        },
        subcommands = {PointeDataCommand.class, PointeRenderCommand.class, PointeScoreCommand.class, PointeEvalCommand.class,
                PointeRPrecisionCommand.class, PointeUpsampleCheckCommand.class})
final class PointeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
