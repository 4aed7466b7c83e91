package dev.genai4j.cli;

import dev.genai4j.models.mixtral.ExpertSharePlot;
import dev.genai4j.models.mixtral.MixtralForCausalLM;
import dev.genai4j.models.mixtral.RoutingAnalysis;
import dev.genai4j.models.mixtral.RoutingHtml;
import dev.genai4j.models.mixtral.RoutingReport;
import dev.genai4j.tensor.TensorException;
import dev.genai4j.text.HfTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genai4j moe routing}: the Mixtral paper's §5 routing analysis on any Mixtral folder. */
@Command(name = "routing",
        mixinStandardHelpOptions = true,
        description = {
                "Routing analysis of a Mixtral checkpoint (arXiv 2401.04088 section 5) on one text file per domain:",
                "per layer, the share of assignments each expert receives (Figure 7, expert-shares.png), the",
                "proportion of consecutive tokens whose first-choice expert repeats and whose top-k sets",
                "intersect (Table 5, printed beside the uniform-routing baselines) and the text coloured by",
                "first-choice expert (Figure 8, routing.html). Also writes routing.json.",
                "",
                "Example:  genai4j moe routing runs/moe --domain prose=prose.txt --domain code=Foo.java --out runs/routing"
        })
final class MoeRoutingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Mixtral folder (config.json, safetensors, tokenizer.json)")
    Path model;

    @Option(names = "--domain", required = true, paramLabel = "NAME=FILE", description = "a domain and its UTF-8 text file (repeatable)")
    Map<String, Path> domains = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "DIR", description = "where the PNG, HTML and JSON go (default ${DEFAULT-VALUE})")
    Path out = Path.of("routing");

    @Option(names = "--window", paramLabel = "T", description = "tokens per forwarded window (default ${DEFAULT-VALUE})")
    int window = 128;

    @Option(names = "--max-tokens", paramLabel = "N", description = "tokens analyzed per domain at most (default ${DEFAULT-VALUE})")
    int maxTokens = 16384;

    @Option(names = "--batch", paramLabel = "B", description = "windows per forward (default ${DEFAULT-VALUE})")
    int batch = 8;

    @Option(names = "--json", description = "print routing.json's content on stdout instead of the tables")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try (MixtralForCausalLM lm = MixtralForCausalLM.load(model);
             HfTokenizer tok = HfTokenizer.load(model.resolve("tokenizer.json"))) {
            List<RoutingAnalysis.Domain> results = new ArrayList<>();
            for (var e : domains.entrySet()) {
                String text;
                try {
                    text = Files.readString(e.getValue(), StandardCharsets.UTF_8);
                } catch (IOException ex) {
                    throw new IllegalArgumentException("cannot read domain '" + e.getKey() + "' file " + e.getValue() + ": " + ex.getMessage(), ex);
                }
                results.add(RoutingAnalysis.analyze(lm, tok, e.getKey(), text, window, maxTokens, batch));
            }
            Files.createDirectories(out);
            ExpertSharePlot.write(results, out.resolve("expert-shares.png"));
            String html = RoutingHtml.render(results), report = RoutingReport.json(results).toPrettyString() + "\n";
            dev.genai4j.data.shapes.OutputFiles.write(out.resolve("routing.html"), os -> os.write(html.getBytes(StandardCharsets.UTF_8)));
            dev.genai4j.data.shapes.OutputFiles.write(out.resolve("routing.json"), os -> os.write(report.getBytes(StandardCharsets.UTF_8)));
            if (json) {
                o.println(RoutingReport.json(results).toPrettyString());
                o.flush();
                return 0;
            }
            o.println("Expert shares (Figure 7, " + out.resolve("expert-shares.png") + "):");
            o.print(RoutingReport.sharesTable(results));
            o.println();
            o.println("Consecutive tokens routed alike (Table 5):");
            o.print(RoutingReport.table(results));
            o.println("Coloured text (Figure 8): " + out.resolve("routing.html"));
            o.flush();
            return 0;
        } catch (TensorException | IllegalArgumentException | IOException | dev.genai4j.data.DataException e) {
            err.println("moe routing: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
