package dev.proxy4j.auth;

import static dev.proxy4j.auth.Tokens.EC;
import static dev.proxy4j.auth.Tokens.NOW;
import static dev.proxy4j.auth.Tokens.RSA;
import static dev.proxy4j.auth.Tokens.RSA_2;
import static dev.proxy4j.auth.Tokens.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class JwtTest {

    private final ManualTime time = new ManualTime(NOW);
    private final List<ProxyRequest> forwarded = new ArrayList<>();

    private final Jwt rsa = Jwt.builder().jwkSet(Tokens.jwks(RSA, EC)).issuer("https://issuer.example").audience("orders")
            .claimHeader("sub", "X-User").claimHeader("roles", "X-Roles").build();

    private ProxyResponse send(Jwt jwt, RequestContext ctx, String... headers) {
        return jwt.filter(ctx, ProxyRequest.builder().path("/orders").headers(Headers.of(headers)).build(), r -> {
            forwarded.add(r);
            return CompletableFuture.completedFuture(ProxyResponse.text(200, "ok\n"));
        }).toCompletableFuture().join();
    }

    private ProxyResponse send(Jwt jwt, String token) {
        return send(jwt, time.context(), "Authorization", "Bearer " + token);
    }

    private static String description(ProxyResponse response) {
        String challenge = response.headers().get("WWW-Authenticate");
        assertThat(challenge).startsWith("Bearer realm=\"proxy4j\", error=\"invalid_token\", error_description=\"");
        return challenge.substring(challenge.indexOf("error_description=\"") + 19, challenge.length() - 1);
    }

    @Test
    void aValidRs256TokenGoesOnWithItsClaimsInHeadersAndWithoutTheTokenOrForgedCopies() {
        RequestContext ctx = time.context();
        ProxyResponse response = send(rsa, ctx, "Authorization", "Bearer " + Tokens.rs256(RSA, c -> c),
                "X-User", "mallory", "X-Roles", "root", "X-Other", "kept");

        assertThat(response.status()).isEqualTo(200);
        assertThat(ctx.attr(Jwt.IDENTITY)).hasValue("alice");
        Headers sent = forwarded.get(0).headers();
        assertThat(sent.getAll("X-User")).containsExactly("alice");
        assertThat(sent.getAll("X-Roles")).containsExactly("admin,ops");
        assertThat(sent.get("Authorization")).as("the token stays at the edge").isNull();
        assertThat(sent.get("X-Other")).isEqualTo("kept");
    }

    @Test
    void forgedClaimHeadersAreRemovedEvenWhenTheTokenLacksTheClaim() {
        ProxyResponse response = send(rsa, time.context(), "Authorization", "Bearer " + Tokens.rs256(RSA, c -> c.claim("roles", null)),
                "X-Roles", "root");

        assertThat(response.status()).isEqualTo(200);
        assertThat(forwarded.get(0).headers().get("X-Roles")).isNull();
    }

    @Test
    void es256AndHs256TokensAreCheckedWithTheirOwnKinds() {
        Jwt hs = Jwt.builder().secret(SECRET).build();

        assertThat(send(rsa, Tokens.es256(EC, c -> c)).status()).isEqualTo(200);
        assertThat(send(hs, Tokens.hs256(SECRET.getBytes(StandardCharsets.UTF_8), c -> c)).status()).isEqualTo(200);
        assertThat(description(send(hs, Tokens.hs256("another secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8),
                c -> c)))).isEqualTo("the signature is not valid");
    }

    @Test
    void aPemPublicKeyChecksRs256() {
        Jwt pem = Jwt.builder().publicKey(Tokens.pem(RSA)).build();

        assertThat(send(pem, Tokens.rs256(RSA, c -> c)).status()).isEqualTo(200);
        assertThat(description(send(pem, Tokens.rs256(RSA_2, c -> c)))).isEqualTo("the signature is not valid");
    }

    @Test
    void noTokenGets401WithABareChallengeAndGoesNowhere() {
        ProxyResponse none = send(rsa, time.context());
        ProxyResponse basic = send(rsa, time.context(), "Authorization", "Basic YWxpY2U6cHc=");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"proxy4j\"");
        assertThat(none.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(basic.status()).isEqualTo(401);
        assertThat(forwarded).isEmpty();
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheSkewHasPassed() {
        String token = Tokens.rs256(RSA, c -> c);

        time.advance(Duration.ofSeconds(3600 + 59));
        assertThat(send(rsa, token).status()).as("within the 60 s skew").isEqualTo(200);
        time.advance(Duration.ofSeconds(1));
        ProxyResponse expired = send(rsa, token);

        assertThat(expired.status()).isEqualTo(401);
        assertThat(description(expired)).isEqualTo("the token expired");
        assertThat(forwarded).hasSize(1);
    }

    @Test
    void aTokenNotValidYetIsRefusedUntilNbfLessTheSkew() {
        String token = Tokens.rs256(RSA, c -> c.notBeforeTime(Date.from(NOW.plusSeconds(120))));

        assertThat(description(send(rsa, token))).isEqualTo("the token is not valid yet");
        time.advance(Duration.ofSeconds(59));
        assertThat(send(rsa, token).status()).isEqualTo(401);
        time.advance(Duration.ofSeconds(1));
        assertThat(send(rsa, token).status()).isEqualTo(200);
    }

    @Test
    void theSkewIsConfigurable() {
        Jwt strict = Jwt.builder().jwkSet(Tokens.jwks(RSA)).clockSkew(Duration.ZERO).build();
        String token = Tokens.rs256(RSA, c -> c);

        time.advance(Duration.ofSeconds(3599));
        assertThat(send(strict, token).status()).isEqualTo(200);
        time.advance(Duration.ofSeconds(1));
        assertThat(description(send(strict, token))).isEqualTo("the token expired");
    }

    @Test
    void aWrongIssuerOrAudienceIsRefused() {
        assertThat(description(send(rsa, Tokens.rs256(RSA, c -> c.issuer("https://evil.example")))))
                .isEqualTo("the issuer is not accepted");
        assertThat(description(send(rsa, Tokens.rs256(RSA, c -> c.audience("billing")))))
                .isEqualTo("the audience is not accepted");
        assertThat(description(send(rsa, Tokens.rs256(RSA, c -> c.audience((String) null)))))
                .isEqualTo("the audience is not accepted");
        assertThat(send(rsa, Tokens.rs256(RSA, c -> c.audience(List.of("billing", "orders")))).status())
                .as("one of the token's audiences is enough").isEqualTo(200);
    }

    @Test
    void aBadSignatureIsRefused() throws Exception {
        String signedByAnother = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), c -> c,
                new com.nimbusds.jose.crypto.RSASSASigner(RSA_2));
        String[] parts = Tokens.rs256(RSA, c -> c).split("\\.");
        String tampered = parts[0] + "." + Base64URL.encode(Tokens.claims().subject("root").build().toString()) + "." + parts[2];

        assertThat(description(send(rsa, signedByAnother))).isEqualTo("the signature is not valid");
        assertThat(description(send(rsa, tampered))).isEqualTo("the signature is not valid");
        assertThat(description(send(rsa, "not.a.token"))).isEqualTo("the token is malformed");
        assertThat(forwarded).isEmpty();
    }

    @Test
    void algNoneIsRefused() {
        String payload = Base64URL.encode(Tokens.claims().build().toString()).toString();
        String none = Base64URL.encode("{\"alg\":\"none\"}") + "." + payload + ".";
        String noneWithKid = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + payload + ".";

        assertThat(send(rsa, none).status()).isEqualTo(401);
        assertThat(send(rsa, noneWithKid).status()).isEqualTo(401);
        assertThat(description(send(Jwt.builder().secret(SECRET).requireExpiry(false).build(), none)))
                .isEqualTo("the token is malformed");
        assertThat(forwarded).isEmpty();
    }

    @Test
    void anHs256TokenSignedWithTheRsaPublicKeyAsItsSecretIsRefused() throws Exception {
        String pem = Tokens.pem(RSA);
        // The classic confusion: a verifier that takes the key it holds as an HMAC secret would accept these.
        String withPem = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), c -> c,
                new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));
        String withDer = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), c -> c,
                new MACSigner(RSA.toRSAPublicKey().getEncoded()));
        Jwt byDefault = Jwt.builder().publicKey(pem).build();
        Jwt allowingHs256 = Jwt.builder().publicKey(pem).jwkSet(Tokens.jwks(RSA)).algorithms("RS256", "HS256").build();

        assertThat(description(send(byDefault, withPem))).isEqualTo("the algorithm is not accepted");
        assertThat(description(send(byDefault, withDer))).isEqualTo("the algorithm is not accepted");
        assertThat(description(send(allowingHs256, withPem))).as("an RSA key is no HMAC secret").isEqualTo("no key fits the token");
        assertThat(description(send(allowingHs256, withDer))).isEqualTo("no key fits the token");
        assertThat(forwarded).isEmpty();
    }

    @Test
    void aTokenWithoutExpiryIsRefusedUnlessAllowed() {
        String token = Tokens.rs256(RSA, c -> c.expirationTime(null));

        assertThat(description(send(rsa, token))).isEqualTo("the token has no expiry");
        assertThat(send(Jwt.builder().jwkSet(Tokens.jwks(RSA)).requireExpiry(false).build(), token).status()).isEqualTo(200);
    }

    @Test
    void aClaimThatCouldSplitAHeaderIsNotSent() {
        Jwt jwt = Jwt.builder().jwkSet(Tokens.jwks(RSA)).claimHeader("email", "X-Email").claimHeader("sub", "X-User").build();

        assertThat(send(jwt, time.context(), "Authorization", "Bearer " + Tokens.rs256(RSA, c -> c.claim("email", "a@b\r\nX-Admin: 1")),
                "X-Email", "forged").status()).isEqualTo(200);
        assertThat(forwarded.get(0).headers().get("X-Email")).isNull();
        assertThat(forwarded.get(0).headers().get("X-User")).isEqualTo("alice");
    }

    @Test
    void theTokenIsForwardedWhenAsked() {
        String token = Tokens.rs256(RSA, c -> c);
        send(Jwt.builder().jwkSet(Tokens.jwks(RSA)).forwardToken(true).build(), token);

        assertThat(forwarded.get(0).headers().get("Authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void badSettingsFailWithTheFieldAndValue() {
        assertThatThrownBy(() -> Jwt.builder().build()).hasMessage("keys: none (expected: jwksUri, jwkSet, publicKey or secret)");
        assertThatThrownBy(() -> Jwt.builder().secret("short")).hasMessage("secret: 5 bytes (expected: at least 32 bytes, 256 bits, for HS256)");
        assertThatThrownBy(() -> Jwt.builder().jwksUri(URI.create("ftp://idp.example/jwks")))
                .hasMessage("jwksUri: ftp://idp.example/jwks (expected: an http or https URI)");
        assertThatThrownBy(() -> Jwt.builder().algorithms("RS256", "none")).hasMessage("algorithms: none (expected: RS256, ES256 or HS256)");
        assertThatThrownBy(() -> Jwt.builder().clockSkew(Duration.ofSeconds(-1))).hasMessage("clockSkew: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> Jwt.builder().jwkSet("{\"nokeys\": 1}")).hasMessageStartingWith("jwkSet: not a JWK set");
        assertThatThrownBy(() -> Jwt.builder().publicKey("hello")).hasMessageStartingWith("publicKey: no PEM block");
        assertThatThrownBy(() -> Jwt.builder().claimHeader("sub", "X User")).hasMessage("claimHeaders.sub: \"X User\" (expected: a header name)");
        assertThatThrownBy(() -> Jwt.builder().jwksUri(URI.create("https://idp.example/jwks")).jwksCacheDuration(Duration.ofSeconds(30)).build())
                .hasMessage("jwksRefreshAhead: PT30S (expected: less than jwksCacheDuration PT30S)");
    }
}
