package dev.genai4j.models.gliner;

import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.kernels.VectorSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-span part of {@link SpanMarkerV0#scores}: for span n of text b,
 * {@code score[b, n, c] = Σ_j ReLU(fromStart[start_n, j] + fromEnd[end_n, j]) · label[b, c, j] + bias[b, c]}.
 * Done span by span in a scratch row, so the [B·S, 4D] hidden states are never stored (at batch
 * 32 they were three 47 MB arrays per pass). A vector version and its scalar twin ({@code
 * -Dgenai4j.kernels.scalar=true} selects it); tests compare the two.
 */
final class SpanScoreKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final boolean VECTOR = VectorSupport.ENABLED;

    private SpanScoreKernel() {}

    /**
     * @param fromStart [B·W, H] start-side term per word (bias of the first layer included)
     * @param fromEnd   [B·W, H] end-side term per word
     * @param starts    [B·S] row of each span's start word in {@code fromStart}
     * @param ends      [B·S] row of each span's end word in {@code fromEnd}
     * @param label     [B, C, H] label side
     * @param bias      [B, C] label bias
     * @return [B, S, C]
     */
    static float[] scores(float[] fromStart, float[] fromEnd, int[] starts, int[] ends, float[] label, float[] bias,
                          int b, int s, int c, int h) {
        float[] out = new float[b * s * c];
        Parallel.forRange(b * s, 64, (from, to) -> {
            float[] row = new float[h];
            for (int n = from; n < to; n++) {
                int text = n / s;
                if (VECTOR) spanVector(fromStart, starts[n] * h, fromEnd, ends[n] * h, label, text * c * h, bias, text * c, row, out, n * c, c, h);
                else spanScalar(fromStart, starts[n] * h, fromEnd, ends[n] * h, label, text * c * h, bias, text * c, row, out, n * c, c, h);
            }
        });
        return out;
    }

    static void spanScalar(float[] a, int aOff, float[] e, int eOff, float[] label, int lOff, float[] bias, int bOff,
                           float[] row, float[] out, int oOff, int c, int h) {
        for (int j = 0; j < h; j++) row[j] = Math.max(a[aOff + j] + e[eOff + j], 0f);
        for (int k = 0; k < c; k++) {
            float acc = 0;
            int l = lOff + k * h;
            for (int j = 0; j < h; j++) acc += row[j] * label[l + j];
            out[oOff + k] = acc + bias[bOff + k];
        }
    }

    static void spanVector(float[] a, int aOff, float[] e, int eOff, float[] label, int lOff, float[] bias, int bOff,
                           float[] row, float[] out, int oOff, int c, int h) {
        int bound = S.loopBound(h), j = 0;
        FloatVector zero = FloatVector.zero(S);
        for (; j < bound; j += S.length()) {
            FloatVector.fromArray(S, a, aOff + j).add(FloatVector.fromArray(S, e, eOff + j)).max(zero).intoArray(row, j);
        }
        for (; j < h; j++) row[j] = Math.max(a[aOff + j] + e[eOff + j], 0f);
        for (int k = 0; k < c; k++) {
            int l = lOff + k * h;
            FloatVector acc = zero;
            int p = 0;
            for (; p < bound; p += S.length()) acc = FloatVector.fromArray(S, row, p).fma(FloatVector.fromArray(S, label, l + p), acc);
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; p < h; p++) sum += row[p] * label[l + p];
            out[oOff + k] = sum + bias[bOff + k];
        }
    }
}
