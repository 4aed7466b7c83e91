package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * A lookup table of rows, as {@code torch.nn.Embedding}: weight [num, dim]. Only the rows that are
 * used are read, so a memory-mapped bf16 table is converted row by row, never copied whole.
 * With a {@code paddingIdx} that row receives no gradient (PyTorch's rule).
 *
 * <pre>{@code
 * Embedding tok = Embedding.load(w.sub("embeddings").sub("tok_embeddings"), 50368, 768, null);
 * Tensor h = tok.forward(ids);            // ids: [B, T] of token ids → [B, T, 768]
 * }</pre>
 */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int dim;
    private final Integer paddingIdx;   // normalized to [0, num), or null
    private final Parameter weight;     // [num, dim]

    /** Fresh table ~ N(0, 1) with the padding row (if any) zeroed, as PyTorch. */
    public Embedding(int numEmbeddings, int dim, Integer paddingIdx, Rng rng) {
        this(numEmbeddings, dim, paddingIdx, Randoms.normal(rng, 0f, 1f, numEmbeddings, dim));
        if (this.paddingIdx != null) {
            Tensor w = weight.value();
            for (int j = 0; j < dim; j++) w.set(0f, this.paddingIdx, j);
        }
    }

    private Embedding(int numEmbeddings, int dim, Integer paddingIdx, Tensor weight) {
        this.numEmbeddings = numEmbeddings;
        this.dim = dim;
        if (paddingIdx != null) {
            int p = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
            if (p < 0 || p >= numEmbeddings) {
                throw new IndexOutOfRangeException("Embedding: padding_idx " + paddingIdx + " outside a table of " + numEmbeddings + " rows");
            }
            this.paddingIdx = p;
        } else {
            this.paddingIdx = null;
        }
        this.weight = param("weight", weight);
    }

    /** Reads {@code weight} [num, dim]; {@code paddingIdx} may be {@code null}. */
    public static Embedding load(Weights w, int numEmbeddings, int dim, Integer paddingIdx) {
        return new Embedding(numEmbeddings, dim, paddingIdx, w.get("weight", numEmbeddings, dim));
    }

    /** ids: any shape S of integer values in [0, num) → S + [dim]. */
    public Tensor forward(Tensor ids) {
        float[] raw = ids.data();
        for (int i = 0; i < raw.length; i++) {
            float v = raw[i];
            if (v != (int) v || v < 0 || v >= numEmbeddings) {
                throw new IndexOutOfRangeException("Embedding(" + numEmbeddings + ", " + dim + "): id " + v
                        + " at flat position " + i + " is not in [0, " + numEmbeddings + ")");
            }
        }
        int[] s = ids.shape();
        int[] outShape = java.util.Arrays.copyOf(s, s.length + 1);
        outShape[s.length] = dim;
        Tensor rows = weight.value().indexSelect(0, ids.reshape(-1));          // [N, dim]
        if (paddingIdx != null && rows.requiresGrad()) {
            // same values, but padding positions take the detached branch: no gradient reaches that row
            Tensor isPad = ids.reshape(-1, 1).eq(paddingIdx);                 // [N, 1]
            rows = Tensor.where(isPad, rows.detach(), rows);
        }
        return rows.reshape(outShape);
    }

    /** Convenience: ids given as ints with their shape. */
    public Tensor forward(int[] ids, int... shape) {
        float[] f = new float[ids.length];
        for (int i = 0; i < ids.length; i++) f[i] = ids[i];
        return forward(Tensor.of(f, shape));
    }

    public int numEmbeddings() { return numEmbeddings; }

    public int dim() { return dim; }

    public Parameter weight() { return weight; }
}
