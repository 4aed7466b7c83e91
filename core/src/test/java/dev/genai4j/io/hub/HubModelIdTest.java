package dev.genai4j.io.hub;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hub ids, file names and configuration: parsing, refusals and the environment. */
class HubModelIdTest {
    @Test
    void parsesRepoAndRevision() {
        HubModelId id = HubModelId.parse("hf:urchade/gliner_small-v2.1@v1.0");
        assertEquals("urchade/gliner_small-v2.1", id.repo());
        assertEquals("v1.0", id.revision());
        assertEquals("models--urchade--gliner_small-v2.1", id.cacheFolderName());
        assertEquals("main", HubModelId.parse("hf:org/name").revision());
        assertEquals("gpt2", HubModelId.parse("HF:gpt2").repo());
        assertEquals("refs/pr/1", HubModelId.parse("hf:org/name@refs/pr/1").revision());
        assertTrue(HubModelId.parse("hf:org/name@0123456789abcdef0123456789abcdef01234567").isCommitHash());
        assertFalse(HubModelId.parse("hf:org/name@main").isCommitHash());
    }

    @Test
    void refusesTraversalAbsolutePathsAndBadCharacters() {
        for (String bad : List.of("hf:", "hf:../etc", "hf:/etc/passwd", "hf:org/../x", "hf:a/b/c", "hf:org/name@../../x",
                "hf:org/name@", "hf:org--x/y", "hf:org/na..me", "hf:org/name@a//b", "hf:org/name@/abs", "hf:org/name@x/.",
                "hf:org/na me", "hf:org/name\n", "hf:-org/name", "hf:org/name.git", "hf:org\\name", "org/name", "hf:org/name@v1@v2")) {
            assertThrows(InvalidHubIdException.class, () -> HubModelId.parse(bad), bad);
        }
        assertTrue(assertThrows(InvalidHubIdException.class, () -> HubModelId.parse("hf:org/na..me")).getMessage().contains("'..'"));
    }

    @Test
    void refusesFileNamesThatLeaveTheSnapshot() {
        for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "a//b", "a\\b", "./x", "c:x", "")) {
            assertThrows(InvalidHubIdException.class, () -> HubCache.checkFileName(bad), bad);
        }
        assertEquals("1_Pooling/config.json", HubCache.checkFileName("1_Pooling/config.json"));
        assertThrows(HubException.class, () -> HubCache.checkEtag("../x"));
        assertThrows(HubException.class, () -> HubCache.checkCommit("abc"));
    }

    @Test
    void configComesFromTheSameVariablesAsPython() throws Exception {
        Path home = Path.of("/home/u");
        HubConfig d = HubConfig.fromEnvironment(Map.of(), home);
        assertEquals("https://huggingface.co", d.endpoint());
        assertEquals(home.resolve(".cache/huggingface/hub"), d.cacheDir());
        assertFalse(d.offline());
        assertNull(d.token());

        assertEquals(Path.of("/data/hf/hub"), HubConfig.fromEnvironment(Map.of("HF_HOME", "/data/hf"), home).cacheDir());
        assertEquals(Path.of("/x/hub"), HubConfig.fromEnvironment(Map.of("HF_HOME", "/data/hf", "HF_HUB_CACHE", "/x/hub"), home).cacheDir());
        assertEquals(Path.of("/xdg/huggingface/hub"), HubConfig.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg"), home).cacheDir());
        HubConfig e = HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "http://mirror.local:8080/", "HF_TOKEN", "hf_abc", "HF_HUB_OFFLINE", "true"), home);
        assertEquals("http://mirror.local:8080", e.endpoint());
        assertEquals("hf_abc", e.token());
        assertTrue(e.offline());
        assertEquals("HubConfig[endpoint=http://mirror.local:8080, token=set, cacheDir=/home/u/.cache/huggingface/hub, offline=true, retries=5]",
                e.toString());
        assertEquals("Bearer ***", e.redact("Bearer hf_abc"));

        Path tmp = java.nio.file.Files.createTempDirectory("hfhome");
        try {
            java.nio.file.Files.writeString(tmp.resolve("token"), "hf_fromfile\n");
            assertEquals("hf_fromfile", HubConfig.fromEnvironment(Map.of("HF_HOME", tmp.toString()), home).token());
            assertEquals("hf_env", HubConfig.fromEnvironment(Map.of("HF_HOME", tmp.toString(), "HF_TOKEN", "hf_env"), home).token());
        } finally {
            java.nio.file.Files.delete(tmp.resolve("token"));
            java.nio.file.Files.delete(tmp);
        }
        assertThrows(HubException.class, () -> d.withEndpoint("ftp://x"));
        HubException inj = assertThrows(HubException.class, () -> d.withToken("hf_a\r\nX-Evil: 1"));
        assertFalse(inj.getMessage().contains("hf_a"));
    }

    @Test
    void defaultSelectionSkipsOtherFrameworksAndPicklesBesideSafetensors() {
        List<String> files = List.of("config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5", "flax_model.msgpack",
                "onnx/model.onnx", "tokenizer.json", "1_Pooling/config.json", "README.md");
        assertEquals(List.of("config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json", "README.md"),
                FileSelection.defaults().select(files));
        assertEquals(List.of("config.json", "pytorch_model.bin"), FileSelection.defaults().select(List.of("config.json", "pytorch_model.bin")));
        assertEquals(List.of("onnx/model.onnx"), FileSelection.globs(List.of("onnx/**")).select(files));
        assertEquals(List.of("config.json", "tokenizer.json"), FileSelection.globs(List.of("*.json")).select(files));
    }
}
