package dev.genai4j.io.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The HTTP side of the hub client on {@code java.net.http}. Redirects are followed by hand so we
 * decide what travels where: the token goes only to the configured endpoint's own origin (a
 * redirect to an LFS CDN gets a signed URL and no token, as the hub's Python client does), an
 * {@code https} request is never redirected to plain {@code http}, and a HEAD can stop at the first
 * redirect to another origin, whose {@code Location} is where the file will be fetched from.
 */
final class HubHttp implements AutoCloseable {
    static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "genai4j/0.1 (java " + Runtime.version().feature() + ")";

    private final HubConfig config;
    private final HttpClient client;
    private final URI endpoint;

    HubHttp(HubConfig config) {
        this.config = config;
        this.endpoint = URI.create(config.endpoint());
        this.client = HttpClient.newBuilder()
                // as the hub's Python client (httpx): plain HTTP/1.1 with keep-alive, no h2c upgrade dance on http mirrors
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .build();
    }

    URI endpoint() { return endpoint; }

    /**
     * A HEAD of {@code uri} that follows redirects within the endpoint's origin only (repository
     * renames) and returns the last answer, which may itself be a redirect to a CDN.
     */
    HubResponse head(URI uri) {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HubResponse r = send(current, "HEAD", -1);
            if (!r.isRedirect()) return r;
            URI next = location(current, r);
            if (!sameOrigin(next, endpoint) || hop >= MAX_REDIRECTS) return r;
            current = next;
        }
    }

    /** A GET of {@code uri} from byte {@code from} (≤ 0: the whole file), following every redirect. */
    HubResponse get(URI uri, long from) {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HubResponse r = send(current, "GET", from);
            if (!r.isRedirect()) return r;
            r.close();
            if (hop >= MAX_REDIRECTS) throw new HubException("more than " + MAX_REDIRECTS + " redirects fetching " + safe(uri));
            current = location(current, r);
        }
    }

    /** The body of a small answer (API JSON, error text), at most {@code limit} bytes. */
    static String text(HubResponse r, int limit) throws IOException {
        try (InputStream in = r.body()) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) throw new IOException("answer from " + r.uri() + " is longer than " + limit + " bytes");
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /**
     * The typed error for a failed answer: what was asked, the status, what the hub said (clipped,
     * token removed) and what to do about it.
     */
    HubHttpException failure(String what, HubResponse r) {
        String said = "";
        if (r.body() != null) {
            try {
                said = text(r, 4096).strip();
            } catch (IOException e) {
                said = "";
            }
        }
        String code = r.header("X-Error-Code");
        String msg = r.header("X-Error-Message");
        StringBuilder b = new StringBuilder(what).append(": HTTP ").append(r.status()).append(" from ").append(safe(r.uri()));
        if (code != null) b.append(" (").append(HubModelId.clip(code)).append(')');
        String detail = msg != null ? msg : said;
        if (!detail.isEmpty()) b.append(": ").append(HubModelId.clip(detail.replaceAll("\\s+", " ")));
        b.append(switch (r.status()) {
            case 401 -> config.token() == null
                    ? "; the repository may be private or gated, or may not exist: set HF_TOKEN (or --token) to a token that can read it"
                    : "; the token was refused, or the repository does not exist";
            case 403 -> "; the token may lack access (gated model: accept its terms on the hub first)";
            case 404 -> "; check the repository, revision and file names";
            case 429 -> "; the hub is rate limiting, try again later";
            default -> r.status() >= 500 ? "; the hub has trouble, try again later" : "";
        });
        return new HubHttpException(r.status(), code == null ? null : HubModelId.clip(code), config.redact(b.toString()));
    }

    private HubResponse send(URI uri, String method, long from) {
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new HubException("refusing to fetch " + safe(uri) + ": only http and https are followed");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(config.readTimeout())
                .header("User-Agent", USER_AGENT)
                // the size in Content-Length must be the file's, not a compressed one's
                .header("Accept-Encoding", "identity");
        if (from > 0) b.header("Range", "bytes=" + from + "-");
        if (config.token() != null && sameOrigin(uri, endpoint)) b.header("Authorization", "Bearer " + config.token());
        try {
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            InputStream body = r.body();
            if (method.equals("HEAD") && body != null) {
                body.close();
                body = null;
            }
            return new HubResponse(uri, r.statusCode(), r.headers(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while fetching " + safe(uri), e);
        } catch (IOException e) {
            if (isUnreachable(e)) {
                throw new HubUnreachableException(config.redact("cannot reach " + origin(uri) + ": " + describe(e)), e);
            }
            throw new HubException(config.redact("fetching " + safe(uri) + " failed: " + describe(e)), e);
        }
    }

    private URI location(URI current, HubResponse r) {
        String loc = r.header("Location");
        if (loc == null || loc.isBlank()) throw new HubException("redirect " + r.status() + " from " + safe(current) + " has no Location");
        URI next;
        try {
            next = current.resolve(loc.strip());
        } catch (IllegalArgumentException e) {
            throw new HubException("redirect from " + safe(current) + " names an invalid Location '" + HubModelId.clip(loc) + "'");
        }
        if ("https".equalsIgnoreCase(current.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
            throw new HubException("refusing the redirect from " + safe(current) + " to the insecure " + safe(next));
        }
        return next;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) return u.getPort();
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** A URL fit for a message: without the query, where a CDN puts its signature. */
    static String safe(URI u) {
        if (u == null) return "?";
        String s = u.getScheme() + "://" + u.getRawAuthority() + Objects.toString(u.getRawPath(), "");
        return u.getRawQuery() == null ? s : s + "?…";
    }

    private static String origin(URI u) { return u.getScheme() + "://" + u.getRawAuthority(); }

    static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    || t instanceof HttpConnectTimeoutException || t instanceof java.net.NoRouteToHostException) return true;
        }
        return false;
    }

    /** A short cause for a message: "connection refused", "unknown host", "timed out", else the exception's own words. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) return "connection refused";
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "unknown host";
            if (t instanceof HttpConnectTimeoutException) return "connect timed out";
            if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
                return t.getMessage() == null ? "timed out" : t.getMessage();
            }
        }
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) t = t.getCause();
        String name = t.getClass().getSimpleName().replace("Exception", "").toLowerCase(Locale.ROOT);
        return t.getMessage() == null ? name : name + " (" + t.getMessage() + ")";
    }

    @Override
    public void close() { client.close(); }
}
