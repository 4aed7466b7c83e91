package dev.genai4j.text;

/**
 * How a batch is encoded: special tokens, padding and truncation. Immutable; start from
 * {@link #defaults()} and chain.
 *
 * <pre>{@code
 * EncodeOptions o = EncodeOptions.defaults().padToLongest().maxLength(128, Overflow.TRUNCATE);
 * List<Encoding> batch = tok.encodeBatch(List.of("a short one", "a longer sentence here"), o);
 * }</pre>
 *
 * @param addSpecialTokens whether the tokenizer's post-processor adds its specials ([CLS] … [SEP])
 * @param padding          NONE, LONGEST (to the longest in the batch) or FIXED (to {@code fixedLength})
 * @param fixedLength      target length for FIXED padding, else 0
 * @param padId            id used for padding; -1 means the tokenizer's own pad token
 * @param padSide          where padding goes
 * @param maxLength        maximum tokens per sequence (specials included); 0 means no limit
 * @param overflow         what happens to a sequence longer than {@code maxLength}
 */
public record EncodeOptions(boolean addSpecialTokens, Padding padding, int fixedLength, int padId,
                            Side padSide, int maxLength, Overflow overflow) {

    public enum Padding { NONE, LONGEST, FIXED }

    public enum Side { LEFT, RIGHT }

    /** Policy for a sequence longer than {@code maxLength}. */
    public enum Overflow {
        /** Drop tokens silently (longest sequence of a pair first, specials kept). */
        TRUNCATE,
        /** Drop tokens as TRUNCATE does and log a warning naming the input. */
        TRUNCATE_AND_WARN,
        /** Throw a {@link TokenizerException} naming the input and its length. */
        ERROR
    }

    public EncodeOptions {
        if (padding == null || padSide == null || overflow == null) {
            throw new TokenizerException("EncodeOptions: padding, padSide and overflow must not be null");
        }
        if (padding == Padding.FIXED ? fixedLength <= 0 : fixedLength != 0) {
            throw new TokenizerException("EncodeOptions: fixedLength must be > 0 exactly when padding is FIXED, got "
                    + fixedLength + " with padding " + padding);
        }
        if (maxLength < 0) throw new TokenizerException("EncodeOptions: maxLength must be >= 0 (0 = no limit), got " + maxLength);
        if (padId < -1) throw new TokenizerException("EncodeOptions: padId must be >= 0, or -1 for the tokenizer's pad token, got " + padId);
        if (padding == Padding.FIXED && maxLength > fixedLength) {
            throw new TokenizerException("EncodeOptions: maxLength " + maxLength + " exceeds the fixed padding length "
                    + fixedLength + "; sequences could not all be padded to it");
        }
    }

    /** Specials added, no padding, no length limit. */
    public static EncodeOptions defaults() {
        return new EncodeOptions(true, Padding.NONE, 0, -1, Side.RIGHT, 0, Overflow.TRUNCATE);
    }

    public EncodeOptions addSpecialTokens(boolean add) {
        return new EncodeOptions(add, padding, fixedLength, padId, padSide, maxLength, overflow);
    }

    public EncodeOptions noPadding() {
        return new EncodeOptions(addSpecialTokens, Padding.NONE, 0, padId, padSide, maxLength, overflow);
    }

    public EncodeOptions padToLongest() {
        return new EncodeOptions(addSpecialTokens, Padding.LONGEST, 0, padId, padSide, maxLength, overflow);
    }

    /** Pads every sequence to {@code length}; a longer one is an error unless truncated to fit. */
    public EncodeOptions padToLength(int length) {
        return new EncodeOptions(addSpecialTokens, Padding.FIXED, length, padId, padSide, maxLength, overflow);
    }

    public EncodeOptions padId(int id) {
        return new EncodeOptions(addSpecialTokens, padding, fixedLength, id, padSide, maxLength, overflow);
    }

    public EncodeOptions padSide(Side side) {
        return new EncodeOptions(addSpecialTokens, padding, fixedLength, padId, side, maxLength, overflow);
    }

    public EncodeOptions maxLength(int max, Overflow policy) {
        return new EncodeOptions(addSpecialTokens, padding, fixedLength, padId, padSide, max, policy);
    }
}
