package dev.genai4j.cli;

import dev.genai4j.models.bert.onnx.BertOnnxImporter;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j import …}: converts checkpoints from other formats into HF folders. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        description = {"Converts a checkpoint from another format into a Hugging Face folder.", "",
                "Example:  genai4j import onnx all-minilm-l6-v2.onnx --tokenizer tokenizer.json -o models/minilm"},
        subcommands = {ImportCommand.Onnx.class})
final class ImportCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    @Command(name = "onnx",
            mixinStandardHelpOptions = true,
            description = {
                    "Imports a BERT-family ONNX export (MiniLM, BGE, E5 …) as a Hugging Face BertModel folder:",
                    "config.json (inferred from the graph), model.safetensors (fp32, HF names; the anonymous",
                    "MatMul weights are named through the graph and transposed to [out, in]) and tokenizer.json.",
                    "int8 dynamically quantized files (the '-q' variants) are DEQUANTIZED to fp32 on import:",
                    "w = (q - zero_point) * scale, per tensor or per output column.",
                    "The output folder must not exist (or be empty); it appears whole or not at all.",
                    "",
                    "Example:  genai4j import onnx all-minilm-l6-v2.onnx --tokenizer all-minilm-l6-v2-tokenizer.json -o models/minilm",
                    "          genai4j embed --model models/minilm \"hello world\""
            })
    static final class Onnx implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the ONNX file")
        Path onnx;

        @Option(names = "--tokenizer", required = true, paramLabel = "tokenizer.json", description = "the model's HF tokenizer.json, copied into the folder")
        Path tokenizer;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "the folder to create")
        Path out;

        @Option(names = "--json", description = "print {\"onnx\", \"folder\"} instead of the sentence")
        boolean json;

        @Override
        public Integer call() {
            try {
                if (!json && !Logging.quiet()) System.err.println("importing " + onnx + " ...");
                Path dir;
                Progress[] bar = new Progress[1];   // started once the graph is read and the tensor count known
                try {
                    dir = BertOnnxImporter.importTo(onnx, tokenizer, out, java.util.Map.<String, String>of(), (done, total) -> {
                        if (bar[0] == null) bar[0] = Progress.start("import onnx", total, "tensors", json);
                        bar[0].stepTo(done);
                    });
                } finally {
                    if (bar[0] != null) bar[0].close();
                }
                System.out.println(json ? new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .put("onnx", onnx.toString()).put("folder", dir.toString()).toPrettyString() : "imported " + onnx + " -> " + dir);
                return 0;
            } catch (TensorException e) {
                System.err.println("import onnx: " + e.getMessage());
                return ExitCodes.of(e);
            }
        }
    }
}
