package dev.genai4j.tensor;

/** Result of {@link Tensor#sort}: sorted values (differentiable) and their source indices (as floats). */
public record Sorted(Tensor values, Tensor indices) {}
