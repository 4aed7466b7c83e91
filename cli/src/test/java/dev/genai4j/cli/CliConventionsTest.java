package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.data.MissingDataException;
import dev.genai4j.tensor.ShapeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every command promises: exit codes by error class, help examples, JSON on stdout, -v/-q, progress lines. */
class CliConventionsTest {
    private final String savedLevel = System.getProperty(Logging.DEFAULT_LEVEL);

    @AfterEach
    void restoreLevel() {
        if (savedLevel == null) System.clearProperty(Logging.DEFAULT_LEVEL); else System.setProperty(Logging.DEFAULT_LEVEL, savedLevel);
        Logging.configure(0, false);
        if (savedLevel == null) System.clearProperty(Logging.DEFAULT_LEVEL); else System.setProperty(Logging.DEFAULT_LEVEL, savedLevel);
    }

    /** Runs the CLI; [0] = picocli's stdout + System.out, [1] = stderr. */
    private static String[] run(int[] rc, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream(), sysErr = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
        try {
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            rc[0] = cl.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[]{out + sysOut.toString(StandardCharsets.UTF_8), err + sysErr.toString(StandardCharsets.UTF_8)};
    }

    private static void leaves(CommandLine cl, List<CommandLine> into) {
        if (cl.getCommandName().equals("help")) return;
        if (cl.getSubcommands().isEmpty()) into.add(cl);
        for (CommandLine sub : cl.getSubcommands().values()) leaves(sub, into);
    }

    @Test
    void everyCommandsHelpEndsWithARunnableExample() {
        List<CommandLine> all = new ArrayList<>();
        leaves(Main.commandLine(), all);
        assertTrue(all.size() >= 30, "walked " + all.size() + " commands");
        List<String> missing = new ArrayList<>();
        for (CommandLine cl : all) {
            String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            String name = cl.getCommandSpec().qualifiedName(" ");
            // the footer (the end of --help, after the options) starts with the example and names the command
            String footer = String.join("\n", cl.getCommandSpec().usageMessage().footer());
            if (!footer.strip().startsWith("Example") || !footer.contains(name) || usage.lastIndexOf("Example") < usage.indexOf("Show this help message")) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "commands whose --help shows no 'Example: genai4j ...'");
    }

    /** picocli formats help text with String.format: a bare "%" (as in "20 % of") prints a warning and breaks %n. */
    @Test
    void everyHelpTextIsAValidFormatString() {
        List<CommandLine> all = new ArrayList<>();
        leaves(Main.commandLine(), all);
        List<String> bad = new ArrayList<>();
        for (CommandLine cl : all) {
            var spec = cl.getCommandSpec();
            List<String> lines = new ArrayList<>(List.of(spec.usageMessage().description()));
            lines.addAll(List.of(spec.usageMessage().footer()));
            for (var option : spec.options()) lines.addAll(List.of(option.description()));
            for (String line : lines) {
                try {
                    String.format(line.replace("${DEFAULT-VALUE}", "x").replace("${COMPLETION-CANDIDATES}", "x"));
                } catch (java.util.IllegalFormatException e) {
                    bad.add(spec.qualifiedName(" ") + ": " + line);
                }
            }
        }
        assertEquals(List.of(), bad, "help lines with a bare % (write %% for a percent sign)");
    }

    @Test
    void topLevelHelpDocumentsTheExitCodes() {
        int[] rc = new int[1];
        String out = run(rc, "--help")[0];
        assertEquals(0, rc[0]);
        for (String line : new String[]{"Exit codes:", "2    usage error", "3    bad input", "4    missing model", "130  interrupted"}) {
            assertTrue(out.contains(line), line + " in\n" + out);
        }
    }

    @Test
    void usageErrorIs2() {
        int[] rc = new int[1];
        run(rc, "ner", "--labels", "person", "--no-such-option", "x");
        assertEquals(ExitCodes.USAGE, rc[0]);
        run(rc, "fill-mask", "text");   // required --model missing
        assertEquals(2, rc[0]);
    }

    @Test
    void missingModelFolderIs4WithOneLineAndNoStackTrace(@TempDir Path dir) {
        int[] rc = new int[1];
        Path nope = dir.resolve("nope");
        for (String[] cmd : new String[][]{
                {"ner", "--model", nope.toString(), "--labels", "person", "Marie Curie"},
                {"fill-mask", "--model", nope.toString(), "Paris is the [MASK] of France."},
                {"clip", "embed", "--model", nope.toString(), "a cat"},
                {"embed", "--model", "no-such-model", "hello"},
                {"check", nope.toString()}}) {
            String[] r = run(rc, cmd);
            assertEquals(ExitCodes.MISSING, rc[0], String.join(" ", cmd) + ": " + r[1]);
            assertEquals(1, r[1].strip().lines().count(), r[1]);
            assertTrue(r[1].startsWith(cmd[0] + (cmd[0].equals("clip") ? " embed" : "") + ": "), r[1]);
            assertFalse(r[1].contains("\tat "), r[1]);
        }
    }

    @Test
    void withVerboseAnErrorCarriesItsStackTrace(@TempDir Path dir) {
        int[] rc = new int[1];
        String[] r = run(rc, "-v", "ner", "--model", dir.resolve("nope").toString(), "--labels", "person", "x");
        assertEquals(4, rc[0]);
        assertTrue(r[1].contains("\tat dev.genai4j.cli."), r[1]);
    }

    @Test
    void malformedInputIs3(@TempDir Path dir) throws Exception {
        // a model folder that is there but holds a broken config
        Files.writeString(dir.resolve("config.json"), "{ not json");
        Files.writeString(dir.resolve("model.safetensors"), "garbage");
        int[] rc = new int[1];
        String[] r = run(rc, "check", dir.toString());
        assertEquals(ExitCodes.BAD_INPUT, rc[0], r[1]);
        r = run(rc, "fill-mask", "--model", dir.toString(), "Paris is the [MASK] of France.");
        assertEquals(ExitCodes.BAD_INPUT, rc[0], r[1]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
    }

    @Test
    void exitCodesFollowTheErrorClass() {
        assertEquals(3, ExitCodes.of(new ShapeException("matmul: [2, 3] x [4, 5]")));
        assertEquals(2, ExitCodes.of(new IllegalArgumentException("--top must be at least 1")));
        assertEquals(4, ExitCodes.of(new MissingDataException("WordNet", Path.of("/nope/data.noun"), "apt-get install wordnet")));
        assertEquals(4, ExitCodes.of(new UncheckedIOException(new NoSuchFileException("/nope"))));
        assertEquals(4, ExitCodes.of(new MissingModelException("ner: model folder not found: /nope")));
        assertEquals(130, ExitCodes.of(new RuntimeException(new InterruptedException())));
        assertEquals(1, ExitCodes.of(new IllegalStateException("a bug")));
        assertTrue(ExitCodes.expected(new ShapeException("x")));
        assertFalse(ExitCodes.expected(new NullPointerException()));
    }

    @Test
    void jsonOutputIsJsonAndNothingElse() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int[] rc = new int[1];
        String[] r = run(rc, "check", "--json", "../models/src/test/resources/fixtures/bert/tiny_random_fp32");
        assertEquals(0, rc[0], r[1]);
        JsonNode check = json.readTree(r[0]);
        assertTrue(check.get(0).get("ok").asBoolean(), r[0]);
        assertEquals(2, check.get(0).get("tensors").size());

        r = run(rc, "models", "list", "--json");
        assertEquals(0, rc[0], r[1]);
        JsonNode models = json.readTree(r[0]);
        assertEquals(4, models.size());
        assertEquals("all-minilm-l6-v2", models.get(0).get("name").asText());

        r = run(rc, "embed", "--json", "A cat sits on the mat.", "A dog runs.");
        assertEquals(0, rc[0], r[1]);
        JsonNode emb = json.readTree(r[0]).get("embeddings");
        assertEquals(2, emb.size());
        assertEquals(384, emb.get(0).size());
        double norm = 0;
        for (JsonNode x : emb.get(0)) norm += x.asDouble() * x.asDouble();
        assertEquals(1.0, norm, 1e-3, "embeddings are L2-normalized");
    }

    @Test
    void pointeScoreJsonMatchesItsTable(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Path set = dir.resolve("set");
        String[] r = run(rc, "pointe", "data", "-n", "1", "-o", set.toString(), "--points", "300", "--views", "0", "--seed", "3");
        assertEquals(0, rc[0], r[1]);
        JsonNode first = new ObjectMapper().readTree(Files.readAllLines(set.resolve("captions.jsonl")).get(0));
        String ply = set.resolve(first.get("ply").asText()).toString(), caption = first.get("caption").asText();
        r = run(rc, "pointe", "score", ply, "--caption", caption, "--json");
        assertEquals(0, rc[0], r[1]);
        JsonNode j = new ObjectMapper().readTree(r[0]);
        assertEquals(300, j.get("points").asInt());
        String[] table = run(rc, "pointe", "score", ply, "--caption", caption);
        assertTrue(table[0].contains("colour      " + j.get("colour").asText() + " (prompted " + j.get("prompted_colour").asText()), table[0]);
        assertTrue(j.get("chamfer").asDouble() >= 0 && j.get("baseline_chamfer").asDouble() > 0, r[0]);
    }

    @Test
    void verboseAndQuietSetTheSlf4jLevel() {
        int[] rc = new int[1];
        System.clearProperty(Logging.DEFAULT_LEVEL);
        run(rc, "models", "list");
        assertEquals("warn", System.getProperty(Logging.DEFAULT_LEVEL), "quiet by default: warnings only");
        run(rc, "-v", "models", "list");
        assertEquals("info", System.getProperty(Logging.DEFAULT_LEVEL));
        assertEquals(1, Logging.verbosity());
        run(rc, "models", "list", "-vv");   // after the command too, repeatable
        assertEquals("debug", System.getProperty(Logging.DEFAULT_LEVEL));
        run(rc, "-q", "models", "list");
        assertEquals("error", System.getProperty(Logging.DEFAULT_LEVEL));
        assertTrue(Logging.quiet());
        assertEquals(Progress.Mode.OFF, Progress.mode(false), "-q silences progress");
        assertEquals(0, rc[0]);
    }

    @Test
    void progressLinesCarryCountRateAndEta() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (Progress p = new Progress("ner", 10, "lines", Progress.Mode.LINES, ps, 0)) {
            p.step(4);
            p.step(1);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());   // two steps + the closing line
        assertTrue(lines.get(1).startsWith("ner: 5/10 lines (50%), "), lines.get(1));
        assertTrue(lines.get(1).matches(".*, [0-9.]+ lines/s, ETA [0-9?]+.*"), lines.get(1));
        assertEquals("1:01:05", Progress.clock(3665));
        assertEquals("2:05", Progress.clock(125));

        buf.reset();
        try (Progress p = new Progress("ner", 10, "lines", Progress.Mode.OFF, ps, 0)) {
            p.step(10);
        }
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
        assertEquals(Progress.Mode.OFF, Progress.mode(true), "--json silences progress");
    }
}
