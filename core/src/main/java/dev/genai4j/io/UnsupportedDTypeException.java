package dev.genai4j.io;

/**
 * A safetensors tensor has a dtype genai4j does not read: either a valid safetensors dtype we do
 * not compute with (F64, F8_E4M3, U16 …) or a string that is no dtype at all.
 */
public class UnsupportedDTypeException extends SafetensorsFormatException {
    public UnsupportedDTypeException(String message) { super(message); }
}
