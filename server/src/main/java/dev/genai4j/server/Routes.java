package dev.genai4j.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Registers routes on the server, naming each for the metrics (the path template, so that
 * invented URLs do not create new label values).
 *
 * <pre>{@code
 * routes.get("/health", ctx -> ctx.json(…));
 * routes.post("/embed", handler);
 * }</pre>
 */
public final class Routes {
    /** Request attribute holding the route template once a handler matched. */
    static final String ROUTE = "genai4j.route";

    private final RoutesConfig javalin;
    private final List<String> registered = new ArrayList<>();

    Routes(RoutesConfig javalin) { this.javalin = javalin; }

    public Routes get(String path, Handler h) {
        javalin.get(path, named(path, h));
        registered.add("GET " + path);
        return this;
    }

    public Routes post(String path, Handler h) {
        javalin.post(path, named(path, h));
        registered.add("POST " + path);
        return this;
    }

    /** "METHOD /path" for every route so far. */
    public List<String> registered() { return Collections.unmodifiableList(registered); }

    private static Handler named(String path, Handler h) {
        return ctx -> {
            ctx.attribute(ROUTE, path);
            h.handle(ctx);
        };
    }
}
