package dev.genai4j.cli;

import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.gliner.GlinerConfig;
import dev.genai4j.models.gliner.GlinerModel;
import dev.genai4j.models.gliner.train.DefaultGliner;
import dev.genai4j.models.gliner.train.GlinerTrainer;
import dev.genai4j.tensor.TensorException;
import dev.genai4j.text.HfTokenizer;
import dev.genai4j.text.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j eval gliner}: exact-span P/R/F1 of a GLiNER folder on a silver-set folder. */
@Command(name = "gliner",
        mixinStandardHelpOptions = true,
        description = {
                "Evaluates a GLiNER folder (default: the shipped model) on a NER data folder as built by",
                "'genai4j train gliner' (train/dev/test/zeroshot.json, silver.json): exact-span precision,",
                "recall and F1 per type and micro-averaged, on dev and test with the coarse types",
                "(person, location, organization, event) and with each text's own types + sampled others,",
                "and zero-shot on the held-out types; each beside a capitalised-words baseline.",
                "Writes the numbers as JSON with --json-out. A run folder that is still training (no",
                "model.safetensors yet) is evaluated at its last checkpoint.",
                "",
                "Example:  genai4j eval gliner --data runs/gliner/data",
                "          genai4j eval gliner --model runs/gliner --data runs/gliner/data --examples 0"
        })
final class EvalGlinerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|hf:ID", description = "GLiNER folder (default: the shipped model)"
            + "; or a hub model hf:org/name[@rev] (see genai4j models download)")
    Path model;

    @Mixin
    HubOptions hub;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "NER data folder (train/dev/test/zeroshot.json, silver.json)")
    Path data;

    @Option(names = "--examples", paramLabel = "N", description = "texts per split, 0 = all (default ${DEFAULT-VALUE})")
    int examples = 500;

    @Option(names = "--threshold", paramLabel = "P", description = "decoding threshold (default ${DEFAULT-VALUE})")
    double threshold = 0.5;

    @Option(names = "--json-out", paramLabel = "FILE", description = "also write the scores as JSON")
    Path jsonOut;

    @Option(names = "--json", description = "print the scores as JSON on stdout (the table goes to stderr)")
    boolean json;

    @Override
    public Integer call() {
        model = ModelLocator.locate(model, hub);   // hf:org/name[@rev] -> its snapshot folder in the hub cache
        PrintWriter err = spec.commandLine().getErr();
        try {
            Path dir = model != null ? model : DefaultGliner.folder();
            if (!java.nio.file.Files.exists(dir.resolve("model.safetensors")) && java.nio.file.Files.exists(dir.resolve("checkpoint/config.json"))) {
                // a run still training: join its last checkpoint's heads with the backbone
                Path ck = dir.resolve("checkpoint");
                dir = DefaultGliner.assemble(java.nio.file.Files.readAllBytes(ck.resolve("model.safetensors")),
                        java.nio.file.Files.readAllBytes(ck.resolve("config.json")), dir.resolve("checkpoint-model"));
                (json ? System.err : System.out).println("eval gliner: model assembled from " + ck + " into " + dir);
            }
            GlinerConfig cfg = GlinerConfig.from(JsonConfig.read(dir.resolve("gliner_config.json")));
            try (Tokenizer tok = HfTokenizer.load(dir); SafetensorsWeights w = Weights.open(dir.resolve("model.safetensors"))) {
                int cls = cfg.classTokenIndex() >= 0 ? cfg.classTokenIndex() : tok.tokenToId(cfg.entToken());
                GlinerModel m = GlinerModel.load(w, cfg, cls);
                var scores = GlinerTrainer.evaluate(m, tok, cfg, data, examples, threshold, json ? Logging.progressStream() : System.out);
                if (jsonOut != null) GlinerTrainer.writeEvalFile(jsonOut, scores);
                if (json) printJson(scores);
            }
            return 0;
        } catch (TensorException | IllegalArgumentException | dev.genai4j.data.DataException | java.io.IOException e) {
            err.println("eval gliner: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }

    /** The same JSON as --json-out, on stdout (written through the trainer's one writer, so the two never differ). */
    private static void printJson(java.util.Map<String, dev.genai4j.models.gliner.train.NerEvaluator.Scores> scores) throws java.io.IOException {
        Path tmp = java.nio.file.Files.createTempFile("genai4j-eval-gliner", ".json");
        try {
            GlinerTrainer.writeEvalFile(tmp, scores);
            System.out.print(java.nio.file.Files.readString(tmp));
            System.out.flush();
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }
}
