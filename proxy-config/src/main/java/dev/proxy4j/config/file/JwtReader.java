package dev.proxy4j.config.file;

import dev.proxy4j.auth.Jwt;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code jwt:}, server-wide or on a route:
 * {@code {jwks: URL or {uri, cacheDuration, refreshAhead, minRefreshInterval, timeout}, jwkSet, jwkSetFile,
 * publicKey, publicKeyFile, secret, secretFile, secretEnv, algorithms, issuer, audiences, clockSkew,
 * requireExpiry, claimHeaders: {CLAIM: HEADER}, identityClaim, forwardToken, realm}}.
 */
final class JwtReader {

    static final String[] KEYS = {"jwks", "jwkSet", "jwkSetFile", "publicKey", "publicKeyFile", "secret", "secretFile",
            "secretEnv", "algorithms", "issuer", "audiences", "clockSkew", "requireExpiry", "claimHeaders", "identityClaim",
            "forwardToken", "realm"};

    private JwtReader() {
    }

    static Jwt read(Value value, Path baseDirectory) {
        Value.Section s = value.section(KEYS);
        Jwt.Builder b = Jwt.builder();
        Value v;
        if ((v = s.get("jwks")) != null) {
            jwks(v, b);
        }
        if ((v = s.get("jwkSet")) != null) {
            String json = v.string();
            v.run(() -> b.jwkSet(json));
        }
        if ((v = s.get("jwkSetFile")) != null) {
            String json = file(v, baseDirectory);
            v.run(() -> b.jwkSet(json));
        }
        if ((v = s.get("publicKey")) != null) {
            String pem = v.string();
            v.run(() -> b.publicKey(pem));
        }
        if ((v = s.get("publicKeyFile")) != null) {
            String pem = file(v, baseDirectory);
            v.run(() -> b.publicKey(pem));
        }
        if ((v = s.get("secret")) != null) {
            String secret = v.string();
            v.run(() -> b.secret(secret));
        }
        if ((v = s.get("secretFile")) != null) {
            String secret = file(v, baseDirectory).strip();
            v.run(() -> b.secret(secret));
        }
        if ((v = s.get("secretEnv")) != null) {
            String name = v.string();
            String secret = System.getenv(name);
            if (secret == null) {
                throw v.invalid("an environment variable that is set");
            }
            v.run(() -> b.secret(secret));
        }
        if ((v = s.get("algorithms")) != null) {
            String[] names = v.strings().toArray(String[]::new);
            v.run(() -> b.algorithms(names));
        }
        if ((v = s.get("issuer")) != null) {
            String issuer = v.string();
            v.run(() -> b.issuer(issuer));
        }
        if ((v = s.get("audiences")) != null) {
            for (Value audience : v.listOrOne()) {
                String text = audience.string();
                audience.run(() -> b.audience(text));
            }
        }
        if ((v = s.get("clockSkew")) != null) {
            java.time.Duration skew = v.duration();
            v.run(() -> b.clockSkew(skew));
        }
        if ((v = s.get("requireExpiry")) != null) {
            b.requireExpiry(v.bool());
        }
        if ((v = s.get("claimHeaders")) != null) {
            v.namedEntries().forEach((claim, header) -> {
                String name = header.string();
                header.run(() -> b.claimHeader(claim, name));
            });
        }
        if ((v = s.get("identityClaim")) != null) {
            String claim = v.string();
            v.run(() -> b.identityClaim(claim));
        }
        if ((v = s.get("forwardToken")) != null) {
            b.forwardToken(v.bool());
        }
        if ((v = s.get("realm")) != null) {
            String realm = v.string();
            v.run(() -> b.realm(realm));
        }
        return value.build(b::build);
    }

    private static void jwks(Value v, Jwt.Builder b) {
        if (v.isString()) {
            uri(v, b);
            return;
        }
        Value.Section s = v.section("uri", "cacheDuration", "refreshAhead", "minRefreshInterval", "timeout");
        uri(s.require("uri"), b);
        Value x;
        if ((x = s.get("cacheDuration")) != null) {
            java.time.Duration d = x.duration();
            x.run(() -> b.jwksCacheDuration(d));
        }
        if ((x = s.get("refreshAhead")) != null) {
            java.time.Duration d = x.duration();
            x.run(() -> b.jwksRefreshAhead(d));
        }
        if ((x = s.get("minRefreshInterval")) != null) {
            java.time.Duration d = x.duration();
            x.run(() -> b.jwksMinRefreshInterval(d));
        }
        if ((x = s.get("timeout")) != null) {
            java.time.Duration d = x.duration();
            x.run(() -> b.jwksTimeout(d));
        }
    }

    private static void uri(Value v, Jwt.Builder b) {
        String text = v.string();
        URI uri = v.build(() -> URI.create(text));
        v.run(() -> b.jwksUri(uri));
    }

    private static String file(Value v, Path baseDirectory) {
        Path path = baseDirectory.resolve(v.string());
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw v.invalid("a readable file (" + path + ": " + e.getClass().getSimpleName() + ")");
        }
    }
}
