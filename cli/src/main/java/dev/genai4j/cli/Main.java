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
                "Examples: genai4j ner --labels person,location \"Marie Curie was born in Warsaw.\"",
                "          genai4j embed --json \"A cat sits on the mat.\"     (-v and -q go before or after the command)",
                "          genai4j bench gemm --quick"
        },
        subcommands = {CheckCommand.class, FillMaskCommand.class, BenchCommand.class, ImportCommand.class, ModelsCommand.class, EmbedCommand.class, SearchCommand.class,
                NerCommand.class, ClipCommand.class, ServeCommand.class, TrainCommand.class, EvalCommand.class, GenerateCommand.class,
                MoeCommand.class, PointeCommand.class, Txt2ImgCommand.class, RlCommand.class, Img2PcCommand.class, Txt2PcCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "more logging on stderr (repeat: -vv debug, -vvv trace); stack traces on errors")
    boolean[] verbose = new boolean[0];

    @CommandLine.Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "errors only: no warnings, progress bars or progress lines")
    boolean quiet;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (tests drive it directly). */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine cl = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpWidth(120).setUsageHelpAutoWidth(true);   // examples are long lines: wrap them late
        examplesLast(cl);
        String[] examples = cl.getCommandSpec().usageMessage().footer();
        String[] footer = java.util.Arrays.copyOf(examples, examples.length + ExitCodes.FOOTER.length);
        System.arraycopy(ExitCodes.FOOTER, 0, footer, examples.length, ExitCodes.FOOTER.length);
        cl.getCommandSpec().usageMessage().footer(footer);
        cl.setExecutionStrategy(pr -> {
            Logging.configure(main.verbose.length, main.quiet);
            if (!helpRequested(pr)) ModelCheck.require(pr);
            return new CommandLine.RunLast().execute(pr);
        });
        cl.setExecutionExceptionHandler(Main::report);
        cl.setExitCodeExceptionMapper(ExitCodes::of);
        return cl;
    }

    /** One line on stderr per failure ("ner: ..."), the stack trace only with -v; the exit code from {@link ExitCodes}. */
    static int report(Exception e, CommandLine cmd, CommandLine.ParseResult pr) {
        java.io.PrintWriter err = cmd.getErr();
        String who = cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^genai4j ?", "");
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean named = who.isEmpty() || msg.startsWith(who + ":") || msg.startsWith(cmd.getCommandName() + ":");
        boolean expected = ExitCodes.expected(e);
        String line = (named ? "" : who + ": ") + (expected ? "" : "internal error (" + e.getClass().getSimpleName() + "): ") + msg;
        err.println(line);
        if (Logging.verbosity() > 0) e.printStackTrace(err);
        else if (!expected) err.println("(run with -v for the stack trace)");
        err.flush();
        return ExitCodes.of(e);
    }

    /**
     * Moves each command's "Example:" lines from its description to its footer, so that every
     * {@code --help} ends with a runnable example (after the options), wherever the command wrote it.
     */
    static void examplesLast(CommandLine cl) {
        var usage = cl.getCommandSpec().usageMessage();
        String[] d = usage.description();
        int at = -1;
        for (int i = 0; i < d.length && at < 0; i++) if (d[i].strip().startsWith("Example")) at = i;
        if (at >= 0 && usage.footer().length == 0) {
            int end = at;
            while (end > 0 && d[end - 1].isBlank()) end--;
            usage.description(java.util.Arrays.copyOfRange(d, 0, end));
            String[] footer = new String[d.length - at + 1];
            footer[0] = "";
            System.arraycopy(d, at, footer, 1, d.length - at);
            usage.footer(footer);
        }
        for (CommandLine sub : cl.getSubcommands().values()) examplesLast(sub);
    }

    private static boolean helpRequested(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult p = pr; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) return true;
        }
        return false;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"genai4j " + (v == null ? "0.1.0-SNAPSHOT" : v) + " on Java " + Runtime.version()};
        }
    }
}
