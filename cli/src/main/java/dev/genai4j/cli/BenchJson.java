package dev.genai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code --json} for the {@code bench ...} commands. Every benchmark prints one result line per
 * case in one shape, {@code NAME [WORD …] key=value key=value …} (that shape is what
 * {@code scripts/bench/*.sh} parse too), so the JSON carries exactly the figures of the text:
 * each line becomes an object, numbers become numbers ({@code "1.85x"} → 1.85), other values stay strings.
 * <pre>{@code
 * // gemm M=256 N=256 K=256 threads=1 ours=88.1 openblas=95.0 ratio=0.93
 * {"bench": "gemm", "results": [{"name": "gemm", "M": 256, "N": 256, "K": 256, "threads": 1, "ours": 88.1, "openblas": 95.0, "ratio": 0.93}]}
 * }</pre>
 */
final class BenchJson {
    private BenchJson() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern RATIO = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)x");

    /**
     * A result line as JSON: the first word is {@code name}; bare words before the first
     * {@code key=value} (a shape such as {@code 1x4096x4096}, {@code ratio}) join into {@code label};
     * a bare word after them starts free text (a failure's message, which may hold '='), kept whole as {@code note}.
     */
    static ObjectNode parse(String line) {
        String[] words = line.strip().split("\\s+");
        ObjectNode o = JSON.createObjectNode().put("name", words[0]);
        StringBuilder label = new StringBuilder(), note = new StringBuilder();
        boolean keys = false;
        for (int i = 1; i < words.length; i++) {
            String w = words[i];
            int eq = w.indexOf('=');
            if (!note.isEmpty()) {
                note.append(' ').append(w);
            } else if (eq > 0) {
                put(o, w.substring(0, eq), w.substring(eq + 1));
                keys = true;
            } else if (!keys) {
                if (!label.isEmpty()) label.append(' ');
                label.append(w);
            } else {
                note.append(w);
            }
        }
        if (!label.isEmpty()) o.put("label", label.toString());
        if (!note.isEmpty()) o.put("note", note.toString());
        return o;
    }

    private static void put(ObjectNode o, String key, String value) {
        if (NUMBER.matcher(value).matches()) {
            if (value.matches("[-+]?\\d+")) {
                try {
                    o.put(key, Long.parseLong(value));
                    return;
                } catch (NumberFormatException tooLong) {
                    // falls through to a double
                }
            }
            o.put(key, Double.parseDouble(value));
        } else if (RATIO.matcher(value).matches()) {
            o.put(key, Double.parseDouble(value.substring(0, value.length() - 1)));
        } else if (value.equals("NaN") || value.equals("Infinity") || value.equals("-Infinity")) {
            o.putNull(key);
        } else {
            o.put(key, value);
        }
    }

    /** A benchmark's run; it may throw what the benchmark throws (ONNX Runtime's, I/O). */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** True for a result line ({@code name key=value …}); headers and notes ({@code # …}, sentences) are not. */
    static boolean isResult(String line) {
        String s = line.strip();
        return !s.isEmpty() && !s.startsWith("#") && s.matches("[A-Za-z][\\w-]*(\\s+\\S+)*\\s+[A-Za-z_][\\w.]*=\\S+.*");
    }

    /** {@code {"bench": bench, "results": [...]}} for these lines (the non-result ones left out). */
    static ObjectNode of(String bench, List<String> lines) {
        ObjectNode root = JSON.createObjectNode().put("bench", bench);
        ArrayNode results = root.putArray("results");
        for (String l : lines) if (isResult(l)) results.add(parse(l));
        return root;
    }

    /**
     * Runs a benchmark that prints its result lines on {@code System.out}. Without {@code json} it just
     * runs. With {@code json} the lines are captured instead of printed (other lines go to stderr, so
     * nothing is lost) and one JSON object is printed on {@code out} at the end.
     */
    static void run(String bench, boolean json, PrintWriter out, Body body) throws Exception {
        if (!json) {
            body.run();
            return;
        }
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.out.flush();
            System.setOut(saved);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        for (String l : lines) {
            if (!isResult(l) && !l.isBlank()) System.err.println(l);
        }
        out.println(of(bench, lines).toPrettyString());
        out.flush();
    }
}
