package dev.genai4j.data.shapes;

import java.util.Arrays;

/**
 * Collects triangles into a {@link TriangleMesh}. Parts add vertices in their local frame; the
 * builder places them with the current yaw and offset and gives them the current colour, so one
 * builder gathers a whole scene.
 */
public final class MeshBuilder {
    private float[] positions = new float[3 * 256], normals = new float[3 * 256], colours = new float[3 * 256];
    private int[] indices = new int[3 * 256];
    private int vertexCount, indexCount;
    private double yaw;
    private Vec3 offset = Vec3.ZERO;
    private float[] colour = {1, 1, 1};

    /** Sets the placement and RGB colour (each in [0, 1]) of the vertices added next. */
    public MeshBuilder place(double yaw, Vec3 offset, float[] rgb) {
        this.yaw = yaw;
        this.offset = offset;
        this.colour = rgb.clone();
        return this;
    }

    /** Adds a vertex at local {@code p} with local unit normal {@code n}; returns its index. */
    public int vertex(Vec3 p, Vec3 n) {
        if (3 * vertexCount + 3 > positions.length) {
            positions = Arrays.copyOf(positions, positions.length * 2);
            normals = Arrays.copyOf(normals, normals.length * 2);
            colours = Arrays.copyOf(colours, colours.length * 2);
        }
        Vec3 wp = p.rotateZ(yaw).plus(offset), wn = n.rotateZ(yaw);
        int o = 3 * vertexCount;
        positions[o] = (float) wp.x(); positions[o + 1] = (float) wp.y(); positions[o + 2] = (float) wp.z();
        normals[o] = (float) wn.x(); normals[o + 1] = (float) wn.y(); normals[o + 2] = (float) wn.z();
        System.arraycopy(colour, 0, colours, o, 3);
        return vertexCount++;
    }

    /** Adds the triangle of three vertex indices, counter-clockwise seen from outside. */
    public void triangle(int i, int j, int k) {
        if (indexCount + 3 > indices.length) indices = Arrays.copyOf(indices, indices.length * 2);
        indices[indexCount++] = i;
        indices[indexCount++] = j;
        indices[indexCount++] = k;
    }

    public TriangleMesh build() {
        return new TriangleMesh(Arrays.copyOf(positions, 3 * vertexCount), Arrays.copyOf(normals, 3 * vertexCount),
                Arrays.copyOf(colours, 3 * vertexCount), Arrays.copyOf(indices, indexCount));
    }
}
