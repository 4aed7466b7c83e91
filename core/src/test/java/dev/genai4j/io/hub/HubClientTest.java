package dev.genai4j.io.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub client against {@link FakeHub} on loopback: layout, resume, checks, offline, refs, token, errors. */
class HubClientTest {
    static final String C1 = "1111111111111111111111111111111111111111";
    static final String C2 = "2222222222222222222222222222222222222222";
    static final String TOKEN = "hf_sekritTOKEN0123456789";

    @TempDir Path cacheDir;
    FakeHub hub;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final List<HubClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        files.put("config.json", "{\"hidden_size\": 8}".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", random(300_000, 1));
        files.put("tokenizer.json", "{\"model\": {}}".getBytes(StandardCharsets.UTF_8));
        files.put("tf_model.h5", random(500, 2));
        files.put("sub/notes.txt", "nested".getBytes(StandardCharsets.UTF_8));
        hub.publish(C1, files, "main");
    }

    @AfterEach
    void stop() {
        clients.forEach(HubClient::close);
        hub.close();
    }

    HubConfig config() {
        return new HubConfig(hub.endpoint(), null, cacheDir, false, Duration.ofSeconds(2), Duration.ofSeconds(5), 0);
    }

    HubClient client(HubConfig c) {
        HubClient h = new HubClient(c);
        clients.add(h);
        return h;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    Path repo() { return cacheDir.resolve("models--acme--tiny-model"); }

    @Test
    void snapshotLandsInTheHubCacheLayoutWithRelativeLinksToBlobs() throws IOException {
        Path snap = client(config()).snapshot(HubModelId.parse("hf:acme/tiny-model"));

        assertEquals(repo().resolve("snapshots").resolve(C1), snap);
        assertEquals(C1, Files.readString(repo().resolve("refs/main")));
        String sha = FakeHub.sha256(files.get("model.safetensors"));
        assertTrue(Files.isSymbolicLink(snap.resolve("model.safetensors")));
        assertEquals(Path.of("../../blobs/" + sha), Files.readSymbolicLink(snap.resolve("model.safetensors")));
        assertEquals(Path.of("../../blobs/" + FakeHub.gitSha1(files.get("config.json"))), Files.readSymbolicLink(snap.resolve("config.json")));
        assertEquals(Path.of("../../../blobs/" + FakeHub.gitSha1(files.get("sub/notes.txt"))), Files.readSymbolicLink(snap.resolve("sub/notes.txt")));
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "sub/notes.txt")) {
            assertArrayEquals(files.get(f), Files.readAllBytes(snap.resolve(f)), f);
        }
        assertFalse(Files.exists(snap.resolve("tf_model.h5")), "TensorFlow weights are not fetched by default");
        try (Stream<Path> s = Files.list(repo().resolve("blobs"))) {
            assertEquals(4, s.peek(p -> assertFalse(p.toString().endsWith(".incomplete"))).count());
        }
        assertEquals(1, hub.cdnGets.get());
    }

    @Test
    void aSecondSnapshotReusesTheCacheWithoutTransfers() {
        HubClient c = client(config());
        Path first = c.snapshot(HubModelId.parse("hf:acme/tiny-model"));
        Path second = c.snapshot(HubModelId.parse("hf:acme/tiny-model@main"));
        assertEquals(first, second);
        assertEquals(1, hub.cdnGets.get());
        long gets = hub.seen.stream().filter(s -> s.method().equals("GET") && s.path().contains("/resolve/")).count();
        assertEquals(3, gets, "each small file once; the LFS file comes from the CDN");
    }

    @Test
    void aCutTransferLeavesAnIncompleteFileThatTheNextRunResumesWithRange() throws IOException {
        hub.cutNextCdnTransferAfter = 100_000;
        HubClient c = client(config());   // retries = 0: the break surfaces
        HubException e = assertThrows(HubException.class, () -> c.snapshot(HubModelId.parse("hf:acme/tiny-model")));
        String sha = FakeHub.sha256(files.get("model.safetensors"));
        Path incomplete = repo().resolve("blobs/" + sha + ".incomplete");
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("resume"), e.getMessage());
        long kept = Files.size(incomplete);   // what reached us before the cut (the client may lose the last buffer)
        assertTrue(kept > 0 && kept <= 100_000, "kept " + kept);

        Path snap = c.snapshot(HubModelId.parse("hf:acme/tiny-model"));
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(snap.resolve("model.safetensors")));
        assertFalse(Files.exists(incomplete));
        assertTrue(hub.seen.stream().anyMatch(s -> s.server().equals("cdn") && ("bytes=" + kept + "-").equals(s.range())), hub.seen.toString());
    }

    @Test
    void aCutTransferIsResumedWithinOneCallWhenRetriesAreAllowed() throws IOException {
        hub.cutNextCdnTransferAfter = 77_777;
        List<String> notes = new ArrayList<>();
        DownloadProgress p = new DownloadProgress() {
            @Override public void started(String file, long total, long resumedFrom) {}
            @Override public void advanced(long bytesSoFar) {}
            @Override public void finished(String file) {}
            @Override public void note(String m) { notes.add(m); }
        };
        Path snap = client(config().withRetries(2)).snapshot(HubModelId.parse("hf:acme/tiny-model"), FileSelection.defaults(), p);
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(snap.resolve("model.safetensors")));
        assertTrue(hub.seen.stream().anyMatch(s -> s.range() != null), hub.seen.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("broke at byte")), notes.toString());
    }

    @Test
    void aStalledTransferIsCutByTheWatchdogAndResumed() throws IOException {
        hub.stallNextCdnTransferAfter = 60_000;
        List<String> notes = new ArrayList<>();
        DownloadProgress p = new DownloadProgress() {
            @Override public void started(String file, long total, long resumedFrom) {}
            @Override public void advanced(long bytesSoFar) {}
            @Override public void finished(String file) {}
            @Override public void note(String m) { notes.add(m); }
        };
        HubConfig c = config().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(400)).withRetries(1);
        Path snap = client(c).snapshot(HubModelId.parse("hf:acme/tiny-model"), FileSelection.defaults(), p);
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(snap.resolve("model.safetensors")));
        assertTrue(notes.stream().anyMatch(n -> n.contains("broke at byte 60000") && n.contains("no data for 400 ms")), notes.toString());
        assertTrue(hub.seen.stream().anyMatch(s -> "bytes=60000-".equals(s.range())));
    }

    @Test
    void aServerThatIgnoresRangeMakesTheDownloadStartOverCorrectly() throws IOException {
        hub.cutNextCdnTransferAfter = 50_000;
        hub.honourRange = false;
        HubClient c = client(config());
        assertThrows(HubException.class, () -> c.snapshot(HubModelId.parse("hf:acme/tiny-model")));
        Path snap = c.snapshot(HubModelId.parse("hf:acme/tiny-model"));
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(snap.resolve("model.safetensors")));
    }

    @Test
    void bytesThatDoNotHashToTheLfsEtagAreRefusedAndDeleted() {
        String sha = FakeHub.sha256(files.get("model.safetensors"));
        byte[] tampered = files.get("model.safetensors").clone();
        tampered[12345] ^= 1;
        hub.lfs.put(sha, tampered);

        HubIntegrityException e = assertThrows(HubIntegrityException.class,
                () -> client(config()).snapshot(HubModelId.parse("hf:acme/tiny-model")));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("SHA-256 mismatch")
                && e.getMessage().contains(sha) && e.getMessage().contains(FakeHub.sha256(tampered)), e.getMessage());
        assertFalse(Files.exists(repo().resolve("blobs/" + sha)));
        assertFalse(Files.exists(repo().resolve("blobs/" + sha + ".incomplete")));
        assertFalse(Files.exists(repo().resolve("snapshots/" + C1 + "/model.safetensors")));
    }

    @Test
    void offlineResolvesFromRefsAndSnapshotsWithoutTheNetworkAndNamesWhatIsMissing() {
        Path online = client(config()).snapshot(HubModelId.parse("hf:acme/tiny-model"));
        int requests = hub.seen.size();
        hub.close();   // no server at all now

        HubConfig offline = HubConfig.fromEnvironment(Map.of("HF_HUB_CACHE", cacheDir.toString(), "HF_HUB_OFFLINE", "1"), cacheDir);
        assertTrue(offline.offline());
        HubClient c = client(offline);
        assertEquals(online, c.snapshot(HubModelId.parse("hf:acme/tiny-model")));
        assertEquals(online, c.snapshot(HubModelId.parse("hf:acme/tiny-model@" + C1)));
        assertEquals(requests, hub.seen.size());

        HubNotCachedException rev = assertThrows(HubNotCachedException.class, () -> c.snapshot(HubModelId.parse("hf:acme/tiny-model@v2")));
        assertTrue(rev.getMessage().contains("'v2'") && rev.getMessage().contains("[main]") && rev.getMessage().contains(C1), rev.getMessage());
        HubNotCachedException repo = assertThrows(HubNotCachedException.class, () -> c.snapshot(HubModelId.parse("hf:acme/other")));
        assertTrue(repo.getMessage().contains("models--acme--other") && repo.getMessage().contains("genai4j models download"), repo.getMessage());
    }

    @Test
    void revisionsGetRefsAndShareUnchangedBlobs() throws IOException {
        Map<String, byte[]> v2 = new LinkedHashMap<>(files);
        v2.put("config.json", "{\"hidden_size\": 16}".getBytes(StandardCharsets.UTF_8));
        hub.publish(C2, v2, "v2", "refs/pr/1");
        HubClient c = client(config());

        Path main = c.snapshot(HubModelId.parse("hf:acme/tiny-model"));
        Path second = c.snapshot(HubModelId.parse("hf:acme/tiny-model@v2"));
        Path pr = c.snapshot(HubModelId.parse("hf:acme/tiny-model@refs/pr/1"));
        Path pinned = c.snapshot(HubModelId.parse("hf:acme/tiny-model@" + C1));

        assertEquals(repo().resolve("snapshots/" + C2), second);
        assertEquals(second, pr);
        assertEquals(main, pinned);
        assertEquals(C2, Files.readString(repo().resolve("refs/v2")));
        assertEquals(C2, Files.readString(repo().resolve("refs/refs/pr/1")));
        assertFalse(Files.exists(repo().resolve("refs/" + C1)), "a commit revision needs no ref");
        assertEquals("{\"hidden_size\": 16}", Files.readString(second.resolve("config.json")));
        assertEquals(1, hub.cdnGets.get(), "the unchanged LFS blob is linked, not fetched again");
        assertTrue(hub.seen.stream().anyMatch(s -> s.path().equals("/api/models/acme/tiny-model/revision/refs%2Fpr%2F1")));
        HubHttpException missing = assertThrows(HubHttpException.class, () -> c.snapshot(HubModelId.parse("hf:acme/tiny-model@nope")));
        assertEquals(404, missing.status());
        assertEquals("RevisionNotFound", missing.errorCode());
    }

    @Test
    void theTokenReachesOnlyTheHubAndNeverAMessage() {
        hub.requiredToken = TOKEN;
        HubHttpException none = assertThrows(HubHttpException.class, () -> client(config()).snapshot(HubModelId.parse("hf:acme/tiny-model")));
        assertEquals(401, none.status());
        assertTrue(none.getMessage().contains("HF_TOKEN"), none.getMessage());

        String wrong = "hf_wrongTOKENabcdef987";
        HubHttpException bad = assertThrows(HubHttpException.class,
                () -> client(config().withToken(wrong)).snapshot(HubModelId.parse("hf:acme/tiny-model")));
        assertTrue(bad.getMessage().contains("Invalid credentials") && bad.getMessage().contains("***"), bad.getMessage());
        assertFalse(bad.getMessage().contains(wrong), bad.getMessage());

        HubConfig good = config().withToken(TOKEN);
        assertFalse(good.toString().contains(TOKEN));
        Path snap = client(good).snapshot(HubModelId.parse("hf:acme/tiny-model"));
        assertTrue(Files.isRegularFile(snap.resolve("model.safetensors")));
        assertTrue(hub.seen.stream().filter(s -> s.server().equals("hub")).allMatch(s -> s.authorization() == null
                || s.authorization().equals("Bearer " + TOKEN) || s.authorization().equals("Bearer " + wrong)));
        assertTrue(hub.seen.stream().filter(s -> s.server().equals("cdn")).allMatch(s -> s.authorization() == null),
                "the signed CDN URL must not get the token");

        HubUnreachableException down = assertThrows(HubUnreachableException.class,
                () -> client(good.withEndpoint("http://127.0.0.1:" + deadPort())).snapshot(HubModelId.parse("hf:acme/tiny-model")));
        assertFalse(down.getMessage().contains(TOKEN));
        Throwable t = down;
        while (t != null) {
            assertFalse(String.valueOf(t.getMessage()).contains(TOKEN));
            t = t.getCause();
        }
    }

    @Test
    void anUnreachableHubSaysWhetherOfflineWouldHelp() throws IOException {
        HubConfig dead = config().withEndpoint("http://127.0.0.1:" + deadPort());
        HubUnreachableException cold = assertThrows(HubUnreachableException.class,
                () -> client(dead).snapshot(HubModelId.parse("hf:acme/tiny-model")));
        assertTrue(cold.getMessage().startsWith("cannot reach http://127.0.0.1:") && cold.getMessage().contains("nothing of hf:acme/tiny-model@main is cached"),
                cold.getMessage());

        Path snap = client(config()).snapshot(HubModelId.parse("hf:acme/tiny-model"));
        HubUnreachableException warm = assertThrows(HubUnreachableException.class,
                () -> client(dead).snapshot(HubModelId.parse("hf:acme/tiny-model")));
        assertTrue(warm.getMessage().contains("--offline") && warm.getMessage().contains(snap.toString()), warm.getMessage());
    }

    @Test
    void hostileNamesFromTheServerAreRefused() {
        Map<String, byte[]> evil = new LinkedHashMap<>();
        evil.put("config.json", "{}".getBytes(StandardCharsets.UTF_8));
        evil.put("../../../escaped.txt", "x".getBytes(StandardCharsets.UTF_8));
        hub.publish(C2, evil, "evil");
        assertThrows(InvalidHubIdException.class, () -> client(config()).snapshot(HubModelId.parse("hf:acme/tiny-model@evil")));
        assertFalse(Files.exists(cacheDir.resolve("escaped.txt")));
        assertFalse(Files.exists(repo().resolve("escaped.txt")));

        hub.publish("../../../../tmp/x", Map.of("config.json", "{}".getBytes(StandardCharsets.UTF_8)), "weird");
        HubException commit = assertThrows(HubException.class, () -> client(config()).snapshot(HubModelId.parse("hf:acme/tiny-model@weird")));
        assertTrue(commit.getMessage().contains("unusable commit hash"), commit.getMessage());
        assertFalse(Files.exists(cacheDir.resolve("../../../tmp/x")));
    }

    @Test
    void serversWithoutTheListingApiAreProbedForTheUsualFiles() throws IOException {
        hub.noApi = true;
        Path snap = client(config()).snapshot(HubModelId.parse("hf:acme/tiny-model"));
        assertEquals(repo().resolve("snapshots/" + C1), snap);
        assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(snap.resolve("model.safetensors")));
        assertArrayEquals(files.get("tokenizer.json"), Files.readAllBytes(snap.resolve("tokenizer.json")));
        assertEquals(C1, Files.readString(repo().resolve("refs/main")));
        assertFalse(Files.exists(snap.resolve("sub/notes.txt")), "only well-known names can be found without a listing");
    }

    @Test
    void oneFileCanBeFetchedAlone() throws IOException {
        HubClient c = client(config());
        Path p = c.downloadFile(HubModelId.parse("hf:acme/tiny-model"), "tf_model.h5", DownloadProgress.NONE);
        assertEquals(repo().resolve("snapshots/" + C1 + "/tf_model.h5"), p);
        assertArrayEquals(files.get("tf_model.h5"), Files.readAllBytes(p));
        HubHttpException e = assertThrows(HubHttpException.class,
                () -> c.downloadFile(HubModelId.parse("hf:acme/tiny-model"), "absent.bin", DownloadProgress.NONE));
        assertEquals(404, e.status());
        assertEquals("EntryNotFound", e.errorCode());
    }

    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
