package dev.genai4j.data.render;

import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.ObjectSpec;
import dev.genai4j.data.shapes.PaletteColour;
import dev.genai4j.data.shapes.Primitive;
import dev.genai4j.data.shapes.Relation;
import dev.genai4j.data.shapes.Scene;
import dev.genai4j.data.shapes.ShapeSize;
import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The renderers: pixel-stable against committed PNGs, and what they draw where it should be. */
class RendererTest {
    /** The scene and camera of the committed images (scripts: see {@link #writeGoldenImages}). */
    static Scene goldenScene() {
        return Scene.pair(new ObjectSpec(Primitive.CONE, PaletteColour.RED, ShapeSize.SMALL), Relation.ON_TOP_OF,
                new ObjectSpec(Primitive.CUBE, PaletteColour.BLUE, ShapeSize.MEDIUM), 0, 0.4, false);
    }

    static final Camera GOLDEN_CAMERA = new Camera(30, 25, Camera.DEFAULT_DISTANCE, Camera.DEFAULT_FOV);

    static RgbRaster goldenMesh() { return MeshRenderer.render(goldenScene().mesh(32), GOLDEN_CAMERA, 48, 2); }

    static RgbRaster goldenCloud() { return PointCloudRenderer.render(goldenScene().sample(2048, new Rng(1)), GOLDEN_CAMERA, 48, 0.012); }

    /** Rewrites the committed images; run by hand only when the renderer is meant to change. */
    static void writeGoldenImages(Path dir) {
        goldenMesh().writePng(dir.resolve("cone-on-cube-48.png"));
        goldenCloud().writePng(dir.resolve("cone-on-cube-cloud-48.png"));
    }

    private static RgbRaster resource(String name) throws URISyntaxException {
        return RgbRaster.readPng(Path.of(RendererTest.class.getResource(name).toURI()));
    }

    @Test
    void rendersArePixelStable() throws Exception {
        RgbRaster mesh = goldenMesh(), cloud = goldenCloud();
        assertArrayEquals(resource("cone-on-cube-48.png").rgb(), mesh.rgb(), "mesh render changed");
        assertArrayEquals(resource("cone-on-cube-cloud-48.png").rgb(), cloud.rgb(), "point-cloud render changed");
        assertArrayEquals(mesh.rgb(), goldenMesh().rgb());
    }

    @Test
    void objectInTheMiddleBackgroundInTheCorners() {
        RgbRaster img = MeshRenderer.render(Scene.single(new ObjectSpec(Primitive.CUBE, PaletteColour.GREEN, ShapeSize.LARGE), 0.3).mesh(16),
                Camera.front(), 32, 1);
        int[] bg = Shading.BACKGROUND;
        for (int[] c : new int[][]{{0, 0}, {31, 0}, {0, 31}, {31, 31}}) {
            for (int ch = 0; ch < 3; ch++) assertEquals(bg[ch], img.get(c[0], c[1], ch));
        }
        // green dominates at the centre, at least the ambient share of the base colour
        assertTrue(img.get(16, 16, 1) > img.get(16, 16, 0) + 40 && img.get(16, 16, 1) > img.get(16, 16, 2) + 40);
        assertTrue(img.get(16, 16, 1) >= (int) (165 * Shading.AMBIENT));
    }

