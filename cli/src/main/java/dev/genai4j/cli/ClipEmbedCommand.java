package dev.genai4j.cli;

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
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genai4j clip embed}: normalized CLIP embeddings of images and texts in one space. */
@Command(name = "embed",
        mixinStandardHelpOptions = true,
        description = {
                "L2-normalized CLIP embeddings of images and texts.",
                "One line per --image, then one per TEXT; texts longer than the model's",
                "77 tokens are truncated with a warning. Dot products are cosines.",
                "",
                "Example:  genai4j clip embed --model models/clip --image cat.png \"a photo of a cat\""
        })
final class ClipEmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf:ID", description = "CLIP model folder"
            + "; or a hub model hf:org/name[@rev] (see genai4j models download)")
    Path model;

    @Mixin
    HubOptions hub;

    @Option(names = "--image", paramLabel = "FILE", description = "an image to embed; repeatable")
    List<Path> images;

    @Option(names = "--json", description = "print {\"images\": [{path, embedding}], \"texts\": [{text, embedding, truncated}]}")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "texts to embed")
    List<String> texts;

    @Override
    public Integer call() {
        model = ModelLocator.locate(model, hub);   // hf:org/name[@rev] -> its snapshot folder in the hub cache
        return ClipCli.run(spec, () -> {
            List<Path> imgs = images == null ? List.of() : images;
            List<String> txts = texts == null ? List.of() : texts;
            if (imgs.isEmpty() && txts.isEmpty()) throw new IllegalArgumentException("nothing to embed: give --image FILE and/or TEXT arguments");
            try (ClipPipeline clip = ClipPipeline.load(model)) {
                Tensor ie = imgs.isEmpty() ? null : clip.embedImageFiles(imgs);
                ClipPipeline.TextEmbeddings te = txts.isEmpty() ? null : clip.embedTexts(txts);
                if (te != null) ClipCli.warnTruncated(spec, txts, te.truncated(), clip.model().config().text().maxPositionEmbeddings());
                if (json) {
                    Map<String, Object> root = new LinkedHashMap<>();
                    List<Object> ir = new ArrayList<>(), tr = new ArrayList<>();
                    for (int i = 0; i < imgs.size(); i++) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("path", imgs.get(i).toString());
                        m.put("embedding", ClipCli.row(ie, i));
                        ir.add(m);
                    }
                    for (int i = 0; i < txts.size(); i++) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("text", txts.get(i));
                        m.put("embedding", ClipCli.row(te.embeddings(), i));
                        m.put("truncated", te.truncated().contains(i));
                        tr.add(m);
                    }
                    root.put("images", ir);
                    root.put("texts", tr);
                    ClipCli.printJson(spec, root);
                } else {
                    PrintWriter out = spec.commandLine().getOut();
                    for (int i = 0; i < imgs.size(); i++) out.println(ClipCli.vector(ClipCli.row(ie, i)));
                    for (int i = 0; i < txts.size(); i++) out.println(ClipCli.vector(ClipCli.row(te.embeddings(), i)));
                    out.flush();
                }
            }
            return 0;
        });
    }
}
