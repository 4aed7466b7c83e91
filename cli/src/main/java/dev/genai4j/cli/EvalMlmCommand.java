package dev.genai4j.cli;

import dev.genai4j.models.mlm.MlmEvaluator;
import dev.genai4j.models.mlm.MlmFolderEval;
import dev.genai4j.models.mlm.MlmTrainer;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j eval mlm}: held-out masked-token accuracy and perplexity against the unigram baseline. */
@Command(name = "mlm",
        mixinStandardHelpOptions = true,
        description = {
                "Scores a folder written by 'genai4j train mlm' on the held-out prose and code of its corpus:",
                "masked-token accuracy and perplexity (30 %% masking, fixed seed) next to the unigram-frequency",
                "baseline. Prints a table and writes JSON (default: DIR/eval.json).",
                "",
                "Example:  genai4j eval mlm --model runs/mlm"
        })
final class EvalMlmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "trained MLM folder")
    Path model;

    @Option(names = "--json-out", paramLabel = "FILE", description = "where to write the JSON (default DIR/eval.json)")
    Path jsonOut;

    @Option(names = "--json", description = "print the scores as JSON on stdout instead of the table")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try {
            List<MlmEvaluator.Result> results = MlmFolderEval.evaluate(model,
                    run -> MlmTrainer.standardCorpus(run.corpusBytes(), run.sampleRate()), Logging.progressStream());
            Path target = jsonOut != null ? jsonOut : model.resolve(MlmTrainer.EVAL_FILE);
            String text = MlmEvaluator.json(results).toPrettyString() + "\n";
            dev.genai4j.data.shapes.OutputFiles.write(target, os -> os.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            out.print(json ? MlmEvaluator.json(results).toPrettyString() + "\n" : MlmEvaluator.table(results));
            out.flush();
            return 0;
        } catch (TensorException | IllegalArgumentException | dev.genai4j.data.DataException e) {
            err.println("eval mlm: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }
}
