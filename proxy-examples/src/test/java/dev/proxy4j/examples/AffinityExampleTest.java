package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routes of {@link AffinityExample}: a user's requests on one backend, a sticky cookie, least requests. */
class AffinityExampleTest {

    private Server a;
    private Server b;
    private Server c;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        a = Quickstart.demoBackend("a");
        b = Quickstart.demoBackend("b");
        c = Quickstart.demoBackend("c");
        proxy = AffinityExample.start(0, Quickstart.uri(a), Quickstart.uri(b), Quickstart.uri(c));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        for (Server server : List.of(a, b, c)) {
            server.stop();
        }
    }

    @Test
    void keepsEachUsersCartOnOneBackend() throws Exception {
        Set<String> used = new HashSet<>();
        for (String user : List.of("ada", "grace", "edsger", "barbara", "donald", "leslie", "niklaus", "frances")) {
            String backend = backend(Http.get(proxy.uri(), "/cart", "X-User", user));
            for (int i = 0; i < 4; i++) {
                assertThat(backend(Http.get(proxy.uri(), "/cart/items", "X-User", user))).isEqualTo(backend);
            }
            used.add(backend);
        }
        assertThat(used).hasSizeGreaterThan(1);
    }

    @Test
    void pinsABrowserToTheBackendItsCookieNames() throws Exception {
        HttpResponse<String> first = Http.get(proxy.uri(), "/app");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        String pair = cookie.substring(0, cookie.indexOf(';'));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> again = Http.get(proxy.uri(), "/app/page", "Cookie", pair);
            assertThat(backend(again)).isEqualTo(backend(first));
            assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void spreadsOtherRequestsOverEveryBackendByLeastRequests() throws Exception {
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            used.add(backend(Http.get(proxy.uri(), "/")));
        }
        // Sequential requests find every backend idle, so the first of two random draws wins: each of three misses all 60 with odds (2/3)^60, 3e-11.
        assertThat(used).containsExactlyInAnyOrder("a", "b", "c");
    }

    private static String backend(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().substring(0, 1);
    }
}
