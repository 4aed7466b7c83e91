package dev.genai4j.models.diffusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.PaletteColour;
import dev.genai4j.data.shapes.Primitive;
import dev.genai4j.models.clip.ClipImageProcessor;
import dev.genai4j.models.clip.ImageFiles;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The renders of a {@code genai4j pointe data} set as text-to-image training data: every rendered
 * view of each scene ({@code --views V} gives V examples a scene, one caption), resized (shortest edge, bicubic, as Point-E's {@code PatchGrid} does) and
 * centre-cropped to {@code size}, in [−1, 1], prompted by the scene's own caption ("a small red
 * cone on top of a blue cube"). The label is the first object's primitive, used only to pick the
 * rows of sample grids. The last {@code holdOut} scenes are left out (the Point-E trainer holds out
 * the same ones), so evaluation captions' renders are never trained on.
 *
 * <pre>{@code
 * ShapeRenderImages d = ShapeRenderImages.load(Path.of("data/shapes"), 32, 100);
 * Tensor x = d.images(new int[]{0, 1});   // [2, 3, 32, 32]
 * String p = d.trainingPrompt(0, rng);    // that scene's caption
 * }</pre>
 */
public final class ShapeRenderImages implements ClassImages {
    /** Scenes kept out by default: the Point-E trainer's default hold-out. */
    public static final int DEFAULT_HOLD_OUT = 100;

    private static final ClassPrompts SHAPES = new ClassPrompts(java.util.Arrays.stream(Primitive.values()).map(Primitive::word).toList());

    private final int size;
    private final float[] pixels;          // [N, 3, size, size]
    private final int[] labels;
    private final List<String> captions;

    private ShapeRenderImages(int size, float[] pixels, int[] labels, List<String> captions) {
        this.size = size;
        this.pixels = pixels;
        this.labels = labels;
        this.captions = captions;
    }

    /** Reads {@code dir/captions.jsonl} and every render of every scene but the last {@code holdOut}; one example per render. */
    public static ShapeRenderImages load(Path dir, int size, int holdOut) {
        Path index = dir.resolve("captions.jsonl");
        if (!Files.isRegularFile(index)) {
            throw new DataException("shape renders: " + index + " not found; make a data set with: genai4j pointe data -n 2000 -o " + dir);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(index).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new DataException("shape renders: cannot read " + index + ": " + e.getMessage(), e);
        }
        int n = lines.size() - holdOut;
        if (holdOut < 0 || n < 1) throw new DataException("shape renders: " + lines.size() + " scenes in " + index + " leave none after holding out " + holdOut);
        ClipImageProcessor resize = ClipImageProcessor.defaults(size);
        ObjectMapper json = new ObjectMapper();
        int plane = 3 * size * size;
        float[] px = new float[0];
        int[] labels = new int[n];
        List<String> captions = new ArrayList<>(n);
        int views = 0;
        for (int i = 0; i < n; i++) {
            JsonNode o;
            try {
                o = json.readTree(lines.get(i));
            } catch (IOException e) {
                throw new DataException("shape renders: " + index + " scene " + (i + 1) + " is not JSON: " + e.getMessage(), e);
            }
            String caption = o.path("caption").asText("");
            JsonNode imgs = o.path("images");
            if (caption.isBlank() || !imgs.isArray() || imgs.isEmpty()) {
                throw new DataException("shape renders: " + index + " scene " + (i + 1) + " needs a \"caption\" and at least one of \"images\"");
            }
            String shape = o.path("objects").path(0).path("shape").asText("");
            int label = Math.max(0, SHAPES.classNames().indexOf(shape));
            for (JsonNode file : imgs) {
                RgbImage img = ImageFiles.read(dir.resolve(file.asText()));
                if (img.width() != size || img.height() != size) img = resize.resizeAndCrop(img);
                if (views == labels.length) labels = java.util.Arrays.copyOf(labels, 2 * labels.length);
                if ((long) (views + 1) * plane > px.length) px = java.util.Arrays.copyOf(px, Math.toIntExact(Math.max((long) (views + 1) * plane, 2L * px.length)));
                int base = views * plane;
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) px[base + (c * size + y) * size + x] = img.get(x, y, c) / 127.5f - 1f;
                    }
                }
                labels[views++] = label;
                captions.add(caption);
            }
        }
        px = java.util.Arrays.copyOf(px, views * plane);
        labels = java.util.Arrays.copyOf(labels, views);
        return new ShapeRenderImages(size, px, labels, List.copyOf(captions));
    }

    @Override public int size() { return labels.length; }

    @Override public int channels() { return 3; }

    @Override public int label(int i) { return labels[i]; }

    public String caption(int i) { return captions.get(i); }

    @Override
    public Tensor images(int[] idx) {
        int plane = 3 * size * size;
        float[] out = new float[idx.length * plane];
        for (int k = 0; k < idx.length; k++) System.arraycopy(pixels, idx[k] * plane, out, k * plane, plane);
        return Tensor.of(out, idx.length, 3, size, size);
    }

    @Override public ClassPrompts prompts() { return SHAPES; }

    /** The scene's own caption (no templates: the pipeline is prompted with captions of the same form). */
    @Override public String trainingPrompt(int i, Rng rng) { return captions.get(i); }

    /** Row {@code c} of a sample grid: that primitive in a colour that changes from row to row ("a red sphere", "an orange cube" …). */
    @Override
    public String samplePrompt(int c) {
        String colour = PaletteColour.values()[c % PaletteColour.values().length].word();
        String article = "aeiou".indexOf(colour.charAt(0)) >= 0 ? "an " : "a ";
        return article + colour + " " + SHAPES.classNames().get(c).toLowerCase(Locale.ROOT);
    }

    /** {@link UNetConfig#shapeRenders()}. */
    @Override public UNetConfig unetConfig() { return UNetConfig.shapeRenders(); }
}
