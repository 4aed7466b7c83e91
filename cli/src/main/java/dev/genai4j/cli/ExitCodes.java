package dev.genai4j.cli;

import dev.genai4j.data.DataException;
import dev.genai4j.data.MissingDataException;
import dev.genai4j.data.images.MissingImageDataException;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine;

import java.io.FileNotFoundException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.channels.ClosedByInterruptException;

/**
 * The exit codes of every {@code genai4j} command, defined once so scripts can rely on them.
 * A command either returns one of these or throws; {@link #of} maps the exception's class.
 * <pre>{@code
 * genai4j ner --model nope --labels person "x"; echo $?   # 4: model folder not found
 * }</pre>
 */
final class ExitCodes {
    private ExitCodes() {}

    /** Success; for {@code check}, also: every tensor matched. */
    static final int OK = 0;
    /** The command ran and failed: an internal error, a failed check, an I/O failure. */
    static final int FAILURE = 1;
    /** The command line itself is wrong: picocli's code for usage errors, also for an argument value a command rejects. */
    static final int USAGE = CommandLine.ExitCode.USAGE;
    /** The input or data is malformed: wrong shapes, a bad checkpoint or config, unreadable images, bad JSON. */
    static final int BAD_INPUT = 3;
    /** A model folder, model name, data file or corpus is not there. */
    static final int MISSING = 4;
    /** Stopped by Ctrl-C or an interrupt (128 + SIGINT, as shells report it). */
    static final int INTERRUPTED = 130;

    /** The table printed at the end of {@code genai4j --help} (and kept in the README). */
    static final String[] FOOTER = {
            "",
            "Exit codes:",
            "  0    ok",
            "  1    runtime failure (internal error, I/O error, a 'check' that failed)",
            "  2    usage error (unknown option, missing argument, a value rejected)",
            "  3    bad input or data (shapes, malformed checkpoint/config/JSON, image)",
            "  4    missing model or data (no such model folder or name, no corpus)",
            "  130  interrupted (Ctrl-C)",
            "Errors print one line on stderr; -v adds the stack trace. Results go to",
            "stdout (--json: only JSON); progress, warnings and logs go to stderr.",
    };

    /** The exit code for a failure that ended a command. */
    static int of(Throwable e) {
        // the hub client's failures, by what a script can do about them
        if (e instanceof dev.genai4j.io.hub.HubNotCachedException) return MISSING;
        if (e instanceof dev.genai4j.io.hub.HubIntegrityException) return BAD_INPUT;
        if (e instanceof dev.genai4j.io.hub.HubUnreachableException) return FAILURE;
        if (e instanceof dev.genai4j.io.hub.InvalidHubIdException || e instanceof dev.genai4j.io.hub.HubHttpException) return USAGE;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException || t instanceof ClosedByInterruptException) {
                return INTERRUPTED;
            }
            if (t instanceof MissingModelException || t instanceof MissingDataException || t instanceof MissingImageDataException
                    || t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
                return MISSING;
            }
        }
        // picocli's own, and the argument checks of commands and APIs (IllegalArgumentException:
        // "--labels names no classes", "temperature must be > 0"): the command line has to change
        if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException) return USAGE;
        if (e instanceof TensorException || e instanceof DataException || e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            return BAD_INPUT;
        }
        if (e instanceof UncheckedIOException u && u.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            return BAD_INPUT;
        }
        return FAILURE;
    }

    /** True for the typed, user-facing errors whose message is the whole story (no stack trace needed). */
    static boolean expected(Throwable e) {
        int c = of(e);
        return c == BAD_INPUT || c == MISSING || c == INTERRUPTED || c == USAGE || e instanceof java.io.IOException
                || e instanceof UncheckedIOException;
    }
}
