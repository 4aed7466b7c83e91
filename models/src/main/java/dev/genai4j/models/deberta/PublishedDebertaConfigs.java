package dev.genai4j.models.deberta;

import dev.genai4j.nn.Activation;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code config.json} of the published DeBERTa-v3 backbones (microsoft/deberta-v3-xsmall,
 * -small, -base, -large, mdeberta-v3-base), for checkpoints that name their backbone but do not
 * embed its config: GLiNER v2.x {@code gliner_config.json} files carry only {@code model_name},
 * and the reference fetches the rest from the Hub, which is not reachable here. All share the v3
 * recipe: relative attention, 256 log buckets, c2p + p2c with shared keys, normalized relative
 * embeddings, no absolute positions, no token types.
 *
 * <pre>{@code
 * DebertaV2Config c = PublishedDebertaConfigs.forModelName("microsoft/deberta-v3-small", 128004);
 * c.numHiddenLayers();   // 6
 * }</pre>
 */
public final class PublishedDebertaConfigs {
    private PublishedDebertaConfigs() {}

    /** hidden, layers, heads, intermediate, vocab of each published size. */
    private record Size(int hidden, int layers, int heads, int intermediate, int vocab) {}

    private static final Map<String, Size> SIZES = Map.of(
            "microsoft/deberta-v3-xsmall", new Size(384, 12, 6, 1536, 128100),
            "microsoft/deberta-v3-small", new Size(768, 6, 12, 3072, 128100),
            "microsoft/deberta-v3-base", new Size(768, 12, 12, 3072, 128100),
            "microsoft/deberta-v3-large", new Size(1024, 24, 16, 4096, 128100),
            "microsoft/mdeberta-v3-base", new Size(768, 12, 12, 3072, 251000));

    /** Whether {@code modelName} is one of the published backbones above (case-insensitive). */
    public static boolean known(String modelName) {
        return modelName != null && SIZES.containsKey(modelName.toLowerCase(Locale.ROOT));
    }

    /**
     * The published config of {@code modelName}, with {@code vocabSize} rows of word embeddings
     * (fine-tuned checkpoints add tokens, e.g. GLiNER's {@code <<ENT>>}, {@code <<SEP>>}); a
     * {@code vocabSize} ≤ 0 keeps the published one.
     *
     * @throws IllegalArgumentException when the name is not a published DeBERTa-v3 backbone
     */
    public static DebertaV2Config forModelName(String modelName, int vocabSize) {
        Size s = modelName == null ? null : SIZES.get(modelName.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("DeBERTa: '" + modelName + "' is not a published DeBERTa-v3 backbone; known: "
                    + String.join(", ", new java.util.TreeSet<>(SIZES.keySet())));
        }
        return new DebertaV2Config(vocabSize > 0 ? vocabSize : s.vocab(), s.hidden(), s.layers(), s.heads(), s.intermediate(),
                Activation.GELU, 512, 0, 1e-7f, 0, s.hidden(), s.hidden() / s.heads(), false,
                true, 512, 256, true, true, true, true);
    }
}
