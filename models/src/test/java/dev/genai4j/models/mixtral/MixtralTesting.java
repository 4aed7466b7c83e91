package dev.genai4j.models.mixtral;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.check.FixtureCase;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared helpers of the Mixtral tests: the copied reference cases and edited configs. */
final class MixtralTesting {
    private MixtralTesting() {}

    static Path fixture(String name) {
        try {
            return Path.of(MixtralTesting.class.getResource("/fixtures/mixtral/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The case's config with {@code edit} applied to its JSON. */
    static MixtralConfig config(String name, Consumer<ObjectNode> edit) {
        ObjectNode tree = JsonConfig.read(fixture(name).resolve("config.json")).tree();
        edit.accept(tree);
        return MixtralConfig.fromJson(JsonConfig.parse(tree.toString(), name + "/config.json (edited)"));
    }

    /** The case's prompt row {@code r} without its padding. */
    static int[] prompt(String name, int r) {
        FixtureCase c = FixtureCase.load(fixture(name));
        int[][] ids = MixtralCheck.matrix(c.inputs().get("input_ids"), "input_ids", c);
        int[][] mask = MixtralCheck.matrix(c.inputs().get("attention_mask"), "attention_mask", c);
        return java.util.stream.IntStream.range(0, ids[r].length).filter(i -> mask[r][i] != 0).map(i -> ids[r][i]).toArray();
    }

    /** The reference greedy continuation of row {@code r}. */
    static int[] greedy(String name, int r) {
        FixtureCase c = FixtureCase.load(fixture(name));
        var t = c.expected().get("greedy_tokens");
        float[] d = t.toFloatArray();
        int n = t.size(1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = (int) d[r * n + i];
        return out;
    }

    static void assertClose(float[] expected, float[] actual, float atol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= atol, what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
