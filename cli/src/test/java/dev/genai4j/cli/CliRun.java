package dev.genai4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs {@code genai4j} in-process for tests, capturing what the command writes to picocli's out and
 * err writers; the exit code goes into {@code rc[0]}.
 *
 * <pre>{@code
 * int[] rc = new int[1];
 * String[] outErr = CliRun.outErr(rc, "ner", "--help");
 * }</pre>
 */
final class CliRun {
    private CliRun() {}

    /** {stdout, stderr} of one in-process run. */
    static String[] outErr(int[] rc, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        rc[0] = cl.execute(args);
        return new String[]{out.toString(), err.toString()};
    }

    /** stdout followed by stderr of one in-process run. */
    static String combined(int[] rc, String... args) {
        String[] r = outErr(rc, args);
        return r[0] + r[1];
    }
}
