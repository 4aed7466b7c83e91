package dev.genai4j.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Pads encodings to a common length on the left or right, as {@link EncodeOptions} asks. */
final class BatchPadding {
    private BatchPadding() {}

    static List<Encoding> apply(List<Encoding> batch, EncodeOptions o, int padId, String padToken) {
        if (o.padding() == EncodeOptions.Padding.NONE) return batch;
        int target = 0;
        if (o.padding() == EncodeOptions.Padding.FIXED) {
            target = o.fixedLength();
            for (int b = 0; b < batch.size(); b++) {
                if (batch.get(b).length() > target) {
                    throw new TokenizerException("padding: input " + b + " has " + batch.get(b).length()
                            + " tokens, more than the fixed length " + target
                            + "; set maxLength(" + target + ", TRUNCATE) to cut it");
                }
            }
        } else {
            for (Encoding e : batch) target = Math.max(target, e.length());
        }
        List<Encoding> out = new ArrayList<>(batch.size());
        for (Encoding e : batch) out.add(pad(e, target, o.padSide() == EncodeOptions.Side.LEFT, padId, padToken));
        return out;
    }

    private static Encoding pad(Encoding e, int target, boolean left, int padId, String padToken) {
        int n = e.length(), extra = target - n;
        if (extra == 0) return e;
        int at = left ? extra : 0;          // where the real tokens start in the padded arrays
        int[] ids = fill(target, padId), types = fill(target, 0), mask = fill(target, 0);
        int[] starts = fill(target, 0), ends = fill(target, 0), words = fill(target, -1);
        String[] tokens = new String[target];
        Arrays.fill(tokens, padToken);
        System.arraycopy(e.ids(), 0, ids, at, n);
        System.arraycopy(e.typeIds(), 0, types, at, n);
        System.arraycopy(e.attentionMask(), 0, mask, at, n);
        System.arraycopy(e.charStarts(), 0, starts, at, n);
        System.arraycopy(e.charEnds(), 0, ends, at, n);
        System.arraycopy(e.wordIds(), 0, words, at, n);
        System.arraycopy(e.tokens(), 0, tokens, at, n);
        return new Encoding(ids, types, mask, tokens, starts, ends, words, e.truncated());
    }

    private static int[] fill(int n, int v) {
        int[] a = new int[n];
        if (v != 0) Arrays.fill(a, v);
        return a;
    }
}
