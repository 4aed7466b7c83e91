package dev.genai4j.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The switch between the Vector API kernels and their scalar twins, read once at class load.
 * Run with {@code -Dgenai4j.kernels.scalar=true} to force every kernel onto its scalar twin
 * (to bisect a numerical difference, or on a JVM where the Vector API is slow). Being
 * {@code static final}, the flag costs nothing: C2 folds the untaken branch away.
 *
 * <p>Bit-for-bit repeatability holds only once C2 has compiled a kernel. {@code reduceLanes(ADD)}
 * and {@code lanewise(EXP)} round differently before: interpreted, the sum runs left to right and
 * exp is Math.exp; compiled, the sum is a tree and exp is Intel's SVML. A kernel's first calls can
 * therefore differ from its later ones in the last bit (a Fréchet distance in its 8th digit
 * between two identical runs). Session 18 replaced both with fixed-order Java (lane butterflies,
 * a Cephes exp): bitwise stable in every tier, but every helper that takes a vector is then at the
 * mercy of C2's inlining limits ("hot method too big", the node-count cutoff), and each refusal
 * boxes vectors on the heap: small-M GEMM ran 2× slower and attention allocated megabytes. The
 * intrinsics stay; a fix would have to keep every vector operation inside JDK-inlined code.
 */
public final class VectorSupport {
    private VectorSupport() {}

    /** True unless {@code genai4j.kernels.scalar=true}: kernels take their Vector API path. */
    public static final boolean ENABLED = !Boolean.getBoolean("genai4j.kernels.scalar");

    /** The widest float species this CPU runs natively (16 lanes with AVX-512). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
}
