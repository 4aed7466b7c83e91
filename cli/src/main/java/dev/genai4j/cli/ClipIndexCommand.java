package dev.genai4j.cli;

import dev.genai4j.models.clip.ClipIndex;
import dev.genai4j.models.clip.ClipPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genai4j clip index}: embeds a folder of images (or a file of texts) into a saved {@link ClipIndex}. */
@Command(name = "index",
        mixinStandardHelpOptions = true,
        description = {
                "Builds a retrieval index of images (or texts).",
                "Embeds every PNG/JPEG/GIF/BMP under DIR (any depth), or every line of",
                "--texts FILE, into the folder -o INDEX: embeddings.safetensors + keys.json",
                "(the paths or texts). Unreadable images are skipped with a warning.",
                "Query it with 'genai4j clip search'.",
                "",
                "Examples:",
                "  genai4j clip index --model models/clip photos/ -o photos.index",
                "  genai4j clip index --model models/clip --texts captions.txt -o captions.index"
        })
final class ClipIndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf:ID", description = "CLIP model folder"
            + "; or a hub model hf:org/name[@rev] (see genai4j models download)")
    Path model;

    @Mixin
    HubOptions hub;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "INDEX", description = "index folder to write")
    Path output;

    @Option(names = "--texts", paramLabel = "FILE", description = "index the lines of this UTF-8 file instead of images")
    Path textsFile;

    @Option(names = "--json", description = "print {index, kind, count}")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "folder of images")
    Path images;

    @Override
    public Integer call() {
        model = ModelLocator.locate(model, hub);   // hf:org/name[@rev] -> its snapshot folder in the hub cache
        return ClipCli.run(spec, () -> {
            if ((images == null) == (textsFile == null)) {
                throw new IllegalArgumentException("give either a folder of images (DIR) or --texts FILE");
            }
            try (ClipPipeline clip = ClipPipeline.load(model)) {
                ClipIndex idx;
                if (images != null) {
                    ClipIndex.Built built = ClipIndex.ofImageFolderSkippingBad(clip, images);
                    idx = built.index();
                    for (String why : built.skipped()) spec.commandLine().getErr().println("warning: skipped " + why);
                    spec.commandLine().getErr().flush();
                } else {
                    List<String> lines = readLines(textsFile);
                    ClipPipeline.TextEmbeddings te = clip.embedTexts(lines);
                    ClipCli.warnTruncated(spec, lines, te.truncated(), clip.model().config().text().maxPositionEmbeddings());
                    idx = new ClipIndex(ClipIndex.Kind.TEXT, lines, te.embeddings());
                }
                idx.save(output);
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("index", output.toString());
                    m.put("kind", idx.kind().name().toLowerCase(java.util.Locale.ROOT));
                    m.put("count", idx.keys().size());
                    ClipCli.printJson(spec, m);
                } else {
                    spec.commandLine().getOut().println("indexed " + idx.keys().size() + " " + (idx.kind() == ClipIndex.Kind.IMAGE ? "images" : "texts")
                            + " into " + output);
                    spec.commandLine().getOut().flush();
                }
            }
            return 0;
        });
    }

    private static List<String> readLines(Path f) {
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (lines.isEmpty()) throw new IllegalArgumentException("--texts " + f + " has no non-empty lines");
            return lines;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --texts " + f + ": " + e.getMessage(), e);
        }
    }
}
