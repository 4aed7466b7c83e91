package dev.genai4j.tensor;

import java.util.Arrays;

/** An op got operands whose shapes do not fit; the message names the op and both shapes. */
public class ShapeException extends TensorException {
    public ShapeException(String message) { super(message); }

    public static ShapeException of(String op, String expected, int[] actual) {
        return new ShapeException(op + ": expected " + expected + ", got shape " + Arrays.toString(actual));
    }
}
