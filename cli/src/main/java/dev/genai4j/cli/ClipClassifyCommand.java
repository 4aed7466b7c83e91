package dev.genai4j.cli;

import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.models.clip.ZeroShotClassifier;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genai4j clip classify}: zero-shot classification with prompt ensembles ({@link ZeroShotClassifier}). */
@Command(name = "classify",
        mixinStandardHelpOptions = true,
        description = {
                "Zero-shot image classification by label names.",
                "Each label fills every --template (default: 8 of OpenAI's ImageNet prompts);",
                "the prompts' normalized embeddings are averaged per label and renormalized.",
                "Probabilities are softmax(exp(logit_scale) * cosine) over the labels.",
                "Prints per image its path, then 'probability label' lines, best first.",
                "",
                "Example:  genai4j clip classify --model models/clip --labels \"cat,dog\" img.png"
        })
final class ClipClassifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|hf:ID", description = "CLIP model folder"
            + "; or a hub model hf:org/name[@rev] (see genai4j models download)")
    Path model;

    @Mixin
    HubOptions hub;

    @Option(names = "--labels", required = true, paramLabel = "L1,L2", description = "class names, comma-separated")
    String labels;

    @Option(names = "--template", paramLabel = "T", description = "prompt template with {} for the label; repeat for an ensemble")
    List<String> templates;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "print only the K most probable labels (0: all)")
    int topK;

    @Option(names = "--json", description = "print a JSON list of {image, predictions: [{label, probability, logit}]}")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG/JPEG/GIF/BMP files")
    List<Path> images;

    @Override
    public Integer call() {
        model = ModelLocator.locate(model, hub);   // hf:org/name[@rev] -> its snapshot folder in the hub cache
        return ClipCli.run(spec, () -> {
            List<String> names = Arrays.stream(labels.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (names.isEmpty()) throw new IllegalArgumentException("--labels names no classes; give e.g. --labels \"cat,dog\"");
            try (ClipPipeline clip = ClipPipeline.load(model)) {
                ZeroShotClassifier zs = ZeroShotClassifier.build(clip, names,
                        templates == null || templates.isEmpty() ? ZeroShotClassifier.DEFAULT_TEMPLATES : templates);
                Tensor emb = clip.embedImageFiles(images);
                List<List<ZeroShotClassifier.Prediction>> all = zs.classify(emb);
                if (json) printJson(all); else printPlain(all);
            }
            return 0;
        });
    }

    private List<ZeroShotClassifier.Prediction> top(List<ZeroShotClassifier.Prediction> p) {
        return topK > 0 && topK < p.size() ? p.subList(0, topK) : p;
    }

    private void printPlain(List<List<ZeroShotClassifier.Prediction>> all) {
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < images.size(); i++) {
            out.println(images.get(i));
            for (ZeroShotClassifier.Prediction p : top(all.get(i))) {
                out.println(String.format(Locale.ROOT, "  %.4f  %s", p.probability(), p.label()));
            }
        }
        out.flush();
    }

    private void printJson(List<List<ZeroShotClassifier.Prediction>> all) {
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            List<Object> preds = new ArrayList<>();
            for (ZeroShotClassifier.Prediction p : top(all.get(i))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", p.label());
                m.put("probability", p.probability());
                m.put("logit", p.logit());
                preds.add(m);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("image", images.get(i).toString());
            r.put("predictions", preds);
            rows.add(r);
        }
        ClipCli.printJson(spec, rows);
    }
}
