package dev.genai4j.models.mixtral;

import dev.genai4j.io.CheckpointException;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws the paper's Figure 7 (arXiv 2401.04088 §5) as a PNG with Java2D: one panel per layer
 * shown, a group of bars per expert with one bar per domain (the share of that domain's
 * assignments the expert received), and a dashed line at 1/E, the share of uniform routing.
 * Models of more than six layers show the first, middle and last layer, as the paper does.
 *
 * <pre>{@code
 * ExpertSharePlot.write(domains, Path.of("runs/routing/expert-shares.png"));
 * }</pre>
 */
public final class ExpertSharePlot {
    /** Domain colours (colour-blind-safe Okabe–Ito), cycled past eight domains. */
    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000)};
    private static final int PANEL_W = 640, PANEL_H = 230, LEFT = 60, RIGHT = 20, TOP = 30, BOTTOM = 34, LEGEND_H = 30;

    private ExpertSharePlot() {}

    /** The layers a figure shows: all of up to six, else first, middle and last. */
    public static int[] shownLayers(int layers) {
        if (layers <= 6) {
            int[] all = new int[layers];
            for (int i = 0; i < layers; i++) all[i] = i;
            return all;
        }
        return new int[] {0, layers / 2, layers - 1};
    }

    /** Renders the figure. */
    public static BufferedImage render(List<RoutingAnalysis.Domain> domains) {
        if (domains.isEmpty()) throw new IllegalArgumentException("ExpertSharePlot: no domain to draw");
        RoutingStats s0 = domains.getFirst().stats();
        int[] layers = shownLayers(s0.layers());
        int e = s0.numExperts();
        double max = 1.0 / e;
        for (RoutingAnalysis.Domain d : domains) for (int l : layers) for (int x = 0; x < e; x++) max = Math.max(max, d.stats().share(l, x));
        double top = niceCeiling(max * 1.1);

        BufferedImage img = new BufferedImage(PANEL_W, LEGEND_H + layers.length * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int lx = LEFT;
            for (int d = 0; d < domains.size(); d++) {
                g.setColor(PALETTE[d % PALETTE.length]);
                g.fillRect(lx, 10, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(domains.get(d).name(), lx + 16, 21);
                lx += 24 + g.getFontMetrics().stringWidth(domains.get(d).name());
            }
            g.drawString(String.format(Locale.ROOT, "- - uniform 1/%d", e), lx + 10, 21);
            for (int p = 0; p < layers.length; p++) drawPanel(g, domains, layers[p], LEGEND_H + p * PANEL_H, top);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawPanel(Graphics2D g, List<RoutingAnalysis.Domain> domains, int layer, int y0, double top) {
        int e = domains.getFirst().stats().numExperts();
        int plotW = PANEL_W - LEFT - RIGHT, plotH = PANEL_H - TOP - BOTTOM;
        int baseY = y0 + TOP + plotH;
        g.setColor(Color.BLACK);
        g.drawString("Layer " + layer, LEFT, y0 + TOP - 8);
        // y grid and labels
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            int y = baseY - (int) Math.round(plotH * v / top);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.0f%%", 100 * v);
            g.drawString(label, LEFT - 6 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        double group = (double) plotW / e;
        double bar = group * 0.8 / domains.size();
        for (int x = 0; x < e; x++) {
            double gx = LEFT + x * group + group * 0.1;
            for (int d = 0; d < domains.size(); d++) {
                double share = domains.get(d).stats().share(layer, x);
                int h = (int) Math.round(plotH * share / top);
                g.setColor(PALETTE[d % PALETTE.length]);
                g.fillRect((int) Math.round(gx + d * bar), baseY - h, Math.max(1, (int) Math.round(bar) - 1), h);
            }
            g.setColor(Color.BLACK);
            String label = Integer.toString(x);
            g.drawString(label, (int) Math.round(LEFT + x * group + group / 2 - g.getFontMetrics().stringWidth(label) / 2.0), baseY + 15);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, baseY, LEFT + plotW, baseY);
        g.drawString("expert", LEFT + plotW / 2 - 18, baseY + 30);
        int uy = baseY - (int) Math.round(plotH / (e * top));
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        g.drawLine(LEFT, uy, LEFT + plotW, uy);
        g.setStroke(new BasicStroke());
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^n at or above {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v - 1e-12) return m * p;
        return 10 * p;
    }

    /** Renders and writes the PNG. */
    public static void write(List<RoutingAnalysis.Domain> domains, Path file) {
        try {
            if (!ImageIO.write(render(domains), "png", file.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new CheckpointException("moe routing: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
