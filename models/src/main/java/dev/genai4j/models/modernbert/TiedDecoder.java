package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Embedding;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.Arrays;

/**
 * The MLM output projection whose weight is the token embedding table (HF ties
 * {@code decoder.weight} to {@code model.embeddings.tok_embeddings.weight}). It reads the
 * embedding's parameter at every call instead of holding its own, so the tie survives
 * training: one parameter, one gradient. Only {@code bias} [V] is this module's own.
 */
final class TiedDecoder extends Module {
    private final Embedding table;   // [V, H], owned by the encoder
    private final Parameter bias;    // [V], or null when decoder_bias = false

    private TiedDecoder(Embedding table, Tensor bias) {
        this.table = table;
        this.bias = bias == null ? null : param("bias", bias);
    }

    static TiedDecoder load(Weights w, Embedding table, boolean bias) {
        return new TiedDecoder(table, bias ? w.get("bias", table.numEmbeddings()) : null);
    }

    /** x: [..., H] → logits [..., V]. */
    Tensor forward(Tensor x) {
        int[] s = x.shape();
        int h = table.dim(), v = table.numEmbeddings();
        if (s.length == 0 || s[s.length - 1] != h) throw ShapeException.of("ModernBERT decoder", "input [..., " + h + "]", s);
        int[] outShape = Arrays.copyOf(s, s.length);
        outShape[s.length - 1] = v;
        Tensor y = x.reshape(-1, h).matmul(table.weight().value().mT()).reshape(outShape);   // [N, H] · [H, V]
        return bias == null ? y : y.add(bias.value());
    }
}
