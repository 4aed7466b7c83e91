package dev.genai4j.models.clip;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Embeddings, zero-shot with prompt ensembles, and retrieval on the tiny fixture model. */
class ClipTasksTest {
    @TempDir static Path dir;
    static ClipPipeline clip;
    static Path images;

    @BeforeAll
    static void load() throws IOException {
        Path model = Files.createDirectory(dir.resolve("model"));
        clip = ClipPipeline.load(ClipTestModel.folder(model));
        images = Files.createDirectories(dir.resolve("images/sub"));
        ClipTestModel.noisePng(dir.resolve("images/a.png"), 40, 30, 1);
        ClipTestModel.noisePng(dir.resolve("images/b.png"), 32, 32, 2);
        ClipTestModel.noisePng(images.resolve("c.png"), 20, 50, 3);
        Files.writeString(dir.resolve("images/notes.txt"), "not an image");
    }

    @AfterAll
    static void close() { clip.close(); }

    @Test
    void textEmbeddingsAreNormalizedModelFeatures() {
        Tensor e = clip.embedTexts(List.of("a photo of a cat", "a red car")).embeddings();
        assertArrayEquals(new int[]{2, 32}, e.shape());
        for (int i = 0; i < 2; i++) {
            float n = 0;
            for (int j = 0; j < 32; j++) n += e.get(i, j) * e.get(i, j);
            assertEquals(1f, n, 1e-5f);
        }
        // "a photo of a cat" = <s> a photo of a cat </s> = 1 4 5 6 4 8 3
        try (var g = NoGrad.enter()) {
            Tensor f = clip.model().textFeatures(Tensor.of(new float[]{1, 4, 5, 6, 4, 8, 3}, 1, 7), null);
            float[] want = ClipModel.l2Normalize(f).toFloatArray();
            for (int j = 0; j < 32; j++) assertEquals(want[j], e.get(0, j), 1e-5f);
        }
    }

    @Test
    void longTextIsTruncatedKeepingEndOfTextAndReported() {
        String longText = "a photo of a cat on the beach and a dog on the beach and a bird on a boat";   // 18 words
        ClipPipeline.TextEmbeddings e = clip.embedTexts(List.of("a cat", longText));
        assertEquals(List.of(1), e.truncated());
        try (var g = NoGrad.enter()) {
            // the first 15 tokens and </s>: <s> a photo of a cat on the beach and a dog on the beach </s>
            float[] ids = {1, 4, 5, 6, 4, 8, 22, 7, 23, 33, 4, 9, 22, 7, 23, 3};
            float[] want = ClipModel.l2Normalize(clip.model().textFeatures(Tensor.of(ids, 1, 16), null)).toFloatArray();
            for (int j = 0; j < 32; j++) assertEquals(want[j], e.embeddings().get(1, j), 1e-5f);
        }
    }

