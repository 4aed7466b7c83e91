package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.shapes.ObjectSpec;
import dev.genai4j.data.shapes.PaletteColour;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.data.shapes.Primitive;
import dev.genai4j.data.shapes.Scene;
import dev.genai4j.data.shapes.ShapeSize;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ChamferAndColourTest {
    private static PointCloud points(float... xyz) { return new PointCloud(xyz, new float[xyz.length]); }

    @Test
    void identicalCloudsAreAtZero() {
        PointCloud a = Scene.single(new ObjectSpec(Primitive.TORUS, PaletteColour.RED, ShapeSize.LARGE), 0).sample(2000, new Rng(1));
        assertEquals(0, ChamferDistance.between(a, a));
    }

    @Test
    void knownValuesOnSmallSets() {
        // A = {0}, B = {1, 3} on the x axis: A→B = 1, B→A = (1 + 9) / 2 = 5
        PointCloud a = points(0, 0, 0), b = points(1, 0, 0, 3, 0, 0);
        assertEquals(1, ChamferDistance.oneSided(a, b), 1e-9);
        assertEquals(5, ChamferDistance.oneSided(b, a), 1e-9);
        assertEquals(6, ChamferDistance.between(a, b), 1e-9);
        assertEquals(ChamferDistance.between(a, b), ChamferDistance.between(b, a));
        // a unit square's corners against the same corners moved up by 0.5: every nearest distance is 0.5
        PointCloud sq = points(0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0), up = points(0, 0, 0.5f, 1, 0, 0.5f, 0, 1, 0.5f, 1, 1, 0.5f);
        assertEquals(0.5, ChamferDistance.between(sq, up), 1e-7);
        assertThrows(ShapeException.class, () -> ChamferDistance.between(a, points()));
    }

    @Test
    void aDifferentShapeIsFartherThanAnotherSampleOfTheSame() {
        Scene cube = Scene.single(new ObjectSpec(Primitive.CUBE, PaletteColour.RED, ShapeSize.MEDIUM), 0);
        Scene sphere = Scene.single(new ObjectSpec(Primitive.SPHERE, PaletteColour.RED, ShapeSize.MEDIUM), 0);
        PointCloud c1 = cube.sample(1024, new Rng(1)), c2 = cube.sample(1024, new Rng(2)), s = sphere.sample(1024, new Rng(3));
        assertTrue(ChamferDistance.between(c1, c2) * 3 < ChamferDistance.between(c1, s),
                ChamferDistance.between(c1, c2) + " vs " + ChamferDistance.between(c1, s));
    }

    @Test
    void colourOfTheMeanNamesThePrompt() {
        PointCloud red = Scene.single(new ObjectSpec(Primitive.CONE, PaletteColour.RED, ShapeSize.SMALL), 0).sample(100, new Rng(1));
        assertEquals(PaletteColour.RED, ColourAccuracy.predicted(red));
        // a noisy, darker blue still reads as blue
        float[] rgb = new float[300];
        Rng rng = new Rng(2);
        for (int i = 0; i < 100; i++) {
            rgb[3 * i] = 0.1f + 0.1f * rng.uniform();
            rgb[3 * i + 1] = 0.3f + 0.1f * rng.uniform();
            rgb[3 * i + 2] = 0.6f + 0.3f * rng.uniform();
        }
        PointCloud blue = new PointCloud(new float[300], rgb);
        assertTrue(ColourAccuracy.matches(blue, PaletteColour.BLUE));
        assertEquals(0.5, ColourAccuracy.accuracy(List.of(red, blue), List.of(PaletteColour.RED, PaletteColour.GREEN)));
        assertThrows(IllegalArgumentException.class, () -> ColourAccuracy.accuracy(List.of(red), List.of()));
    }
}
