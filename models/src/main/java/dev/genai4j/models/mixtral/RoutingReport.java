package dev.genai4j.models.mixtral;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * The text and JSON forms of the routing analysis: the paper's Table 5 (first-choice repeats and
 * top-k overlaps of consecutive tokens, per domain and layer, beside the uniform-routing
 * baselines) and the expert shares behind Figure 7.
 *
 * <pre>{@code
 * System.out.print(RoutingReport.table(domains));
 * Files.writeString(dir.resolve("routing.json"), RoutingReport.json(domains).toPrettyString());
 * }</pre>
 */
public final class RoutingReport {
    private RoutingReport() {}

    /** Table 5: one row per (layer, domain), then the random-routing baselines. */
    public static String table(List<RoutingAnalysis.Domain> domains) {
        if (domains.isEmpty()) return "";
        RoutingStats s0 = domains.getFirst().stats();
        int k = s0.k(), e = s0.numExperts();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-6s %-12s %8s %14s %16s%n", "layer", "domain", "pairs", "first choice", "top-" + k + " overlap"));
        for (int l = 0; l < s0.layers(); l++) {
            for (RoutingAnalysis.Domain d : domains) {
                RoutingStats s = d.stats();
                sb.append(String.format(Locale.ROOT, "%-6d %-12s %8d %13.1f%% %15.1f%%%n", l, d.name(), s.pairs(l),
                        100 * s.firstChoiceRepeat(l), 100 * s.topKOverlap(l)));
            }
        }
        sb.append(String.format(Locale.ROOT, "%-6s %-12s %8s %13.1f%% %15.1f%%%n", "-", "random", "-",
                100 * RoutingStats.firstChoiceBaseline(e), 100 * RoutingStats.overlapBaseline(e, k)));
        return sb.toString();
    }

    /** Expert shares per layer and domain, one line per layer: {@code layer domain  e0 e1 …} in percent. */
    public static String sharesTable(List<RoutingAnalysis.Domain> domains) {
        if (domains.isEmpty()) return "";
        RoutingStats s0 = domains.getFirst().stats();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-6s %-12s", "layer", "domain"));
        for (int e = 0; e < s0.numExperts(); e++) sb.append(String.format(Locale.ROOT, " %6s", "e" + e));
        sb.append('\n');
        for (int l = 0; l < s0.layers(); l++) {
            for (RoutingAnalysis.Domain d : domains) {
                sb.append(String.format(Locale.ROOT, "%-6d %-12s", l, d.name()));
                for (int e = 0; e < s0.numExperts(); e++) sb.append(String.format(Locale.ROOT, " %5.1f%%", 100 * d.stats().share(l, e)));
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Everything as JSON: baselines, and per domain per layer the shares, repeats and overlaps. */
    public static ObjectNode json(List<RoutingAnalysis.Domain> domains) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        if (domains.isEmpty()) return root;
        RoutingStats s0 = domains.getFirst().stats();
        root.put("num_experts", s0.numExperts()).put("top_k", s0.k())
                .put("random_first_choice", RoutingStats.firstChoiceBaseline(s0.numExperts()))
                .put("random_topk_overlap", RoutingStats.overlapBaseline(s0.numExperts(), s0.k()));
        ObjectNode out = root.putObject("domains");
        for (RoutingAnalysis.Domain d : domains) {
            ArrayNode layers = out.putObject(d.name()).putArray("layers");
            for (int l = 0; l < d.stats().layers(); l++) {
                ObjectNode o = layers.addObject();
                o.put("layer", l).put("tokens", d.stats().tokens(l)).put("pairs", d.stats().pairs(l))
                        .put("first_choice_repeat", d.stats().firstChoiceRepeat(l)).put("topk_overlap", d.stats().topKOverlap(l));
                ArrayNode shares = o.putArray("expert_shares");
                for (int e = 0; e < d.stats().numExperts(); e++) shares.add(d.stats().share(l, e));
            }
        }
        return root;
    }
}
