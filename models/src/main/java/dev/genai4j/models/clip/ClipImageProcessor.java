package dev.genai4j.models.clip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HF {@code CLIPImageProcessor} (slow, PIL path) exactly: RGB conversion, resize so the shortest
 * edge is {@code size.shortest_edge} (long edge {@code int(size·long/short)}) with PIL's 8-bit
 * filter ({@link PilResample}), center crop at {@code ((H − h) // 2, (W − w) // 2)} with zero
 * padding when the image is smaller than the crop, rescale by {@code rescale_factor} in double
 * then to float, normalize {@code (x − mean) / std} in float, channels first.
 *
 * <pre>{@code
 * ClipImageProcessor p = ClipImageProcessor.load(Path.of("models/clip-vit-b32"));   // preprocessor_config.json
 * Tensor pixels = p.preprocess(List.of(ImageFiles.read(Path.of("cat.png"))));        // [1, 3, 224, 224]
 * }</pre>
 */
public record ClipImageProcessor(boolean doResize, int shortestEdge, PilResample.Filter resample,
                                 boolean doCenterCrop, int cropHeight, int cropWidth,
                                 boolean doRescale, double rescaleFactor,
                                 boolean doNormalize, float[] mean, float[] std) {

    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    public ClipImageProcessor {
        if (doResize && shortestEdge <= 0) throw new ConfigException("CLIPImageProcessor: size.shortest_edge must be positive, got " + shortestEdge);
        if (doCenterCrop && (cropHeight <= 0 || cropWidth <= 0)) {
            throw new ConfigException("CLIPImageProcessor: crop_size must be positive, got " + cropHeight + " x " + cropWidth);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new ConfigException("CLIPImageProcessor: image_mean and image_std need 3 values (R, G, B), got " + mean.length + " and " + std.length);
        }
    }

    /** OpenAI CLIP's preprocessing: shortest edge 224 bicubic, center crop 224, CLIP mean/std. */
    public static ClipImageProcessor defaults(int imageSize) {
        return new ClipImageProcessor(true, imageSize, PilResample.Filter.BICUBIC, true, imageSize, imageSize,
                true, 1 / 255.0, true, CLIP_MEAN.clone(), CLIP_STD.clone());
    }

    /** {@code preprocessor_config.json} of {@code folder}, or {@link #defaults} for {@code imageSize} when there is none. */
    public static ClipImageProcessor load(Path folder, int imageSize) {
        Path f = folder.resolve("preprocessor_config.json");
        return Files.isRegularFile(f) ? from(JsonConfig.read(f)) : defaults(imageSize);
    }

    /** Parses an HF {@code preprocessor_config.json} (CLIPImageProcessor keys; absent keys take its defaults). */
    public static ClipImageProcessor from(JsonConfig j) {
        int shortest = 224, cropH = 224, cropW = 224;
        JsonNode t = j.tree();
        JsonNode size = t.get("size");
        if (size != null && size.isInt()) shortest = size.asInt();
        else if (size != null && size.has("shortest_edge")) shortest = size.get("shortest_edge").asInt();
        else if (size != null) {
            throw new ConfigException(j.file() + ": size " + size + " is not supported; CLIPImageProcessor resizes by {\"shortest_edge\": N}");
        }
        JsonNode crop = t.get("crop_size");
        if (crop != null && crop.isInt()) cropH = cropW = crop.asInt();
        else if (crop != null) {
            cropH = crop.path("height").asInt(224);
            cropW = crop.path("width").asInt(224);
        }
        return new ClipImageProcessor(j.getBoolean("do_resize", true), shortest, PilResample.Filter.fromPil(j.getInt("resample", 3)),
                j.getBoolean("do_center_crop", true), cropH, cropW, j.getBoolean("do_rescale", true),
                j.getDouble("rescale_factor", 1 / 255.0), j.getBoolean("do_normalize", true),
                floats(j, "image_mean", CLIP_MEAN), floats(j, "image_std", CLIP_STD));
    }

    private static float[] floats(JsonConfig j, String key, float[] fallback) {
        JsonNode n = j.tree().get(key);
        if (n == null) return fallback.clone();
        if (n.isNumber()) return new float[]{n.floatValue(), n.floatValue(), n.floatValue()};
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) n.get(i).asDouble();   // numpy: float64 list → float32 array
        return out;
    }

    /** Images → pixel values [N, 3, h, w]; all images end at the crop size. */
    public Tensor preprocess(List<RgbImage> images) {
        if (images.isEmpty()) throw new ConfigException("CLIPImageProcessor.preprocess: no images");
        float[][] each = new float[images.size()][];
        int h = -1, w = -1;
        for (int i = 0; i < each.length; i++) {
            RgbImage img = resizeAndCrop(images.get(i));
            if (i > 0 && (img.height() != h || img.width() != w)) {
                throw new ConfigException("CLIPImageProcessor.preprocess: image " + i + " ends at " + img.width() + " x " + img.height()
                        + ", image 0 at " + w + " x " + h + "; enable do_center_crop to batch images of different sizes");
            }
            h = img.height();
            w = img.width();
            each[i] = toChannelsFirst(img);
        }
        float[] all = new float[each.length * 3 * h * w];
        for (int i = 0; i < each.length; i++) System.arraycopy(each[i], 0, all, i * 3 * h * w, 3 * h * w);
        return Tensor.of(all, each.length, 3, h, w);
    }

    /** The uint8 image after RGB conversion, resize and crop (HF's array before {@code rescale}). */
    public RgbImage resizeAndCrop(RgbImage img) {
        if (doResize) {
            int[] hw = resizedSize(img.height(), img.width());
            img = PilResample.resize(img, hw[1], hw[0], resample);
        }
        return doCenterCrop ? centerCrop(img, cropHeight, cropWidth) : img;
    }

    /** HF {@code get_resize_output_image_size(default_to_square=False)}: [height, width]. */
    int[] resizedSize(int height, int width) {
        int shortSide = Math.min(height, width), longSide = Math.max(height, width);
        int newLong = (int) ((double) shortestEdge * longSide / shortSide);   // Python: int(size * long / short)
        return width <= height ? new int[]{newLong, shortestEdge} : new int[]{shortestEdge, newLong};
    }

    /** HF {@code image_transforms.center_crop}: floor-divided offsets, zero padding around a too-small image. */
    static RgbImage centerCrop(RgbImage img, int cropH, int cropW) {
        int h = img.height(), w = img.width();
        int top = Math.floorDiv(h - cropH, 2), left = Math.floorDiv(w - cropW, 2);
        int padTop = 0, padLeft = 0;
        if (top < 0 || left < 0 || top + cropH > h || left + cropW > w) {
            // HF pads into max(crop, size) with ceil((new − old) / 2) in front, then slices
            int newH = Math.max(cropH, h), newW = Math.max(cropW, w);
            padTop = (newH - h + 1) / 2;
            padLeft = (newW - w + 1) / 2;
            top += padTop;
            left += padLeft;
        }
        byte[] out = new byte[cropH * cropW * 3];
        byte[] src = img.rgb();
        for (int y = 0; y < cropH; y++) {
            int sy = top + y - padTop;
            if (sy < 0 || sy >= h) continue;
            for (int x = 0; x < cropW; x++) {
                int sx = left + x - padLeft;
                if (sx < 0 || sx >= w) continue;
                System.arraycopy(src, (sy * w + sx) * 3, out, (y * cropW + x) * 3, 3);
            }
        }
        return new RgbImage(cropW, cropH, out);
    }

    /** rescale (float64 product, then float32) and normalize (float32) into [3, h, w]. */
    private float[] toChannelsFirst(RgbImage img) {
        int h = img.height(), w = img.width(), plane = h * w;
        float[] out = new float[3 * plane];
        byte[] src = img.rgb();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                int u = src[i * 3 + c] & 0xFF;
                float v = doRescale ? (float) (u * rescaleFactor) : u;
                if (doNormalize) v = (v - mean[c]) / std[c];
                out[c * plane + i] = v;
            }
        }
        return out;
    }
}
