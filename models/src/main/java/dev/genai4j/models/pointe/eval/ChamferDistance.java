package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.tensor.ShapeException;

/**
 * Symmetric Chamfer distance between two clouds: the mean over A of the squared distance to the
 * nearest point of B, plus the same from B to A (PyTorch3D's {@code chamfer_distance} with its
 * default mean reduction). Identical clouds give 0; units are squared scene units.
 *
 * <pre>{@code
 * double cd = ChamferDistance.between(generated, groundTruth);
 * }</pre>
 */
public final class ChamferDistance {
    private ChamferDistance() {}

    /** Symmetric Chamfer distance of {@code a} and {@code b}. */
    public static double between(PointCloud a, PointCloud b) { return oneSided(a, b) + oneSided(b, a); }

    /** Mean over the points of {@code from} of the squared distance to the nearest point of {@code to}. */
    public static double oneSided(PointCloud from, PointCloud to) {
        if (from.size() == 0 || to.size() == 0) {
            throw new ShapeException("ChamferDistance: both clouds need points, got " + from.size() + " and " + to.size());
        }
        float[] d = NearestNeighbours.minSquaredDistances(from.xyz(), to.xyz());
        double s = 0;
        for (float v : d) s += v;
        return s / d.length;
    }
}
