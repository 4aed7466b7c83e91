package dev.genai4j.io.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Where the hub is, who we are to it and where its files are kept. {@link #fromEnvironment()}
 * reads the same variables as the hub's Python client, so both share one cache and one token:
 * {@code HF_ENDPOINT} (default {@code https://huggingface.co}), {@code HF_TOKEN} else the file
 * {@code HF_TOKEN_PATH} (default {@code $HF_HOME/token}), {@code HF_HUB_CACHE} (default
 * {@code $HF_HOME/hub}, {@code HF_HOME} defaulting to {@code ~/.cache/huggingface}) and
 * {@code HF_HUB_OFFLINE=1}.
 *
 * <p>The token is a secret: {@link #toString()} says only whether one is set, and every message the
 * client builds passes through {@link #redact}.
 *
 * <pre>{@code
 * HubConfig c = HubConfig.fromEnvironment().withToken(cliToken).withOffline(offlineFlag);
 * Path folder = new HubClient(c).snapshot(HubModelId.parse("hf:org/name"));
 * }</pre>
 *
 * @param endpoint       base URL without a trailing slash
 * @param token          bearer token or {@code null}
 * @param cacheDir       the hub cache folder holding {@code models--org--name} folders
 * @param offline        resolve from the cache only, never touch the network
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout    how long a request may wait for response headers
 * @param retries        how many times a broken transfer is resumed before giving up
 */
public record HubConfig(String endpoint, String token, Path cacheDir, boolean offline, Duration connectTimeout, Duration readTimeout,
                        int retries) {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    public HubConfig {
        if (endpoint == null || endpoint.isBlank()) endpoint = DEFAULT_ENDPOINT;
        endpoint = endpoint.strip();
        while (endpoint.endsWith("/")) endpoint = endpoint.substring(0, endpoint.length() - 1);
        URI u;
        try {
            u = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new HubException("hub endpoint '" + HubModelId.clip(endpoint) + "' is not a URL; expected e.g. " + DEFAULT_ENDPOINT);
        }
        if (!("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme())) || u.getHost() == null
                || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new HubException("hub endpoint '" + HubModelId.clip(endpoint) + "' must be an http(s) URL with a host and no user, query"
                    + " or fragment; expected e.g. " + DEFAULT_ENDPOINT);
        }
        if (token != null) {
            token = token.strip();
            if (token.isEmpty()) token = null;
        }
        if (token != null) {
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                // header injection guard; the message must not echo the token
                if (c < 0x21 || c > 0x7e) throw new HubException("the hub token contains a space, control or non-ASCII character at position " + i);
            }
        }
        if (cacheDir == null) throw new HubException("hub cache folder is not set");
        if (connectTimeout == null) connectTimeout = Duration.ofSeconds(10);
        if (readTimeout == null) readTimeout = Duration.ofSeconds(30);
        if (retries < 0) throw new HubException("hub retries must be >= 0, got " + retries);
    }

    /** The configuration the process environment and the user's home describe. */
    public static HubConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The configuration {@code env} and {@code home} describe (tests pass their own). */
    public static HubConfig fromEnvironment(Map<String, String> env, Path home) {
        Path hfHome = firstPath(env, home, "HF_HOME");
        if (hfHome == null) {
            Path xdg = firstPath(env, home, "XDG_CACHE_HOME");
            hfHome = (xdg != null ? xdg : home.resolve(".cache")).resolve("huggingface");
        }
        Path cache = firstPath(env, home, "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE");
        if (cache == null) cache = hfHome.resolve("hub");
        String token = nonBlank(env.get("HF_TOKEN"));
        if (token == null) token = nonBlank(env.get("HUGGING_FACE_HUB_TOKEN"));
        if (token == null) {
            Path tokenFile = firstPath(env, home, "HF_TOKEN_PATH");
            token = readToken(tokenFile != null ? tokenFile : hfHome.resolve("token"));
        }
        boolean offline = isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("TRANSFORMERS_OFFLINE"));
        return new HubConfig(env.get("HF_ENDPOINT"), token, cache, offline, null, null, 5);
    }

    public HubConfig withEndpoint(String e) { return new HubConfig(e, token, cacheDir, offline, connectTimeout, readTimeout, retries); }

    /** {@code t == null} keeps the current token (so an absent {@code --token} changes nothing). */
    public HubConfig withToken(String t) { return t == null ? this : new HubConfig(endpoint, t, cacheDir, offline, connectTimeout, readTimeout, retries); }

    public HubConfig withoutToken() { return new HubConfig(endpoint, null, cacheDir, offline, connectTimeout, readTimeout, retries); }

    public HubConfig withCacheDir(Path d) { return new HubConfig(endpoint, token, d, offline, connectTimeout, readTimeout, retries); }

    /** {@code true} forces offline; {@code false} keeps what the environment said. */
    public HubConfig withOffline(boolean o) { return new HubConfig(endpoint, token, cacheDir, offline || o, connectTimeout, readTimeout, retries); }

    public HubConfig withTimeouts(Duration connect, Duration read) { return new HubConfig(endpoint, token, cacheDir, offline, connect, read, retries); }

    public HubConfig withRetries(int r) { return new HubConfig(endpoint, token, cacheDir, offline, connectTimeout, readTimeout, r); }

    /** {@code text} with every occurrence of the token replaced by {@code ***}. */
    public String redact(String text) {
        if (text == null || token == null) return text;
        return text.replace(token, "***");
    }

    @Override
    public String toString() {
        return "HubConfig[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set") + ", cacheDir=" + cacheDir
                + ", offline=" + offline + ", retries=" + retries + "]";
    }

    private static Path firstPath(Map<String, String> env, Path home, String... names) {
        for (String n : names) {
            String v = nonBlank(env.get(n));
            if (v != null) return v.equals("~") ? home : v.startsWith("~/") ? home.resolve(v.substring(2)) : Path.of(v);
        }
        return null;
    }

    private static String readToken(Path file) {
        try {
            return Files.isRegularFile(file) ? nonBlank(Files.readString(file, StandardCharsets.UTF_8)) : null;
        } catch (IOException e) {
            return null;   // an unreadable token file is the same as none: public models still work
        }
    }

    private static String nonBlank(String s) { return s == null || s.isBlank() ? null : s.strip(); }

    private static boolean isTrue(String s) {
        return s != null && switch (s.strip().toUpperCase(Locale.ROOT)) {
            case "1", "ON", "YES", "TRUE" -> true;
            default -> false;
        };
    }
}
