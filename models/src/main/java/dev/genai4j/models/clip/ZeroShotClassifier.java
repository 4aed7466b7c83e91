package dev.genai4j.models.clip;

import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Zero-shot image classification with prompt ensembles (arXiv 2103.00020 §3.1.4): each class's
 * text embedding is the renormalized mean of its normalized template embeddings ("a photo of a
 * {}." …); an image's logits are {@code exp(logit_scale) · cosine} against every class, softmaxed
 * into probabilities.
 *
 * <pre>{@code
 * var zs = ZeroShotClassifier.build(clip, List.of("cat", "dog"), ZeroShotClassifier.DEFAULT_TEMPLATES);
 * List<ZeroShotClassifier.Prediction> top = zs.classify(clip.embedImageFiles(List.of(file))).getFirst();
 * }</pre>
 */
public final class ZeroShotClassifier {
    /** A handful of OpenAI's ImageNet prompt templates; {@code {}} is replaced by the class name. */
    public static final List<String> DEFAULT_TEMPLATES = List.of(
            "a photo of a {}.", "a bad photo of a {}.", "a photo of the large {}.", "a photo of the small {}.",
            "a cropped photo of a {}.", "a close-up photo of a {}.", "a bright photo of a {}.", "a drawing of a {}.");

    /** One class for one image: softmax probability over the classes and the scaled cosine logit. */
    public record Prediction(String label, float probability, float logit) {}

    private final List<String> labels;
    private final Tensor classEmbeddings;   // [C, P], unit rows
    private final float scale;

    public ZeroShotClassifier(List<String> labels, Tensor classEmbeddings, float scale) {
        if (classEmbeddings.dim() != 2 || classEmbeddings.size(0) != labels.size()) {
            throw new IllegalArgumentException("ZeroShotClassifier: class embeddings must be [" + labels.size() + ", P], got "
                    + java.util.Arrays.toString(classEmbeddings.shape()));
        }
        this.labels = List.copyOf(labels);
        this.classEmbeddings = classEmbeddings;
        this.scale = scale;
    }

    /** Embeds every (template, label) prompt and averages per label. */
    public static ZeroShotClassifier build(ClipPipeline clip, List<String> labels, List<String> templates) {
        validate(labels, templates);
        List<String> prompts = new ArrayList<>();
        for (String label : labels) for (String t : templates) prompts.add(t.replace("{}", label.strip()));
        Tensor all = clip.embedTexts(prompts).embeddings();                            // [C·K, P], unit rows
        int c = labels.size(), k = templates.size(), p = all.size(1);
        Tensor mean = all.reshape(c, k, p).mean(1, false);                             // [C, P]
        return new ZeroShotClassifier(labels, ClipModel.l2Normalize(mean).contiguous(), clip.logitScale());
    }

    static void validate(List<String> labels, List<String> templates) {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("zero-shot classification needs at least one label, e.g. --labels \"cat,dog\"");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null || labels.get(i).isBlank()) throw new IllegalArgumentException("zero-shot label " + i + " is empty");
        }
        if (new LinkedHashSet<>(labels.stream().map(String::strip).toList()).size() != labels.size()) {
            throw new IllegalArgumentException("zero-shot labels repeat: " + labels);
        }
        if (templates == null || templates.isEmpty()) throw new IllegalArgumentException("zero-shot classification needs at least one template");
        for (String t : templates) {
            if (!t.contains("{}")) throw new IllegalArgumentException("template \"" + t + "\" has no {} where the label goes");
        }
    }

    public List<String> labels() { return labels; }

    /** The class embeddings [C, P] (unit rows). */
    public Tensor classEmbeddings() { return classEmbeddings; }

    /** logits [N, C] = scale · imageEmbeds [N, P] · classesᵀ. */
    public Tensor logits(Tensor imageEmbeds) {
        return imageEmbeds.matmul(classEmbeddings.mT()).mul(scale);
    }

    /** Per image, every class with its probability, most probable first. */
    public List<List<Prediction>> classify(Tensor imageEmbeds) {
        Tensor logits = logits(imageEmbeds);
        float[] l = logits.toFloatArray(), pr = logits.softmax(-1).toFloatArray();
        int n = logits.size(0), c = labels.size();
        List<List<Prediction>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Prediction> row = new ArrayList<>();
            for (int j = 0; j < c; j++) row.add(new Prediction(labels.get(j), pr[i * c + j], l[i * c + j]));
            row.sort(Comparator.comparingDouble((Prediction p) -> p.probability()).reversed());
            out.add(row);
        }
        return out;
    }
}
