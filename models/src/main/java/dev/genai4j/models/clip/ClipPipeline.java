package dev.genai4j.models.clip;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.HfTokenizer;
import dev.genai4j.text.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CLIP model folder ready for use: the model, its image processor
 * ({@code preprocessor_config.json}, else OpenAI's preprocessing at the model's image size) and
 * its tokenizer ({@code tokenizer.json}). Embeddings come back L2-normalized, so a dot product is
 * the cosine similarity.
 *
 * <pre>{@code
 * try (ClipPipeline clip = ClipPipeline.load(Path.of("models/clip-vit-b32"))) {
 *     Tensor img = clip.embedImageFiles(List.of(Path.of("cat.png")));          // [1, 512]
 *     Tensor txt = clip.embedTexts(List.of("a photo of a cat")).embeddings();  // [1, 512]
 *     float cosine = img.matmul(txt.mT()).item();
 * }
 * }</pre>
 */
public final class ClipPipeline implements AutoCloseable {
    /** Images per forward pass: bounds activation memory (a ViT-B/32 batch of 16 needs ~60 MB). */
    static final int IMAGE_BATCH = 16;
    static final int TEXT_BATCH = 64;

    /** Normalized text embeddings [M, P] and the indices of texts that were truncated to the model's length. */
    public record TextEmbeddings(Tensor embeddings, List<Integer> truncated) {}

    private final ClipModel model;
    private final ClipImageProcessor processor;
    private final Tokenizer tokenizer;   // null when the folder has no tokenizer.json
    private final Path folder;

    public ClipPipeline(ClipModel model, ClipImageProcessor processor, Tokenizer tokenizer) {
        this(model, processor, tokenizer, null);
    }

    private ClipPipeline(ClipModel model, ClipImageProcessor processor, Tokenizer tokenizer, Path folder) {
        this.model = model;
        this.processor = processor;
        this.tokenizer = tokenizer;
        this.folder = folder;
    }

    /** Loads model, processor and (when present) tokenizer from an HF CLIP folder. */
    public static ClipPipeline load(Path folder) {
        ClipModel m = ClipModel.load(folder);
        try {
            ClipImageProcessor p = ClipImageProcessor.load(folder, m.config().vision().imageSize());
            Tokenizer t = Files.isRegularFile(folder.resolve("tokenizer.json")) ? HfTokenizer.load(folder) : null;
            return new ClipPipeline(m, p, t, folder);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public ClipModel model() { return model; }

    public ClipImageProcessor processor() { return processor; }

    /** exp(logit_scale): the multiplier that turns cosines into logits. */
    public float logitScale() { return model.logitScale(); }

    /** Normalized image embeddings [N, P]. */
    public Tensor embedImages(List<RgbImage> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("CLIP: no images to embed");
        List<Tensor> parts = new ArrayList<>();
        try (var g = NoGrad.enter()) {
            for (int i = 0; i < images.size(); i += IMAGE_BATCH) {
                Tensor pixels = processor.preprocess(images.subList(i, Math.min(images.size(), i + IMAGE_BATCH)));
                parts.add(ClipModel.l2Normalize(model.imageFeatures(pixels)).contiguous());
            }
        }
        return parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0);
    }

    /**
     * Reads (see {@link ImageFiles}) and embeds image files: [N, P]. Files are decoded one batch
     * at a time, so a large folder never sits decoded in memory all at once.
     */
    public Tensor embedImageFiles(List<Path> files) {
        if (files.isEmpty()) throw new IllegalArgumentException("CLIP: no images to embed");
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < files.size(); i += IMAGE_BATCH) {
            List<RgbImage> images = new ArrayList<>();
            for (Path f : files.subList(i, Math.min(files.size(), i + IMAGE_BATCH))) images.add(ImageFiles.read(f));
            parts.add(embedImages(images));
        }
        return parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0);
    }

    /** Normalized text embeddings [M, P]; texts over the model's length are truncated (and listed). */
    public TextEmbeddings embedTexts(List<String> texts) {
        if (tokenizer == null) {
            throw new CheckpointException("CLIP: " + (folder == null ? "this pipeline" : folder.toString())
                    + " has no tokenizer.json; text embeddings need the model's tokenizer");
        }
        List<Tensor> parts = new ArrayList<>();
        List<Integer> truncated = new ArrayList<>();
        try (var g = NoGrad.enter()) {
            for (int i = 0; i < texts.size(); i += TEXT_BATCH) {
                ClipTextBatch b = ClipTextBatch.encode(tokenizer, texts.subList(i, Math.min(texts.size(), i + TEXT_BATCH)),
                        model.config().text().maxPositionEmbeddings());
                for (int k : b.truncated()) truncated.add(i + k);
                parts.add(ClipModel.l2Normalize(model.textFeatures(b.ids(), b.mask())).contiguous());
            }
        }
        if (parts.isEmpty()) throw new IllegalArgumentException("CLIP: no texts to embed");
        return new TextEmbeddings(parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0), List.copyOf(truncated));
    }

    @Override
    public void close() {
        try {
            if (tokenizer != null) tokenizer.close();
        } finally {
            model.close();
        }
    }
}
