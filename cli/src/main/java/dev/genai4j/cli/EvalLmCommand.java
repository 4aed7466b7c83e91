package dev.genai4j.cli;

import dev.genai4j.data.TextCorpus;
import dev.genai4j.models.mixtral.LmEvaluator;
import dev.genai4j.models.mixtral.LmFolderEval;
import dev.genai4j.models.mixtral.MixtralTrainer;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j eval lm}: held-out perplexity per domain against an add-k bigram baseline. */
@Command(name = "lm",
        mixinStandardHelpOptions = true,
        description = {
                "Scores a folder written by 'genai4j train lm' (the final folder, or its checkpoint/ subfolder",
                "during a run) on the held-out documents of each corpus domain: next-token perplexity next to",
                "an add-k (k = 0.1) smoothed bigram model of the same training tokens. Prints a table and",
                "writes JSON (default: DIR/eval.json).",
                "",
                "Example:  genai4j eval lm --model runs/moe"
        })
final class EvalLmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "trained LM folder or its checkpoint/")
    Path model;

    @Option(names = "--json-out", paramLabel = "FILE", description = "where to write the JSON (default DIR/eval.json)")
    Path jsonOut;

    @Option(names = "--json", description = "print the scores as JSON on stdout instead of the table")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try {
            List<LmEvaluator.Result> results = LmFolderEval.evaluate(model,
                    run -> TextCorpus.standard(run.corpusBytes(), run.sampleRate()), Logging.progressStream());
            Path target = jsonOut != null ? jsonOut : model.resolve(MixtralTrainer.EVAL_FILE);
            String text = LmEvaluator.json(results).toPrettyString() + "\n";
            dev.genai4j.data.shapes.OutputFiles.write(target, os -> os.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            out.print(json ? LmEvaluator.json(results).toPrettyString() + "\n" : LmEvaluator.table(results));
            out.flush();
            return 0;
        } catch (TensorException | IllegalArgumentException | dev.genai4j.data.DataException e) {
            err.println("eval lm: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
