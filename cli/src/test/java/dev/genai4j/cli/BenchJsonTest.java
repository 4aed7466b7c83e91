package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code bench ... --json}: the result lines' figures as JSON, and a real (tiny) benchmark run. */
class BenchJsonTest {
    @Test
    void aResultLineBecomesAnObjectWithNumbers() {
        ObjectNode g = BenchJson.parse("gemm M=256 N=256 K=256 threads=1 ours=88.1 openblas=95.0 ratio=0.93");
        assertEquals("gemm", g.get("name").asText());
        assertEquals(256, g.get("M").asLong());
        assertTrue(g.get("M").isIntegralNumber());
        assertEquals(0.93, g.get("ratio").asDouble());

        ObjectNode q = BenchJson.parse("quant 1x4096x4096 threads=2 f32_ms=1.500 bf16=1.85x q4=3.10x");
        assertEquals("1x4096x4096", q.get("label").asText());
        assertEquals(2, q.get("threads").asInt());
        assertEquals(1.85, q.get("bf16").asDouble());

        ObjectNode m = BenchJson.parse("moe side=jlama mode=q4 failed: java.lang.IllegalStateException: rank=3 expected");
        assertEquals("q4", m.get("mode").asText());
        assertEquals("failed: java.lang.IllegalStateException: rank=3 expected", m.get("note").asText());
        assertFalse(m.has("rank"));

        ObjectNode r = BenchJson.parse("moe ratio mode=bf16 threads=1 prefill_ours_over_jlama=NaN");
        assertEquals("ratio", r.get("label").asText());
        assertTrue(r.get("prefill_ours_over_jlama").isNull());
    }

    @Test
    void headersAndSentencesAreNotResults() {
        assertFalse(BenchJson.isResult("# OpenBLAS 0.3.31, kernel chosen by its own CPU detection"));
        assertFalse(BenchJson.isResult("bench serve: in-process server http://127.0.0.1:1234, queue 64"));
        assertFalse(BenchJson.isResult(""));
        assertTrue(BenchJson.isResult("clipvit impl=genai4j batch=1 threads=1 img_s=3.21 ms_per_batch=311.5"));
        JsonNode all = BenchJson.of("x", List.of("# note", "a k=1", "b k=2.5"));
        assertEquals(2, all.get("results").size());
        assertEquals(2.5, all.get("results").get(1).get("k").asDouble());
    }

    @Test
    void benchGemmJsonCarriesTheFiguresOfItsLines() throws Exception {
        int[] rc = new int[1];
        String[] args = {"bench", "gemm", "--quick", "--sizes", "32,1x48x64", "--threads", "1"};
        String[] r = JsonProgressTest.run(rc, with(args, "--json"));
        assertEquals(0, rc[0], r[1]);
        JsonNode j = new ObjectMapper().readTree(r[0]);   // the whole of stdout is one JSON object
        assertEquals("gemm", j.get("bench").asText());
        assertEquals(2, j.get("results").size(), j.toString());
        JsonNode cube = j.get("results").get(0), decode = j.get("results").get(1);
        assertEquals(List.of(32, 32, 32, 1), List.of(cube.get("M").asInt(), cube.get("N").asInt(), cube.get("K").asInt(), cube.get("threads").asInt()));
        assertEquals(List.of(1, 48, 64), List.of(decode.get("M").asInt(), decode.get("N").asInt(), decode.get("K").asInt()));
        for (JsonNode d : j.get("results")) {
            // figures, not speeds: a 32³ product on a loaded machine can print as 0.0 GFLOP/s (one decimal)
            for (String k : new String[]{"ours", "openblas", "ratio"}) assertTrue(d.get(k).isNumber() && d.get(k).asDouble() >= 0, k + " in " + d);
            // ratio = ours / openblas as the line prints them (two decimals), where the rounded figures allow the check
            if (d.get("ours").asDouble() >= 1 && d.get("openblas").asDouble() >= 1) {
                assertEquals(d.get("ours").asDouble() / d.get("openblas").asDouble(), d.get("ratio").asDouble(), 0.06 * d.get("ratio").asDouble() + 0.01, d.toString());
            }
        }
        assertTrue(r[1].contains("# OpenBLAS"), "the header stays on stderr: " + r[1]);
    }

    @Test
    void benchServeJsonHasTheLoadTestFigures() throws Exception {
        var report = new dev.genai4j.server.LoadTest.Report(2, 0.5, 40, 38, 2, 0, 0, 0, 80.0, 80.0, 10.5, 12.0, 20.25, 25.0, 1_000_000, 1_200_000);
        java.io.StringWriter out = new java.io.StringWriter();
        ServeBenchCommand.printJson(new java.io.PrintWriter(out), java.net.URI.create("http://127.0.0.1:9/"), true, report,
                JsonResult.of("queue", 64, "requests_per_forward", 1.5));
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertEquals("serve", j.get("bench").asText());
        assertTrue(j.get("in_process").asBoolean());
        assertEquals(2, j.get("clients").asInt());
        assertEquals(40, j.get("requests").asLong());
        assertEquals(2, j.get("busy503").asLong());
        assertEquals(20.25, j.get("p99").asDouble());
        assertEquals(1_200_000, j.get("heapAfter").asLong());
        assertEquals(64, j.get("queue").asInt());
        assertEquals(1.5, j.get("requests_per_forward").asDouble());
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
