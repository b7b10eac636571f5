package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.proxy4j.config.ProxyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtConfigTest {

    @Test
    void aServerWideJwtIsReadWithItsJwksAndComesBeforeTheRateLimitsThatKeyOnIt() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                jwt:
                  jwks: {uri: "https://login.example.com/jwks.json", cacheDuration: 10m, minRefreshInterval: 1m}
                  issuer: https://login.example.com/
                  audiences: [orders, billing]
                  claimHeaders: {sub: X-User, email: X-Email}
                rateLimits: ["10r/s,key=jwt"]
                routes: [{upstream: http://127.0.0.1:9000}]
                """);

        assertThat(config.filters()).extracting(Object::toString).containsExactly(
                "Jwt[[ES256, RS256], jwks=https://login.example.com/jwks.json, issuer=https://login.example.com/,"
                        + " audiences=[billing, orders]]",
                "RateLimit[jwt-10r/s, 10r/s, burst=0, key=jwt]");
    }

    @Test
    void aRouteReadsAPublicKeyFileBesideTheConfigFile(@TempDir Path dir) throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        Files.writeString(dir.resolve("idp.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(dir.resolve("proxy.yaml"), """
                listeners: [{port: 8080}]
                routes:
                  - pathPrefix: /api
                    jwt: {publicKeyFile: idp.pem, algorithms: [RS256], clockSkew: 5s}
                    upstream: http://127.0.0.1:9000
                """);

        ProxyConfig config = ConfigFile.load(dir.resolve("proxy.yaml"));

        assertThat(config.routes().routes().get(0).filters()).extracting(Object::toString)
                .contains("Jwt[[RS256], 1 static keys]");
    }

    @Test
    void badSettingsNameTheirPath() {
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                routes:
                  - upstream: http://127.0.0.1:9000
                    jwt: {secret: short}
                """)).hasMessageContaining("routes[0].jwt.secret")
                .hasMessageContaining("5 bytes (expected: at least 32 bytes, 256 bits, for HS256)")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                jwt: {issuer: https://login.example.com/}
                """)).hasMessageContaining("jwt")
                .hasMessageContaining("none (expected: jwksUri, jwkSet, publicKey or secret)");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                jwt: {jwks: "ftp://login.example.com/jwks", algorithms: [RS256]}
                """)).hasMessageContaining("jwt.jwks")
                .hasMessageContaining("(expected: an http or https URI)");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                jwt: {jwks: "https://login.example.com/jwks", audience: orders}
                """)).hasMessageContaining("jwt.audience: unknown key");
    }
}