    @Test
    void leftOfIsOnTheLeftOfTheFrontView() {
        Scene s = Scene.pair(new ObjectSpec(Primitive.SPHERE, PaletteColour.RED, ShapeSize.MEDIUM), Relation.LEFT_OF,
                new ObjectSpec(Primitive.CUBE, PaletteColour.BLUE, ShapeSize.MEDIUM), 0, 0, false);
        for (RgbRaster img : new RgbRaster[]{MeshRenderer.render(s.mesh(24), Camera.front(), 48, 1),
                PointCloudRenderer.render(s.sample(3000, new Rng(0)), Camera.front(), 48, 0.015)}) {
            double redX = 0, blueX = 0;
            int reds = 0, blues = 0;
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 48; x++) {
                    int r = img.get(x, y, 0), b = img.get(x, y, 2);
                    if (r > b + 60) { redX += x; reds++; }
                    if (b > r + 60) { blueX += x; blues++; }
                }
            }
            assertTrue(reds > 30 && blues > 30, reds + " red and " + blues + " blue pixels");
            assertTrue(redX / reds < 20 && blueX / blues > 28, "red at x " + redX / reds + ", blue at x " + blueX / blues);
        }
    }

    @Test
    void lightComesFromTheUpperLeft() {
        RgbRaster img = MeshRenderer.render(Scene.single(new ObjectSpec(Primitive.SPHERE, PaletteColour.WHITE, ShapeSize.LARGE), 0).mesh(48),
                new Camera(0, 0, Camera.DEFAULT_DISTANCE, Camera.DEFAULT_FOV), 64, 1);
        assertTrue(img.get(26, 26, 0) > img.get(38, 38, 0) + 50, img.get(26, 26, 0) + " vs " + img.get(38, 38, 0));
    }

    @Test
    void supersamplingSmoothsEdgesAndRandomCamerasAreSeeded() {
        Scene s = Scene.single(new ObjectSpec(Primitive.PYRAMID, PaletteColour.YELLOW, ShapeSize.LARGE), 0.5);
        RgbRaster hard = MeshRenderer.render(s.mesh(8), Camera.front(), 32, 1), soft = MeshRenderer.render(s.mesh(8), Camera.front(), 32, 4);
        assertTrue(distinctValues(soft) > distinctValues(hard), distinctValues(soft) + " vs " + distinctValues(hard));
        assertEquals(Camera.random(new Rng(3), 45), Camera.random(new Rng(3), 45));
        Camera c = Camera.random(new Rng(4), 45);
        assertTrue(Math.abs(c.azimuthDeg()) <= 45 && c.elevationDeg() >= 10 && c.elevationDeg() <= 40, c.toString());
        assertThrows(DataException.class, () -> MeshRenderer.render(s.mesh(8), Camera.front(), 0, 1));
        assertThrows(DataException.class, () -> new Camera(0, 90, 2, 40));
    }

    @Test
    void previewTilesFourViews(@TempDir Path dir) {
        var cloud = goldenScene().sample(1000, new Rng(2));
        RgbRaster grid = PointCloudRenderer.preview(cloud, 40, 4, 2, 0.03), strip = PointCloudRenderer.preview(cloud, 40, 4, 4, 0.03);
        assertEquals(80, grid.width());
        assertEquals(80, grid.height());
        assertEquals(160, strip.width());
        assertEquals(40, strip.height());
        // the strip's second view is the grid's top-right tile
        for (int y = 0; y < 40; y++) {
            assertArrayEquals(Arrays.copyOfRange(grid.rgb(), 3 * (y * 80 + 40), 3 * (y * 80 + 80)),
                    Arrays.copyOfRange(strip.rgb(), 3 * (y * 160 + 40), 3 * (y * 160 + 80)));
        }
        Path png = dir.resolve("p.png");
        grid.writePng(png);
        assertArrayEquals(grid.rgb(), RgbRaster.readPng(png).rgb());
    }

    @Test
    void previewFramesCloudsOfAnyScale() {
        var cloud = goldenScene().sample(800, new Rng(5));
        float[] big = cloud.xyz().clone();
        for (int i = 0; i < big.length; i++) big[i] *= 4;   // a power of two: every step scales exactly
        RgbRaster a = PointCloudRenderer.preview(cloud, 32, 2, 2, 0.03);
        RgbRaster b = PointCloudRenderer.preview(new dev.genai4j.data.shapes.PointCloud(big, cloud.rgb()), 32, 2, 2, 0.03);
        assertArrayEquals(a.rgb(), b.rgb());
        long covered = 0;
        for (int i = 0; i < a.rgb().length; i += 3) if ((a.rgb()[i] & 0xFF) != Shading.BACKGROUND[0]) covered++;
        assertTrue(covered > a.rgb().length / 3 / 6, "the cloud fills a good part of each view: " + covered + " pixels");
    }

    private static long distinctValues(RgbRaster img) {
        byte[] px = img.rgb();
        return java.util.stream.IntStream.range(0, px.length / 3)
                .map(i -> ((px[3 * i] & 0xFF) << 16) | ((px[3 * i + 1] & 0xFF) << 8) | (px[3 * i + 2] & 0xFF)).distinct().count();
    }
}
