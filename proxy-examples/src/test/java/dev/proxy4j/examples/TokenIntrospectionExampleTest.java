package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.examples.TokenIntrospectionExample.IntrospectionService;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.server.ProxyServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous filter of {@link TokenIntrospectionExample}, through a real proxy to a backend
 * that echoes headers, with the introspection service as a second real server.
 */
class TokenIntrospectionExampleTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private Server backend;
    private IntrospectionService service;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = HeaderRulesExample.echoBackend();
        service = IntrospectionService.start(Map.of("t-alice", "alice"));
        proxy = TokenIntrospectionExample.start(0, Quickstart.uri(backend), service.uri(), TIMEOUT);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.stop();
        service.server().stop();
    }

    @Test
    void sendsTheSubjectOfAnActiveTokenToTheBackendInsteadOfTheToken() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/orders", "Authorization", "Bearer t-alice");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("GET /orders\n").contains("\nX-Subject: alice\n")
                .doesNotContainIgnoringCase("Authorization");
        assertThat(service.calls()).hasValue(1);
    }

    @Test
    void answers401WithoutCallingTheServiceWhenThereIsNoBearerToken() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/orders");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(service.calls()).hasValue(0);
    }

    @Test
    void answers401ForATokenTheServiceDoesNotKnow() throws Exception {
        HttpResponse<String> response = Http.get(proxy.uri(), "/orders", "Authorization", "Bearer forged");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("401 Unauthorized\n");
        assertThat(service.calls()).hasValue(1);
    }

    @Test
    void answers503OnceTheServiceTakesLongerThanTheTimeout() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = Http.get(proxy.uri(), "/orders", "Authorization", "Bearer slow");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(took).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(Duration.ofSeconds(3));
        assertThat(service.calls()).hasValue(1);
    }

    @Test
    void answers503WhenTheServiceIsDown() throws Exception {
        service.server().stop();

        HttpResponse<String> response = Http.get(proxy.uri(), "/orders", "Authorization", "Bearer t-alice");

        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void theRestOfTheChainAndTheResponseRunOnTheRequestsEventLoop() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ProxyFilter after = (ctx, request, next) -> {
            seen.add("request on loop: " + ctx.eventLoop().inEventLoop()
                    + ", subject " + ctx.attr(TokenIntrospectionExample.SUBJECT).orElse("none"));
            return next.proceed(request).thenApply(response -> {
                seen.add("response on loop: " + ctx.eventLoop().inEventLoop());
                return response;
            });
        };
        URI serviceUri = service.uri();
        try (ProxyServer checked = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .route(r -> r.pathPrefix("/")
                        .filter(TokenIntrospectionExample.introspection(serviceUri, TIMEOUT))
                        .filter(after)
                        .upstream(Quickstart.uri(backend)))
                .build()
                .start()) {
            HttpResponse<String> response = Http.get(checked.uri(), "/orders", "Authorization", "Bearer t-alice");

            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(seen).containsExactly("request on loop: true, subject alice", "response on loop: true");
    }
}
