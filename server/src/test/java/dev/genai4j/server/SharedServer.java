package dev.genai4j.server;

import java.net.URI;
import java.util.List;

/**
 * One server for the test classes that only read from it (one JVM runs them all): MiniLM, the tiny
 * GLiNER, ModernBERT, Mixtral and CLIP under the test model root, the shipped diffusion model, a tiny Point-E, no API key, small limits so oversized fields
 * are cheap to send.
 */
final class SharedServer {
    static final Limits LIMITS = new Limits(64 * 1024, 2_000, 16, 8, 50, 20, 64, 256 * 1024, 1_000_000, 4);
    private static Genai4jServer server;

    private SharedServer() {}

    static synchronized Genai4jServer get() {
        if (server == null) {
            server = Genai4jServer.start(ServerConfig.builder().port(0).modelRoot(TestModels.root())
                    .nerModel("gliner-tiny").fillMaskModel("modernbert-tiny").lmModel("moe-tiny").clipModel("clip-tiny").pointeModel("pointe-tiny").limits(LIMITS).build(), List.of());
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    static URI uri() { return get().uri(); }
}
