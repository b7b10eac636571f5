package dev.proxy4j.examples;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.proxy4j.auth.Jwt;
import dev.proxy4j.ratelimit.RateLimit;
import dev.proxy4j.ratelimit.RateLimitKey;
import dev.proxy4j.server.ProxyServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.eclipse.jetty.server.Server;

/**
 * JWT bearer tokens at the edge on {@code /api}: with a JWK set URL as argument (an identity
 * provider's {@code jwks_uri}) the proxy checks RS256/ES256 tokens against it; without one, HS256
 * tokens signed with a demo secret, and it prints one to try. The subject reaches the backend as
 * {@code X-User}, and each subject has a rate limit of its own. See docs/security.md#jwt.
 */
public final class JwtExample {

    /** For the demo only: a real secret comes from a vault, a file or the environment. */
    static final String DEMO_SECRET = "demo secret: replace me, at least thirty-two bytes";
    static final String ISSUER = "https://login.example";

    private JwtExample() {
    }

    static ProxyServer start(int port, String backend, Jwt jwt) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .route(r -> r.pathPrefix("/api")
                        .filter(jwt)
                        .filter(RateLimit.builder().rate("60r/m").burst(10).nodelay()
                                .key(RateLimitKey.jwtIdentity()).name("per-subject").build())
                        .upstream(backend))
                .route(r -> r.pathPrefix("/").upstream(backend))
                .build()
                .start();
    }

    static Jwt demoJwt() {
        return Jwt.builder().secret(DEMO_SECRET).issuer(ISSUER).audience("api")
                .clockSkew(Duration.ofSeconds(30)).claimHeader("sub", "X-User").build();
    }

    static Jwt jwks(URI jwksUri) {
        return Jwt.builder().jwksUri(jwksUri).claimHeader("sub", "X-User").build();
    }

    /** A token the demo configuration accepts for an hour. */
    static String demoToken(String subject) throws JOSEException {
        Instant now = Instant.now();
        SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience("api").subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).build());
        token.sign(new MACSigner(DEMO_SECRET.getBytes(StandardCharsets.UTF_8)));
        return token.serialize();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Jwt jwt = args.length > 1 ? jwks(URI.create(args[1])) : demoJwt();
        Server backend = Quickstart.demoBackend("app");
        ProxyServer proxy = start(port, Quickstart.uri(backend), jwt);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
        }));
        String base = "http://127.0.0.1:" + proxy.port();
        System.out.println("proxy on port " + proxy.port() + "; without a token /api answers 401:");
        System.out.println("  curl -i " + base + "/api/x");
        if (args.length <= 1) {
            System.out.println("with one:");
            System.out.println("  curl -i -H 'Authorization: Bearer " + demoToken("alice") + "' " + base + "/api/x");
        }
    }
}
