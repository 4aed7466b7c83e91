package dev.genai4j.data.shapes;

import dev.genai4j.data.DataException;

/**
 * Triangles for the renderer: per-vertex position, unit normal and RGB colour in [0, 1]
 * (interleaved x, y, z), and three vertex indices per triangle.
 *
 * <pre>{@code
 * TriangleMesh mesh = scene.mesh(32);
 * int triangles = mesh.triangleCount();
 * }</pre>
 */
public record TriangleMesh(float[] positions, float[] normals, float[] colours, int[] indices) {
    public TriangleMesh {
        if (positions.length % 3 != 0 || normals.length != positions.length || colours.length != positions.length || indices.length % 3 != 0) {
            throw new DataException("TriangleMesh: need 3 floats per vertex in positions, normals and colours and 3 indices per triangle, got "
                    + positions.length + ", " + normals.length + ", " + colours.length + " floats and " + indices.length + " indices");
        }
        int v = positions.length / 3;
        for (int i : indices) {
            if (i < 0 || i >= v) throw new DataException("TriangleMesh: index " + i + " outside the " + v + " vertices");
        }
    }

    public int vertexCount() { return positions.length / 3; }

    public int triangleCount() { return indices.length / 3; }
}
