package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.proxy4j.auth.Jwt;
import dev.proxy4j.ratelimit.RateLimit;
import dev.proxy4j.ratelimit.RateLimitKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** JWT at the edge through a real proxy: keys from a JWK set URL on 127.0.0.1, claims to the backend as headers. */
class JwtEndToEndTest {

    private static final RSAKey RSA = rsa("rsa-1");
    private static final ECKey EC = ec("ec-1");
    private static final AtomicInteger JWKS_HITS = new AtomicInteger();
    private static final HttpServer IDP = idp(new JWKSet(List.of(RSA, EC)).toPublicJWKSet().toString());

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    private final Jwt jwt = Jwt.builder()
            .jwksUri(URI.create("http://127.0.0.1:" + IDP.getAddress().getPort() + "/.well-known/jwks.json"))
            .issuer("https://login.example").audience("orders")
            // The refresh for an unknown key id comes right after the prefetch: let it through (default 30 s).
            .jwksMinRefreshInterval(java.time.Duration.ofMillis(1))
            .claimHeader("sub", "X-User").claimHeader("roles", "X-Roles").build();

    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/api")
                    .filter(jwt)
                    .filter(RateLimit.builder().rate("1r/m").burst(1).nodelay().key(RateLimitKey.jwtIdentity()).build())
                    .upstream(backend.uri())));

    @BeforeEach
    void stub() {
        backend.stubFor(any(anyUrl()).willReturn(ok("from backend")));
    }

    @AfterAll
    static void stopIdp() {
        IDP.stop(0);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aValidTokenReachesTheBackendAsClaimHeadersAndForgedCopiesAreRemoved(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response rs256 = client.get("/api/orders", "Authorization", "Bearer " + rs256(c -> c),
                "X-User", "mallory", "X-Roles", "root");
        ProxyClient.Response es256 = client.get("/api/orders", "Authorization", "Bearer " + es256(c -> c.subject("bob")),
                "x-user", "mallory");

        assertThat(rs256.status()).isEqualTo(200);
        assertThat(es256.status()).isEqualTo(200);
        assertThat(backend.receivedRequests()).hasSize(2);
        assertThat(backend.receivedRequests().get(0)).satisfies(request -> {
            assertThat(request.headers().getAll("X-User")).containsExactly("alice");
            assertThat(request.headers().getAll("X-Roles")).containsExactly("admin,ops");
            assertThat(request.headers().get("Authorization")).as("the token stays at the edge").isNull();
        });
        assertThat(backend.receivedRequests().get(1)).satisfies(request -> {
            assertThat(request.headers().getAll("X-User")).containsExactly("bob");
            assertThat(request.headers().get("X-Roles")).as("no roles claim: the forged copy is gone, none set").isNull();
        });
        assertThat(jwt.jwksFetches()).as("prefetched at start, then served from the cache").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aMissingOrInvalidTokenGets401AndNeverReachesTheBackend(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response none = client.get("/api/orders", "X-User", "alice");
        ProxyClient.Response expired = client.get("/api/orders", "Authorization", "Bearer " + rs256(c -> c
                .expirationTime(Date.from(Instant.now().minusSeconds(3600)))));
        ProxyClient.Response otherAudience = client.get("/api/orders", "Authorization", "Bearer " + rs256(c -> c.audience("billing")));
        ProxyClient.Response unknownKey = client.get("/api/orders", "Authorization", "Bearer " + signed(rsa("rsa-9"), c -> c));

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"proxy4j\"");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.header("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"proxy4j\", error=\"invalid_token\", error_description=\"the token expired\"");
        assertThat(otherAudience.header("WWW-Authenticate")).contains("error_description=\"the audience is not accepted\"");
        assertThat(unknownKey.status()).isEqualTo(401);
        assertThat(unknownKey.header("WWW-Authenticate")).contains("error_description=\"no key fits the token\"");
        assertThat(backend.receivedRequests()).isEmpty();
        assertThat(jwt.jwksFetches()).as("the unknown key id asked for one refresh").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRateLimitCountsEachSubjectOnItsOwn(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);
        String alice = "Bearer " + rs256(c -> c);

        assertThat(client.get("/api/x", "Authorization", alice).status()).isEqualTo(200);
        assertThat(client.get("/api/x", "Authorization", alice).status()).isEqualTo(200);
        assertThat(client.get("/api/x", "Authorization", alice).status()).isEqualTo(429);
        assertThat(client.get("/api/x", "Authorization", "Bearer " + rs256(c -> c.subject("bob"))).status())
                .as("a budget of his own").isEqualTo(200);
    }

    private static String rs256(UnaryOperator<JWTClaimsSet.Builder> change) {
        return signed(RSA, change);
    }

    private static String signed(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> change) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), change, new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String es256(UnaryOperator<JWTClaimsSet.Builder> change) {
        try {
            JWTClaimsSet.Builder claims = change.apply(claims());
            claims.claim("roles", null);
            return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(EC.getKeyID()).build(), c -> claims, new ECDSASigner(EC));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, UnaryOperator<JWTClaimsSet.Builder> change, com.nimbusds.jose.JWSSigner signer)
            throws JOSEException {
        SignedJWT token = new SignedJWT(header, change.apply(claims()).build());
        token.sign(signer);
        return token.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("https://login.example").audience("orders").subject("alice")
                .claim("roles", List.of("admin", "ops")).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
    }

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer idp(String jwks) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            server.createContext("/.well-known/jwks.json", exchange -> {
                JWKS_HITS.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
