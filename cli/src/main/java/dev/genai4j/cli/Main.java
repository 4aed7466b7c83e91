package dev.genai4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code genai4j} command line. Each task is one subcommand with the same name as the
 * Java API it calls; {@code genai4j COMMAND --help} shows a runnable example.
 */
@Command(name = "genai4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
                "Generative-AI models in pure Java: tensors, autograd and kernels of our own.",
                "",
                "Example:  genai4j bench gemm --quick"
        },
        subcommands = {CheckCommand.class, FillMaskCommand.class, BenchCommand.class, ImportCommand.class, ModelsCommand.class, EmbedCommand.class, SearchCommand.class,
                NerCommand.class, ClipCommand.class, ServeCommand.class, TrainCommand.class, EvalCommand.class, GenerateCommand.class,
                MoeCommand.class, PointeCommand.class, Img2PcCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // SLF4J (used by libraries underneath) stays quiet unless the user asks for more.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // DJL probes for CUDA on start and warns when there is none: not news on a CPU machine.
        if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "error");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (tests drive it directly). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"genai4j " + (v == null ? "0.1.0-SNAPSHOT" : v) + " on Java " + Runtime.version()};
        }
    }
}
