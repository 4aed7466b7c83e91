package dev.genai4j.server;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser UI: {@code GET /} is {@code ui/index.html} from the classpath, {@code GET /ui/NAME}
 * and {@code GET /ui/vendor/NAME} the other files under {@code ui/} (plain HTML, JS and CSS; three.js
 * is copied into {@code ui/vendor/} at build time). Names are one path segment of letters, digits,
 * dots, dashes and underscores, so nothing outside {@code ui/} can be named. The files hold no data,
 * so they are served without the API key; the page sends the key the user types with each API call.
 */
final class UiEndpoints implements ServerExtension {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "json", "application/json", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");
    /** Only our own files run in the page; images may come from uploads (blob:) and data: URLs. */
    private static final String CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    /** Paths served without the API key: the page and its static files. */
    static boolean isPublic(String path) { return path.equals("/") || path.startsWith("/ui/"); }

    @Override
    public void register(Routes r, ServerContext c) {
        r.get("/", ctx -> serve(ctx, "index.html"));
        // one route (its template is also the metrics label): "NAME" or "vendor/NAME", checked in serve
        r.get("/ui/<file>", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private void serve(Context ctx, String name) {
        String file = name.startsWith("vendor/") ? name.substring(7) : name;
        if (file.indexOf('/') >= 0) throw notFound(name);
        if (!NAME.matcher(file).matches()) throw notFound(name);
        String ext = file.contains(".") ? file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        String type = TYPES.get(ext);
        if (type == null) throw notFound(name);
        byte[] body = cache.computeIfAbsent(name, UiEndpoints::load).orElseThrow(() -> notFound(name));
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", CSP);
        ctx.status(200).contentType(type).result(body);
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = UiEndpoints.class.getClassLoader().getResourceAsStream("ui/" + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading ui/" + name + " from the classpath failed", e);
        }
    }

    private static ApiException notFound(String name) {
        String what = name.equals("vendor/three.module.js")
                ? "three.js was not bundled into this build (the build needs npm; see scripts/bundle-three.sh)"
                : "no UI file '" + RequestJson.clip(name, 80) + "'";
        return ApiException.notFound(null, "not_found", what);
    }
}
