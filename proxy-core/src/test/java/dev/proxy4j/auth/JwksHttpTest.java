package dev.proxy4j.auth;

import static dev.proxy4j.auth.Tokens.NOW;
import static dev.proxy4j.auth.Tokens.RSA;
import static dev.proxy4j.auth.Tokens.RSA_2;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWK set fetched over real HTTP, with the JDK's asynchronous client, from a JDK server on 127.0.0.1. */
class JwksHttpTest {

    private final ManualTime time = new ManualTime(NOW);
    private final AtomicReference<String> published = new AtomicReference<>(Tokens.jwks(RSA));
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger hits = new AtomicInteger();
    private HttpServer server;
    private Jwt jwt;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            hits.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        jwt = Jwt.builder().jwksUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"))
                .ticker(time).build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int statusOf(RSAKey key) throws Exception {
        CompletableFuture<ProxyResponse> response = jwt.filter(time.context(), ProxyRequest.builder().path("/")
                        .headers(Headers.of("Authorization", "Bearer " + Tokens.rs256(key, c -> c))).build(),
                r -> CompletableFuture.completedFuture(ProxyResponse.text(200, "ok\n"))).toCompletableFuture();
        return response.get(10, TimeUnit.SECONDS).status();
    }

    @Test
    void thePrefetchLoadsTheSetAndAnUnknownKeyIdFetchesItOnceMore() throws Exception {
        jwt.prefetch().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(hits).hasValue(1);
        assertThat(statusOf(RSA)).isEqualTo(200);
        assertThat(hits).hasValue(1);

        published.set(Tokens.jwks(RSA, RSA_2));
        time.advance(Duration.ofSeconds(30));
        assertThat(statusOf(RSA_2)).isEqualTo(200);
        assertThat(hits).hasValue(2);
    }

    @Test
    void aFailingAnswerKeepsTheSetHeld() throws Exception {
        jwt.prefetch().toCompletableFuture().get(10, TimeUnit.SECONDS);
        status.set(500);
        published.set(Tokens.jwks(RSA_2));
        time.advance(Duration.ofSeconds(30));

        assertThat(statusOf(RSA_2)).as("the 500's body is no key set").isEqualTo(401);
        assertThat(hits).hasValue(2);
        assertThat(statusOf(RSA)).isEqualTo(200);
    }

    @Test
    void anOversizedSetIsRefused() throws Exception {
        published.set(" ".repeat(JwksFetcher.MAX_BYTES) + Tokens.jwks(RSA));
        jwt.prefetch().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(hits).hasValue(1);
        assertThat(statusOf(RSA)).isEqualTo(401);
    }
}
