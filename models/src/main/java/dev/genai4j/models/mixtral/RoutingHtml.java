package dev.genai4j.models.mixtral;

import java.awt.Color;
import java.util.List;
import java.util.Locale;

/**
 * The paper's Figure 8 (arXiv 2401.04088 §5) as a self-contained HTML page: each domain's sample
 * text, once per layer shown ({@link ExpertSharePlot#shownLayers}), with every token's background
 * coloured by its first-choice expert; hovering a token shows its expert. Whitespace and line
 * breaks are kept ({@code <pre>}), so code and arithmetic keep their layout.
 *
 * <pre>{@code
 * Files.writeString(Path.of("routing.html"), RoutingHtml.render(domains));
 * }</pre>
 */
public final class RoutingHtml {
    private RoutingHtml() {}

    /** A light background colour for expert {@code e} of {@code n}: evenly spaced hues. */
    static String colour(int e, int n) {
        Color c = Color.getHSBColor((float) e / n, 0.35f, 1.0f);
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    /** The page. */
    public static String render(List<RoutingAnalysis.Domain> domains) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Mixtral routing: first-choice experts</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:70em} pre{white-space:pre-wrap;font-size:13px;"
                        + "line-height:1.5;border:1px solid #ccc;padding:.6em} span.k{display:inline-block;padding:0 .5em;margin-right:.3em}</style>\n")
                .append("</head><body>\n<h1>Tokens coloured by first-choice expert</h1>\n");
        if (domains.isEmpty()) return sb.append("<p>No domain.</p></body></html>\n").toString();
        int e = domains.getFirst().stats().numExperts();
        sb.append("<p>");
        for (int x = 0; x < e; x++) sb.append("<span class=\"k\" style=\"background:").append(colour(x, e)).append("\">expert ").append(x).append("</span>");
        sb.append("</p>\n");
        int[] layers = ExpertSharePlot.shownLayers(domains.getFirst().stats().layers());
        for (RoutingAnalysis.Domain d : domains) {
            sb.append("<h2>").append(escape(d.name())).append("</h2>\n");
            for (int l : layers) {
                sb.append("<h3>layer ").append(l).append("</h3>\n<pre>");
                appendTokens(sb, d.sample(), l, e);
                sb.append("</pre>\n");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    /** The sample's text, token spans wrapped in coloured spans; gaps between spans (if any) uncoloured. */
    static void appendTokens(StringBuilder sb, RoutingAnalysis.Sample s, int layer, int numExperts) {
        int cursor = 0;
        String text = s.text();
        for (int i = 0; i < s.starts().length; i++) {
            int start = Math.max(cursor, s.starts()[i]), end = Math.max(start, s.ends()[i]);
            if (start > cursor) sb.append(escape(text.substring(cursor, start)));
            int expert = s.firstChoice()[layer][i];
            if (end > start) {
                sb.append("<span style=\"background:").append(colour(expert, numExperts)).append("\" title=\"expert ").append(expert).append("\">")
                        .append(escape(text.substring(start, end))).append("</span>");
            }
            cursor = end;
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
