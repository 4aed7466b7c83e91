package dev.genai4j.cli;

import dev.genai4j.io.hub.HubConfig;
import picocli.CommandLine.Option;

/**
 * The options of every command that accepts a hub model id ({@code --model hf:org/name[@rev]}):
 * offline mode, token and endpoint. Anything not given comes from the same environment the hub's
 * Python client reads ({@code HF_HUB_OFFLINE}, {@code HF_TOKEN}, {@code HF_ENDPOINT}, {@code HF_HOME}).
 */
final class HubOptions {
    @Option(names = "--offline", description = "use hf: models from the hub cache only, never the network (also HF_HUB_OFFLINE=1)")
    boolean offline;

    @Option(names = "--token", paramLabel = "T", description = "hub token for private or gated hf: models (better: HF_TOKEN, which stays out of 'ps')")
    String token;

    @Option(names = "--hub-endpoint", paramLabel = "URL", description = "hub base URL (default: $HF_ENDPOINT, else https://huggingface.co)")
    String endpoint;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "hub cache folder (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub)")
    java.nio.file.Path cacheDir;

    @Option(names = "--quiet-download", description = "no download progress bar")
    boolean quiet;

    /** The environment's configuration with these options laid over it. */
    HubConfig config() {
        HubConfig c = HubConfig.fromEnvironment().withToken(token).withOffline(offline);
        if (cacheDir != null) c = c.withCacheDir(cacheDir);
        return endpoint == null ? c : c.withEndpoint(endpoint);
    }
}
