package dev.genai4j.models.diffusion.eval;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.data.images.FashionMnist;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape of a {@link FashionClassifier}: input channels and side, the channel width of the first
 * convolution (the next two use 2× and 4×), the size of the penultimate feature layer, and the
 * class names in label order. Stored as the folder's {@code config.json}.
 *
 * <pre>{@code
 * FashionClassifierConfig c = FashionClassifierConfig.fashionMnist(32, 128);   // 1 × 32 × 32, 10 classes
 * }</pre>
 */
public record FashionClassifierConfig(int inChannels, int imageSize, int width, int featureDim, List<String> classNames) {
    /** The {@code model_type} written to config.json. */
    public static final String MODEL_TYPE = "genai4j_fashion_classifier";

    public FashionClassifierConfig {
        if (inChannels <= 0 || width <= 0 || featureDim <= 0) {
            throw new ConfigException("FashionClassifierConfig: in_channels, width and feature_dim must be positive, got "
                    + inChannels + ", " + width + ", " + featureDim);
        }
        if (imageSize <= 0 || imageSize % 8 != 0) {
            throw new ConfigException("FashionClassifierConfig: image_size must be a positive multiple of 8 (three 2× poolings), got " + imageSize);
        }
        if (classNames == null || classNames.size() < 2) {
            throw new ConfigException("FashionClassifierConfig: need at least 2 class names, got " + classNames);
        }
        classNames = List.copyOf(classNames);
    }

    /** Grey 32 × 32 Fashion-MNIST (28 × 28 padded by 2) with its 10 class names. */
    public static FashionClassifierConfig fashionMnist(int width, int featureDim) {
        return new FashionClassifierConfig(1, 32, width, featureDim, FashionMnist.CLASS_NAMES);
    }

    public int numClasses() { return classNames.size(); }

    /** Side of the last feature map (three 2× max-poolings). */
    int finalSide() { return imageSize / 8; }

    /** Flattened size of the last feature map: 4·width channels × side². */
    int flatSize() { return 4 * width * finalSide() * finalSide(); }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", MODEL_TYPE);
        m.put("in_channels", inChannels);
        m.put("image_size", imageSize);
        m.put("width", width);
        m.put("feature_dim", featureDim);
        m.put("class_names", classNames);
        return m;
    }

    public static FashionClassifierConfig from(JsonConfig j) {
        String type = j.getString("model_type", MODEL_TYPE);
        if (!MODEL_TYPE.equals(type)) {
            throw new ConfigException(j.file() + ": model_type is '" + type + "', expected '" + MODEL_TYPE + "'");
        }
        return new FashionClassifierConfig(j.getInt("in_channels"), j.getInt("image_size"), j.getInt("width"),
                j.getInt("feature_dim"), j.getStringList("class_names"));
    }
}
