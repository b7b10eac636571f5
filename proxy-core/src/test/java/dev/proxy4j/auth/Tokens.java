package dev.proxy4j.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

/** Keys made once per test run, and tokens signed with them. */
final class Tokens {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final RSAKey RSA = generateRsa("rsa-1");
    static final RSAKey RSA_2 = generateRsa("rsa-2");
    static final ECKey EC = generateEc("ec-1");
    static final String SECRET = "a secret of at least thirty-two bytes, for HS256";

    private Tokens() {
    }

    static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey generateEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK set document of {@code keys}. */
    static String jwks(com.nimbusds.jose.jwk.JWK... keys) {
        return new JWKSet(java.util.List.of(keys)).toPublicJWKSet().toString();
    }

    /** Claims valid at {@link #NOW} for an hour: iss, aud, sub, email, roles. */
    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer("https://issuer.example").audience("orders").subject("alice")
                .claim("email", "alice@example.com").claim("roles", java.util.List.of("admin", "ops"))
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(3600)));
    }

    static String rs256(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> change) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), change, rsaSigner(key));
    }

    static String es256(ECKey key, UnaryOperator<JWTClaimsSet.Builder> change) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), change, new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hs256(byte[] secret, UnaryOperator<JWTClaimsSet.Builder> change) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), change, new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWSHeader header, UnaryOperator<JWTClaimsSet.Builder> change, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, change.apply(claims()).build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The PEM of an RSA key's public half. */
    static String pem(RSAKey key) {
        try {
            String base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(key.toRSAPublicKey().getEncoded());
            return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
