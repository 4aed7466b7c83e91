package dev.genai4j.tensor;

/**
 * bf16 and IEEE f16 conversions. Narrowing rounds to nearest, ties to even (as PyTorch's
 * {@code .to(torch.bfloat16)}); NaN stays NaN, overflow goes to infinity.
 */
public final class HalfFloats {
    private HalfFloats() {}

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {          // NaN: keep it quiet, keep the sign
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;                      // ties go to the even neighbour
        int rounded = bits + 0x7FFF + lsb;
        return (short) (rounded >>> 16);
    }

    /** Rounds an fp32 value to the nearest bf16 value and back (what a bf16 checkpoint stores). */
    public static float roundToBf16(float f) {
        return bf16ToFloat(floatToBf16(f));
    }

    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** JDK's conversion rounds to nearest-even, like numpy / PyTorch. */
    public static short floatToF16(float f) {
        return Float.floatToFloat16(f);
    }
}
