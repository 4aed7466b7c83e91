package dev.genai4j.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The switch between the Vector API kernels and their scalar twins, read once at class load.
 * Run with {@code -Dgenai4j.kernels.scalar=true} to force every kernel onto its scalar twin
 * (to bisect a numerical difference, or on a JVM where the Vector API is slow). Being
 * {@code static final}, the flag costs nothing: C2 folds the untaken branch away.
 */
public final class VectorSupport {
    private VectorSupport() {}

    /** True unless {@code genai4j.kernels.scalar=true}: kernels take their Vector API path. */
    public static final boolean ENABLED = !Boolean.getBoolean("genai4j.kernels.scalar");

    /** The widest float species this CPU runs natively (16 lanes with AVX-512). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
}
