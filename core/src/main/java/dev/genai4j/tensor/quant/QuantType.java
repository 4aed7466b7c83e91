package dev.genai4j.tensor.quant;

/**
 * Block quantization formats for weight matrices, in the spirit of GGML's Q8_0 / Q4_0: each row is
 * cut into blocks of {@link #BLOCK} values that share one fp32 scale {@code d}.
 * <ul>
 *   <li>{@code Q8_0}: {@code d = max|x| / 127}, {@code q = round(x / d)} in [-127, 127], one byte per
 *       value: 1.125 bytes per weight with the scale (GGML stores the scale in fp16: 1.0625).</li>
 *   <li>{@code Q4_0}: {@code d = m / -8} where {@code m} is the value of largest magnitude,
 *       {@code q = clamp(round(x / d) + 8, 0, 15)}, value {@code (q - 8) · d}; two values per byte,
 *       byte {@code j} of a block holding value {@code j} in its low nibble and {@code j + 16} in
 *       its high nibble (GGML's layout): 0.625 bytes per weight.</li>
 * </ul>
 */
public enum QuantType {
    Q8_0(32),
    Q4_0(16);

    /** Values per block (one scale each). */
    public static final int BLOCK = 32;

    /** Bytes of quantized values per block. */
    public final int bytesPerBlock;

    QuantType(int bytesPerBlock) {
        this.bytesPerBlock = bytesPerBlock;
    }

    /** {@code q8} / {@code q4} / {@code Q8_0} / {@code q4_0} → the type; a clear error otherwise. */
    public static QuantType parse(String s) {
        String n = s == null ? "" : s.trim().toUpperCase(java.util.Locale.ROOT);
        return switch (n) {
            case "Q8", "Q8_0" -> Q8_0;
            case "Q4", "Q4_0" -> Q4_0;
            default -> throw new IllegalArgumentException("unknown quantization '" + s + "': expected q8 (Q8_0) or q4 (Q4_0)");
        };
    }
}
