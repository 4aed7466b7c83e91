package dev.genai4j.models.diffusion.eval;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Line charts as PNG with {@code java.awt} alone (reward curves of the RL runs): title, axes
 * with round-number ticks, axis labels, one coloured line per series with a legend (in the corner
 * hiding the fewest points), and square
 * markers on the data points when a series has at most {@value #MARKER_LIMIT} of them. NaN
 * values break a line. Renders headless.
 *
 * <pre>{@code
 * new LinePlot("Reward during RL", "epoch", "mean reward")
 *         .series("ddpo-sf", steps, rewardsSf)
 *         .series("dpok", steps, rewardsDpok)
 *         .write(Path.of("runs/rl/reward.png"), 640, 400);
 * }</pre>
 */
public final class LinePlot {
    static final int MARKER_LIMIT = 60;
    static final int LEFT = 72, RIGHT = 20, TOP = 40, BOTTOM = 52;
    /** Matplotlib's tab10 colours, so plots look familiar next to Python ones. */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private record Series(String name, double[] x, double[] y, Color color) {}

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a line; x and y have the same length ≥ 1; colours follow {@link #PALETTE}. Returns this. */
    public LinePlot series(String name, double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("LinePlot: series '" + name + "' has " + x.length + " x and " + y.length + " y values");
        if (x.length == 0) throw new IllegalArgumentException("LinePlot: series '" + name + "' is empty");
        series.add(new Series(name, x.clone(), y.clone(), PALETTE[series.size() % PALETTE.length]));
        return this;
    }

    /** The colour series {@code i} is drawn in. */
    public Color color(int i) { return series.get(i).color(); }

    /** Data ranges [xmin, xmax, ymin, ymax] after padding (a flat range is widened so it has height). */
    double[] ranges() {
        if (series.isEmpty()) throw new IllegalStateException("LinePlot: no series to plot");
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) continue;
                x0 = Math.min(x0, s.x()[i]);
                x1 = Math.max(x1, s.x()[i]);
                y0 = Math.min(y0, s.y()[i]);
                y1 = Math.max(y1, s.y()[i]);
            }
        if (x0 > x1) throw new IllegalStateException("LinePlot: no finite data point");
        if (x0 == x1) { x0 -= 1; x1 += 1; }
        if (y0 == y1) { double d = Math.max(1e-9, Math.abs(y0) * 0.1); y0 -= d; y1 += d; }
        double pad = (y1 - y0) * 0.05;
        return new double[]{x0, x1, y0 - pad, y1 + pad};
    }

    /** Pixel (column, row) of data point (x, y) in a {@code width × height} rendering. */
    public int[] toPixel(double x, double y, int width, int height) {
        double[] r = ranges();
        int pw = width - LEFT - RIGHT, ph = height - TOP - BOTTOM;
        int col = LEFT + (int) Math.round((x - r[0]) / (r[1] - r[0]) * pw);
        int row = TOP + ph - (int) Math.round((y - r[2]) / (r[3] - r[2]) * ph);
        return new int[]{col, row};
    }

    /** Draws the chart. */
    public BufferedImage render(int width, int height) {
        if (width < LEFT + RIGHT + 40 || height < TOP + BOTTOM + 40) {
            throw new IllegalArgumentException("LinePlot: " + width + " x " + height + " is too small (at least "
                    + (LEFT + RIGHT + 40) + " x " + (TOP + BOTTOM + 40) + ")");
        }
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        double[] r = ranges();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int pw = width - LEFT - RIGHT, ph = height - TOP - BOTTOM;
            drawAxes(g, r, pw, ph, width, height);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setClip(LEFT, TOP, pw + 1, ph + 1);
            for (Series s : series) drawSeries(g, s, width, height);
            g.setClip(null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            for (Series s : series) if (s.x().length <= MARKER_LIMIT) drawMarkers(g, s, width, height);
            drawLegend(g, width, height);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes a PNG (parent folders created). */
    public void write(Path file, int width, int height) {
        BufferedImage img = render(width, height);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("LinePlot: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void drawAxes(Graphics2D g, double[] r, int pw, int ph, int width, int height) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double t : ticks(r[0], r[1])) {
            int x = LEFT + (int) Math.round((t - r[0]) / (r[1] - r[0]) * pw);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(x, TOP, x, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(x, TOP + ph, x, TOP + ph + 4);
            String s = format(t);
            g.drawString(s, x - fm.stringWidth(s) / 2, TOP + ph + 6 + fm.getAscent());
        }
        for (double t : ticks(r[2], r[3])) {
            int y = TOP + ph - (int) Math.round((t - r[2]) / (r[3] - r[2]) * ph);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(LEFT - 4, y, LEFT, y);
            String s = format(t);
            g.drawString(s, LEFT - 6 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        FontMetrics tf = g.getFontMetrics();
        g.drawString(title, (width - tf.stringWidth(title)) / 2, TOP - 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics lf = g.getFontMetrics();
        g.drawString(xLabel, LEFT + (pw - lf.stringWidth(xLabel)) / 2, height - 10);
        AffineTransform before = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + (ph + lf.stringWidth(yLabel)) / 2), 16);
        g.setTransform(before);
    }

    private void drawSeries(Graphics2D g, Series s, int width, int height) {
        g.setColor(s.color());
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double path = new Path2D.Double();
        boolean open = false;
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) { open = false; continue; }
            int[] p = toPixel(s.x()[i], s.y()[i], width, height);
            if (open) path.lineTo(p[0], p[1]); else path.moveTo(p[0], p[1]);
            open = true;
        }
        g.draw(path);
    }

    private void drawMarkers(Graphics2D g, Series s, int width, int height) {
        g.setColor(s.color());
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) continue;
            int[] p = toPixel(s.x()[i], s.y()[i], width, height);
            g.fillRect(p[0] - 2, p[1] - 2, 5, 5);
        }
    }

    private void drawLegend(Graphics2D g, int width, int height) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        int[] box = legendBox(fm, width, height);
        int x = box[0], y = box[1], lineH = fm.getHeight() + 2;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(x, y, box[2], box[3]);
        g.setColor(Color.GRAY);
        g.drawRect(x, y, box[2], box[3]);
        for (int i = 0; i < series.size(); i++) {
            int cy = y + 4 + i * lineH + lineH / 2;
            g.setColor(series.get(i).color());
            g.fillRect(x + 6, cy - 2, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(series.get(i).name(), x + 28, cy + fm.getAscent() / 2 - 1);
        }
    }

    /**
     * The legend's {x, y, width, height}: in the corner of the plot area that hides the fewest data
     * points (top right, top left, bottom right, bottom left on ties), so a path ending in the top
     * right corner — a rising reward curve, a frontier — stays visible.
     */
    int[] legendBox(FontMetrics fm, int width, int height) {
        int w = 0;
        for (Series s : series) w = Math.max(w, fm.stringWidth(s.name()));
        int boxW = w + 34, boxH = series.size() * (fm.getHeight() + 2) + 8;
        int ph = height - TOP - BOTTOM;
        int[][] corners = {{width - RIGHT - boxW - 6, TOP + 6}, {LEFT + 6, TOP + 6},
                {width - RIGHT - boxW - 6, TOP + ph - boxH - 6}, {LEFT + 6, TOP + ph - boxH - 6}};
        int best = 0, fewest = Integer.MAX_VALUE;
        for (int c = 0; c < corners.length; c++) {
            int hidden = 0;
            for (Series s : series)
                for (int i = 0; i < s.x().length; i++) {
                    if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) continue;
                    int[] p = toPixel(s.x()[i], s.y()[i], width, height);
                    if (p[0] >= corners[c][0] - 3 && p[0] <= corners[c][0] + boxW + 3 && p[1] >= corners[c][1] - 3 && p[1] <= corners[c][1] + boxH + 3) hidden++;
                }
            if (hidden < fewest) {
                fewest = hidden;
                best = c;
            }
        }
        return new int[]{corners[best][0], corners[best][1], boxW, boxH};
    }

    /** Round-number ticks (1, 2 or 5 × 10^k apart) covering [lo, hi], about 5 of them. */
    static List<Double> ticks(double lo, double hi) {
        double raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.add(k == 0 ? 0.0 : k * step);
        return out;
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e7) return String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "");
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
