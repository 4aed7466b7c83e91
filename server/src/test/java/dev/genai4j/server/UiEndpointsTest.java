package dev.genai4j.server;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The UI's static files: the page at {@code /}, its script and style with their types and a strict
 * CSP, no way out of {@code ui/}, no API key needed for them (but still for the API), and three.js
 * from npm in the jar.
 */
class UiEndpointsTest {
    @Test
    void pageScriptAndStyleAreServedWithTypesAndCsp() {
        URI base = SharedServer.uri();
        Http.Answer page = Http.get(base, "/");
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("<script type=\"module\" src=\"/ui/app.js\">"), page.body());
        assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        Http.Answer js = Http.get(base, "/ui/app.js");
        assertEquals(200, js.status());
        assertTrue(js.header("Content-Type").startsWith("text/javascript"));
        assertTrue(js.body().contains("/v1/chat/completions"));
        assertTrue(Http.get(base, "/ui/style.css").header("Content-Type").startsWith("text/css"));
    }

    @Test
    void nothingOutsideTheUiFolderCanBeNamed() {
        URI base = SharedServer.uri();
        for (String path : List.of("/ui/nothing.js", "/ui/..%2fpom.xml", "/ui/%2e%2e%2fapplication.conf", "/ui/.hidden.js", "/ui/app",
                "/ui/vendor/..%2f..%2fapp.js", "/ui/simplelogger.properties", "/ui/vendor/../index.html")) {
            Http.Answer a = Http.get(base, path);
            assertTrue(a.status() == 404 || a.status() == 400, path + " → " + a);
            assertNotNull(a.json(), path + " answers JSON: " + a.body());
        }
    }

    @Test
    void theUiNeedsNoKeyButTheApiStillDoes() {
        try (Genai4jServer s = Genai4jServer.start(ServerConfig.builder().port(0).apiKey("sk-ui").build(), List.of())) {
            assertEquals(200, Http.get(s.uri(), "/").status());
            assertEquals(200, Http.get(s.uri(), "/ui/app.js").status());
            assertEquals(401, Http.get(s.uri(), "/info").status());
            assertEquals(200, Http.get(s.uri(), "/info", "Authorization", "Bearer sk-ui").status());
        }
    }

    @Test
    void threeJsFromNpmIsInTheJar() {
        boolean bundled = UiEndpointsTest.class.getClassLoader().getResource("ui/vendor/three.core.js") != null;
        String ci = System.getenv("CI");
        if (!bundled) {
            assertFalse("true".equals(ci), "CI=true but three.js was not bundled (scripts/bundle-three.sh needs npm)");
            org.junit.jupiter.api.Assumptions.abort("three.js was not bundled: npm was missing at build time (bash scripts/install-node.sh)");
        }
        Http.Answer core = Http.get(SharedServer.uri(), "/ui/vendor/three.core.js");
        assertEquals(200, core.status());
        assertTrue(core.body().contains("const REVISION = '187';"), "three r187, as package-lock.json pins");
        Http.Answer controls = Http.get(SharedServer.uri(), "/ui/vendor/OrbitControls.js");
        assertTrue(controls.body().contains("from './three.module.js';"), "its import points at the bundled copy");
    }
}
