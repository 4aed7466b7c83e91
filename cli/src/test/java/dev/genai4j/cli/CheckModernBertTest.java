package dev.genai4j.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genai4j check} on every ModernBERT reference case kept in the models module's test resources. */
class CheckModernBertTest {
    @Test
    void everyModernBertCasePasses() {
        Path root = Path.of("../models/src/test/resources/fixtures/modernbert");
        String[] cases = {"classic_fp32", "classic_bf16", "v5_format_fp32"};
        String[] args = new String[cases.length + 1];
        args[0] = "check";
        for (int i = 0; i < cases.length; i++) {
            Path dir = root.resolve(cases[i]);
            assertTrue(Files.isDirectory(dir), "missing " + dir.toAbsolutePath());
            args[i + 1] = dir.toString();
        }
        assertEquals(0, Main.commandLine().execute(args));
    }

    @Test
    void aCaseWithAWrongExpectationFails(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // the fp32 case's inputs and weights against the bf16 case's expected outputs: a real mismatch
        Path src = Path.of("../models/src/test/resources/fixtures/modernbert/classic_fp32");
        for (String f : new String[]{"config.json", "model.safetensors", "inputs.json", "NOTES.md"}) {
            Files.copy(src.resolve(f), tmp.resolve(f));
        }
        Files.copy(src.resolveSibling("classic_bf16").resolve("expected.safetensors"), tmp.resolve("expected.safetensors"));
        assertEquals(1, Main.commandLine().execute("check", tmp.toString()));
    }
}
