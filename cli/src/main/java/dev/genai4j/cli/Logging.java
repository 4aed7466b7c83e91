package dev.genai4j.cli;

/**
 * How chatty this run is: {@code -v} (repeatable) and {@code -q}, set once per command line by
 * {@link Main} before the command runs. Everything logs through SLF4J (slf4j-simple, on stderr;
 * our own {@code System.Logger} calls arrive there through slf4j-jdk-platform-logging), so one
 * level governs all of it. Quiet by default: warnings and errors only.
 * <pre>{@code
 * genai4j -v ner --labels person "Marie Curie"    # info
 * genai4j -vv ...                                 # debug, stack traces on errors
 * }</pre>
 */
final class Logging {
    private Logging() {}

    static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private static volatile int verbosity;
    private static volatile boolean quiet;

    /** Sets the level for this run; an explicit -Dorg.slf4j.simpleLogger.defaultLogLevel wins when neither -v nor -q is given. */
    static void configure(int verbosity, boolean quiet) {
        Logging.verbosity = verbosity;
        Logging.quiet = quiet;
        if (verbosity > 0 || quiet || System.getProperty(DEFAULT_LEVEL) == null) {
            System.setProperty(DEFAULT_LEVEL, level(verbosity, quiet));
        }
        // DJL probes for CUDA on start and warns when there is none: not news on a CPU machine, unless asked
        setUnlessGiven("org.slf4j.simpleLogger.log.ai.djl", verbosity >= 2 ? level(verbosity, quiet) : "error");
        // the clip commands print their own one-line truncation warning (ClipCli.warnTruncated)
        setUnlessGiven("org.slf4j.simpleLogger.log.dev.genai4j.models.clip.ClipTextBatch", verbosity >= 1 ? level(verbosity, quiet) : "error");
    }

    /** The SLF4J level name for the flags: -q error, default warn, -v info, -vv debug, -vvv trace. */
    static String level(int verbosity, boolean quiet) {
        if (quiet) return "error";
        return switch (Math.min(verbosity, 3)) {
            case 0 -> "warn";
            case 1 -> "info";
            case 2 -> "debug";
            default -> "trace";
        };
    }

    static int verbosity() { return verbosity; }

    /** True with -q: no progress bars or progress lines, only results and errors. */
    static boolean quiet() { return quiet; }

    /** Where a trainer's progress lines go: stderr, or nowhere with -q. */
    static java.io.PrintStream progressStream() {
        return quiet ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : System.err;
    }

    private static final java.util.Set<String> OURS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static void setUnlessGiven(String key, String value) {
        if (System.getProperty(key) == null || OURS.contains(key)) {
            System.setProperty(key, value);
            OURS.add(key);
        }
    }
}
