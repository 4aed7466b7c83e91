package dev.genai4j.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The genai4j HTTP server (Javalin on Jetty): embeddings ({@code /embed}, OpenAI's
 * {@code /v1/embeddings}), NER, fill-mask, zero-shot image classification, OpenAI's
 * {@code /v1/completions} and {@code /v1/chat/completions} (streaming too), plus {@code /health},
 * {@code /info}, {@code /metrics}, {@code /v1/models} and the browser UI at {@code /}; more
 * endpoints plug in as {@link ServerExtension}s.
 *
 * <p>Every request, on any route: counted in flight (for the graceful stop), checked for the API
 * key when one is set ({@code /health} and the UI's static files excepted), timed into the metrics by route template, and
 * answered with the JSON error shape of {@link ErrorBodies} whenever it fails — unknown routes,
 * Javalin's and Jetty's own errors included. Exceptions are logged here, never sent.
 *
 * <pre>{@code
 * try (Genai4jServer s = Genai4jServer.start(ServerConfig.builder().port(0).build(), List.of())) {
 *     HttpClient.newHttpClient().send(HttpRequest.newBuilder(s.uri().resolve("/health")).build(), ofString());
 * }
 * }</pre>
 */
public final class Genai4jServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Genai4jServer.class);
    private static final String STARTED = "genai4j.started";

    private final ServerConfig config;
    private final ServerContext context;
    private final Javalin app;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private boolean stopped;
    /** How long a stop lets the last answered request's bytes reach the socket. */
    private static final long FLUSH_MILLIS = 50;

    private Genai4jServer(ServerConfig config, List<ServerExtension> extensions) {
        this.config = config;
        Metrics metrics = new Metrics();
        WorkQueue work = new WorkQueue(config.queueCapacity(), config.retryAfterSeconds(), metrics);
        ModelCatalog models = new ModelCatalog(config, metrics);
        this.context = new ServerContext(config, models, work, metrics, new RequestJson(config.limits()));
        metrics.gauge("genai4j_work_queue_depth", "Model requests holding a work-queue slot (waiting or running).", work::depth);
        metrics.gauge("genai4j_work_queue_capacity", "Work-queue slots.", work::capacity);
        metrics.gauge("genai4j_http_in_flight", "HTTP requests being answered now.", inFlight::get);
        metrics.gauge("genai4j_jvm_heap_used_bytes", "JVM heap in use.", Metrics::heapUsedBytes);
        metrics.gauge("genai4j_jvm_heap_max_bytes", "JVM heap limit.", () -> Runtime.getRuntime().maxMemory());

        SystemEndpoints system = new SystemEndpoints(() -> draining);
        List<ServerExtension> all = new ArrayList<>(List.of(system, new EmbeddingEndpoints(), new NerEndpoint(), new FillMaskEndpoint(),
                new GenerationEndpoints(), new ZeroShotEndpoint(), new ImageGenerationEndpoint(), new PointCloudEndpoint(), new UiEndpoints()));
        all.addAll(extensions);
        byte[] key = config.apiKey() == null ? null : config.apiKey().getBytes(StandardCharsets.UTF_8);

        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.http.maxRequestSize = config.limits().maxBodyBytes();
            c.http.prefer405over404 = true;
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            c.router.javaLangErrorHandler((res, error) -> {
                LOG.error("request failed with {}", error.toString(), error);
                res.setStatus(500);
                res.setContentType("application/json");
                try {
                    res.getOutputStream().write(ErrorBodies.of(500, "server_error", "internal_error", null, "internal server error"));
                } catch (java.io.IOException ignored) {
                    // the client is gone
                }
            });
            c.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                inFlight.incrementAndGet();
                if (draining) {
                    ctx.header("Connection", "close");
                    throw ApiException.unavailable("shutting_down", "the server is shutting down", config.retryAfterSeconds());
                }
                if (key != null && !ctx.path().equals("/health") && !UiEndpoints.isPublic(ctx.path())) checkKey(ctx, key);
            });
            // Counted out in the request logger, which Javalin calls after it has written the
            // response: an after-handler runs before the body is written, so a stop waiting on the
            // count could close the connection under a response still on its way (seen in a test).
            c.requestLogger.http((ctx, ms) -> {
                Long t0 = ctx.attribute(STARTED);
                if (t0 == null) return;
                inFlight.decrementAndGet();
                String route = ctx.attribute(Routes.ROUTE);
                context.metrics().request(route == null ? "unmatched" : route, ctx.method().name(), ctx.statusCode(), (System.nanoTime() - t0) / 1e9);
            });
            c.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.status() == 413) drainBody(ctx);   // as below: our 413 must not meet a reset
                Responses.error(ctx, e);
            });
            c.routes.exception(HttpResponseException.class, (e, ctx) -> {
                int s = e.getStatus();
                if (s == 413) drainBody(ctx);
                String message = switch (s) {
                    case 404 -> "no route " + ctx.method().name() + " " + RequestJson.clip(ctx.path(), 100) + "; see GET /info for the routes";
                    case 405 -> "method " + ctx.method().name() + " is not allowed on " + RequestJson.clip(ctx.path(), 100);
                    case 413 -> "the request body is more than the limit of " + config.limits().maxBodyBytes() + " bytes";
                    default -> "HTTP " + s;
                };
                Responses.error(ctx, new ApiException(s >= 400 && s <= 599 ? s : 500, ErrorBodies.typeOf(s), ErrorBodies.codeOf(s), null, message, null));
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method().name(), RequestJson.clip(ctx.path(), 100), e);
                Responses.error(ctx, new ApiException(500, "server_error", "internal_error", null, "internal server error", null));
            });
            Routes routes = new Routes(c.routes);
            for (ServerExtension x : all) x.register(routes, context);
            system.routes(routes.registered());
        });
    }

    /** Starts listening; models load on first use. */
    public static Genai4jServer start(ServerConfig config, List<ServerExtension> extensions) {
        Genai4jServer s = new Genai4jServer(config, extensions);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.context.models().close();
            throw e;
        }
        LOG.info("genai4j server listening on {}", s.uri());
        return s;
    }

    private static void checkKey(Context ctx, byte[] key) {
        String h = ctx.header("Authorization");
        if (h == null) throw ApiException.unauthorized("missing API key; send 'Authorization: Bearer KEY'");
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw ApiException.unauthorized("the Authorization header must be 'Bearer KEY'");
        }
        byte[] given = h.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        // constant time, so the answer's timing says nothing about how much of the key matched
        if (!MessageDigest.isEqual(given, key)) throw ApiException.unauthorized("invalid API key");
    }

    public int port() { return app.port(); }

    public URI uri() {
        String h = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + h + ":" + port());
    }

    public ServerContext context() { return context; }

    public Metrics metrics() { return context.metrics(); }

    /** Requests being answered now. */
    public int inFlight() { return inFlight.get(); }

    /**
     * Graceful stop: new requests get 503 {@code shutting_down}, requests in flight finish (up to
     * {@link ServerConfig#shutdownGraceMillis()}), then the listener and the models close.
     */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        draining = true;
        long deadline = System.nanoTime() + config.shutdownGraceMillis() * 1_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) LOG.warn("stopping with {} requests still in flight after {} ms", inFlight.get(), config.shutdownGraceMillis());
        else pause(FLUSH_MILLIS);   // the last response's bytes leave Jetty's buffers just after our logger ran
        app.stop();
        context.models().close();
        LOG.info("genai4j server stopped");
    }

    /** Bytes of a refused body read and dropped so the client sees our 413, not a reset. */
    private static final int DRAIN_BYTES = 4 << 20;

    /**
     * Reads and drops what is left of a body refused as too large (up to {@link #DRAIN_BYTES}):
     * closing a socket with unread bytes makes the kernel send a reset, which can destroy our 413
     * before the client reads it (seen in the malformed-requests test).
     */
    private static void drainBody(io.javalin.http.Context ctx) {
        try (java.io.InputStream in = ctx.req().getInputStream()) {
            byte[] sink = new byte[16 << 10];
            int total = 0, n;
            while (total < DRAIN_BYTES && (n = in.read(sink)) > 0) total += n;
        } catch (java.io.IOException | RuntimeException ignored) {
            // the client is gone or the body was already consumed: nothing to drain
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() { stop(); }
}
