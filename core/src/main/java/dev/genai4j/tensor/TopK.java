package dev.genai4j.tensor;

/** Result of {@link Tensor#topk}: values (differentiable) and their indices (as floats). */
public record TopK(Tensor values, Tensor indices) {}
