package dev.genai4j.cli;

import dev.genai4j.models.clip.ClipIndex;
import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genai4j clip search}: ranks an index's entries by cosine similarity to a text or an image. */
@Command(name = "search",
        mixinStandardHelpOptions = true,
        description = {
                "Searches a saved index by a text or an image.",
                "Ranks the index's entries by cosine similarity to QUERY (text -> image over",
                "an image index) or to --image FILE (image -> text over a text index).",
                "Prints 'score key' lines, best first.",
                "",
                "Examples:",
                "  genai4j clip search --model models/clip --index photos.index \"a dog on a beach\"",
                "  genai4j clip search --model models/clip --index captions.index --image cat.png"
        })
final class ClipSearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf:ID", description = "CLIP model folder (the one that built the index)"
            + "; or a hub model hf:org/name[@rev] (see genai4j models download)")
    Path model;

    @Mixin
    HubOptions hub;

    @Option(names = "--index", required = true, paramLabel = "INDEX", description = "index folder")
    Path index;

    @Option(names = "--image", paramLabel = "FILE", description = "query with an image instead of a text")
    Path image;

    @Option(names = {"-k", "--top-k"}, defaultValue = "5", paramLabel = "K", description = "number of results (default ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--json", description = "print {query, kind, hits: [{key, score}]}")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "query text")
    String query;

    @Override
    public Integer call() {
        model = ModelLocator.locate(model, hub);   // hf:org/name[@rev] -> its snapshot folder in the hub cache
        return ClipCli.run(spec, () -> {
            if ((query == null) == (image == null)) throw new IllegalArgumentException("give either a QUERY text or --image FILE");
            ClipIndex idx = ClipIndex.load(index);
            List<ClipIndex.Hit> hits;
            try (ClipPipeline clip = ClipPipeline.load(model)) {
                Tensor q;
                if (image != null) {
                    q = clip.embedImageFiles(List.of(image)).select(0, 0);
                } else {
                    ClipPipeline.TextEmbeddings te = clip.embedTexts(List.of(query));
                    ClipCli.warnTruncated(spec, List.of(query), te.truncated(), clip.model().config().text().maxPositionEmbeddings());
                    q = te.embeddings().select(0, 0);
                }
                hits = idx.search(q, topK);
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("query", image != null ? image.toString() : query);
                m.put("kind", idx.kind().name().toLowerCase(Locale.ROOT));
                List<Object> hs = new ArrayList<>();
                for (ClipIndex.Hit h : hits) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("key", h.key());
                    e.put("score", h.score());
                    hs.add(e);
                }
                m.put("hits", hs);
                ClipCli.printJson(spec, m);
            } else {
                PrintWriter out = spec.commandLine().getOut();
                for (ClipIndex.Hit h : hits) out.println(String.format(Locale.ROOT, "%.4f  %s", h.score(), h.key()));
                out.flush();
            }
            return 0;
        });
    }
}
