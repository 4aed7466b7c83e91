package dev.genai4j.models.diffusion.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinePlotTest {
    @TempDir Path dir;

    @Test
    void writesAPngOfTheAskedSizeWithDataPointsInTheirColours() throws Exception {
        LinePlot plot = new LinePlot("Reward during RL", "epoch", "mean reward")
                .series("ddpo-sf", new double[]{0, 1, 2, 3}, new double[]{0.1, 0.4, 0.35, 0.8})
                .series("dpok", new double[]{0, 1, 2, 3}, new double[]{0.1, 0.2, 0.3, 0.5});
        Path file = dir.resolve("sub/reward.png");
        plot.write(file, 640, 400);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        // the point (2, 0.35) of the first series, and (1, 0.2) of the second
        int[] p = plot.toPixel(2, 0.35, 640, 400);
        assertEquals(plot.color(0).getRGB(), img.getRGB(p[0], p[1]));
        int[] q = plot.toPixel(1, 0.2, 640, 400);
        assertEquals(plot.color(1).getRGB(), img.getRGB(q[0], q[1]));
        // the corners of the plot area map to the data range; outside the frame is background
        assertArrayEquals(new int[]{LinePlot.LEFT, 400 - LinePlot.BOTTOM}, plot.toPixel(0, plot.ranges()[2], 640, 400));
        assertEquals(0xFFFFFFFF, img.getRGB(2, 399));
        // something dark was drawn for the title, tick labels and axis labels
        int dark = 0;
        for (int y = 0; y < 400; y++) for (int x = 0; x < LinePlot.LEFT; x++) if ((img.getRGB(x, y) & 0xFF) < 100) dark++;
        assertTrue(dark > 50, "y-axis labels drawn: " + dark + " dark pixels");
    }

    /** A point in the top right corner moves the legend to a corner with no data under it. */
    @Test
    void legendAvoidsTheDataPoints() {
        LinePlot rising = new LinePlot("t", "x", "y").series("a long series name", new double[]{0, 1, 2, 9}, new double[]{0, 1, 2, 10})
                .series("flat", new double[]{10}, new double[]{0});   // (9, 10) sits under a top right legend
        java.awt.FontMetrics fm = rising.render(640, 400).createGraphics().getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        int[] box = rising.legendBox(fm, 640, 400);
        assertEquals(LinePlot.LEFT + 6, box[0], "left column");
        assertEquals(LinePlot.TOP + 6, box[1], "top row");
        int[] hidden = rising.toPixel(9, 10, 640, 400);
        assertTrue(hidden[0] > box[0] + box[2], "the point (9, 10) is right of the legend");
        // nothing under the top right corner: it stays there
        LinePlot falling = new LinePlot("t", "x", "y").series("s", new double[]{0, 1, 2, 3, 4}, new double[]{0, -1, -2, -3, -4});
        assertTrue(falling.legendBox(fm, 640, 400)[0] > 320, "top right");
    }

    @Test
    void ticksAreRoundNumbers() {
        assertTicks(new double[]{0, 0.2, 0.4, 0.6, 0.8, 1.0}, LinePlot.ticks(0, 1));
        assertTicks(new double[]{0, 500, 1000, 1500, 2000}, LinePlot.ticks(-10, 2100));
        assertTicks(new double[]{-3, -2.5, -2, -1.5, -1}, LinePlot.ticks(-3.2, -0.6));   // range 2.6 → step 0.5
    }

    @Test
    void flatAndBadInputs() {
        LinePlot flat = new LinePlot("t", "x", "y").series("s", new double[]{5}, new double[]{2});
        assertEquals(200, flat.render(200, 200).getWidth());       // a single point still gets a range
        assertThrows(IllegalArgumentException.class, () -> new LinePlot("t", "x", "y").series("s", new double[]{1}, new double[]{1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new LinePlot("t", "x", "y").series("s", new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> flat.render(50, 50));
        assertThrows(IllegalStateException.class, () -> new LinePlot("t", "x", "y").render(300, 200));
        LinePlot gap = new LinePlot("t", "x", "y").series("s", new double[]{0, 1, 2}, new double[]{1, Double.NaN, 3});
        assertEquals(3.1, gap.ranges()[3], 1e-12);                 // NaN ignored, 5 % padding of [1, 3]
    }

    private static void assertTicks(double[] want, List<Double> got) {
        assertEquals(want.length, got.size(), got.toString());
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got.get(i), 1e-9);
    }
}