    @Test
    void zeroShotAveragesNormalizedTemplateEmbeddingsAndRenormalizes() throws IOException {
        List<String> labels = List.of("cat", "dog", "car");
        List<String> templates = List.of("a photo of a {}.", "a drawing of the {}.");
        ZeroShotClassifier zs = ZeroShotClassifier.build(clip, labels, templates);
        Tensor dogPrompts = clip.embedTexts(List.of("a photo of a dog.", "a drawing of the dog.")).embeddings();
        float[] mean = new float[32];
        float norm = 0;
        for (int j = 0; j < 32; j++) {
            mean[j] = (dogPrompts.get(0, j) + dogPrompts.get(1, j)) / 2;
            norm += mean[j] * mean[j];
        }
        for (int j = 0; j < 32; j++) assertEquals(mean[j] / (float) Math.sqrt(norm), zs.classEmbeddings().get(1, j), 1e-5f);

        Tensor img = clip.embedImageFiles(List.of(dir.resolve("images/a.png")));
        List<ZeroShotClassifier.Prediction> preds = zs.classify(img).getFirst();
        assertEquals(3, preds.size());
        float sum = 0;
        for (ZeroShotClassifier.Prediction p : preds) {
            sum += p.probability();
            int c = labels.indexOf(p.label());
            float cos = 0;
            for (int j = 0; j < 32; j++) cos += img.get(0, j) * zs.classEmbeddings().get(c, j);
            assertEquals(clip.logitScale() * cos, p.logit(), 1e-4f);
        }
        assertEquals(1f, sum, 1e-5f);
        assertTrue(preds.get(0).probability() >= preds.get(1).probability() && preds.get(1).probability() >= preds.get(2).probability());

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.build(clip, List.of(), templates));
        assertTrue(none.getMessage().contains("at least one label"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.build(clip, labels, List.of("no placeholder")));
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.build(clip, List.of("cat", " cat"), templates));
    }

    @Test
    void imageIndexRoundTripsAndRanksAnImageFirstForItself() {
        ClipIndex idx = ClipIndex.ofImageFolder(clip, dir.resolve("images"));
        assertEquals(3, idx.keys().size(), "notes.txt skipped, sub/ included");
        assertTrue(idx.keys().get(2).endsWith("c.png"), idx.keys().toString());
        Path saved = dir.resolve("idx");
        idx.save(saved);
        ClipIndex back = ClipIndex.load(saved);
        assertEquals(ClipIndex.Kind.IMAGE, back.kind());
        assertEquals(idx.keys(), back.keys());
        assertArrayEquals(idx.embeddings().toFloatArray(), back.embeddings().toFloatArray(), 0f);
        Tensor q = clip.embedImageFiles(List.of(dir.resolve("images/b.png")));
        List<ClipIndex.Hit> hits = back.search(q.select(0, 0), 2);
        assertEquals(2, hits.size());
        assertTrue(hits.get(0).key().endsWith("b.png"), hits.toString());
        assertEquals(1f, hits.get(0).score(), 1e-5f);
        // text → image: the scores are the cosines with the text embedding
        Tensor t = clip.embedTexts(List.of("a photo of a dog")).embeddings().select(0, 0);
        List<ClipIndex.Hit> th = back.search(t, 3);
        int row = back.keys().indexOf(th.get(0).key());
        float cos = 0;
        for (int j = 0; j < 32; j++) cos += back.embeddings().get(row, j) * t.get(j);
        assertEquals(cos, th.get(0).score(), 1e-5f);
        assertTrue(th.get(0).score() >= th.get(1).score() && th.get(1).score() >= th.get(2).score());
    }

    @Test
    void unreadableImagesAreSkippedAndListedOrFailTheStrictBuild() throws IOException {
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        ClipTestModel.noisePng(mixed.resolve("good.png"), 33, 21, 9);
        Files.writeString(mixed.resolve("broken.jpg"), "not a jpeg at all");
        ClipIndex.Built b = ClipIndex.ofImageFolderSkippingBad(clip, mixed);
        assertEquals(1, b.index().keys().size());
        assertTrue(b.index().keys().getFirst().endsWith("good.png"));
        assertEquals(1, b.skipped().size());
        assertTrue(b.skipped().getFirst().contains("broken.jpg"), b.skipped().toString());
        // same embedding as the strict path for the good file
        Tensor one = clip.embedImageFiles(List.of(mixed.resolve("good.png")));
        assertArrayEquals(one.toFloatArray(), b.index().embeddings().toFloatArray(), 1e-6f);
        ImageReadException e = assertThrows(ImageReadException.class, () -> ClipIndex.ofImageFolder(clip, mixed));
        assertTrue(e.getMessage().contains("broken.jpg"), e.getMessage());
    }

    @Test
    void textIndexServesImageToTextQueries() {
        List<String> captions = List.of("a red car", "a small bird", "a green tree");
        ClipIndex idx = ClipIndex.ofTexts(clip, captions);
        assertEquals(ClipIndex.Kind.TEXT, idx.kind());
        Tensor img = clip.embedImageFiles(List.of(dir.resolve("images/a.png"))).select(0, 0);
        List<ClipIndex.Hit> hits = idx.search(img, 3);
        assertEquals(3, hits.size());
        assertEquals(3, hits.stream().map(ClipIndex.Hit::key).distinct().count());
        assertTrue(captions.containsAll(hits.stream().map(ClipIndex.Hit::key).toList()));
        assertThrows(RuntimeException.class, () -> idx.search(Tensor.zeros(5), 1));
    }
}
