package dev.proxy4j.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/** The checks of one token, as pure functions: which keys may have signed it, the signature, the claims. */
final class JwtCheck {

    private JwtCheck() {
    }

    /**
     * The keys that may have signed a token with this header: of the kind its algorithm needs (an
     * RSA key for RS256, a P-256 key for ES256, a secret for HS256, so that a public key is never
     * taken for an HMAC secret), for signatures, of the header's key id (a key without an id fits
     * any), and of the same algorithm when the key names one.
     */
    static List<JWK> candidates(List<JWK> keys, JWSHeader header) {
        JWSAlgorithm alg = header.getAlgorithm();
        String kid = header.getKeyID();
        List<JWK> fit = new ArrayList<>();
        for (JWK key : keys) {
            if (kid != null && key.getKeyID() != null && !kid.equals(key.getKeyID())) {
                continue;
            }
            if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
                continue;
            }
            if (key.getAlgorithm() != null && !alg.getName().equals(key.getAlgorithm().getName())) {
                continue;
            }
            if (kindFits(key, alg)) {
                fit.add(key);
            }
        }
        return fit;
    }

    private static boolean kindFits(JWK key, JWSAlgorithm alg) {
        if (JWSAlgorithm.RS256.equals(alg)) {
            return key instanceof RSAKey;
        }
        if (JWSAlgorithm.ES256.equals(alg)) {
            return key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
        }
        if (JWSAlgorithm.HS256.equals(alg)) {
            return key instanceof OctetSequenceKey;
        }
        return false;
    }

    /** True when one of {@code keys} verifies the signature. */
    static boolean signatureValid(SignedJWT jwt, List<JWK> keys) {
        for (JWK key : keys) {
            try {
                if (jwt.verify(verifier(key))) {
                    return true;
                }
            } catch (JOSEException e) {
                // A key that cannot verify (too short a secret, a bad curve point) fits no token.
            }
        }
        return false;
    }

    private static JWSVerifier verifier(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECKey ec) {
            return new ECDSAVerifier(ec);
        }
        if (key instanceof OctetSequenceKey secret) {
            return new MACVerifier(secret.toByteArray());
        }
        throw new JOSEException("no verifier for " + key.getKeyType());
    }

    /**
     * What is wrong with the claims at {@code now}, in words fit for a client (no claim value in
     * them), or null when nothing is: exp (now must be before it, plus the skew), nbf (now, plus the
     * skew, must not be before it), the issuer, one of the audiences.
     */
    static @Nullable String claimsProblem(JWTClaimsSet claims, Instant now, Duration skew, @Nullable String issuer,
            Set<String> audiences, boolean requireExpiry) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            if (requireExpiry) {
                return "the token has no expiry";
            }
        } else if (!now.isBefore(exp.toInstant().plus(skew))) {
            return "the token expired";
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
            return "the token is not valid yet";
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            return "the issuer is not accepted";
        }
        if (!audiences.isEmpty()) {
            List<String> aud = claims.getAudience();
            if (aud == null || aud.stream().noneMatch(audiences::contains)) {
                return "the audience is not accepted";
            }
        }
        return null;
    }

    /**
     * A claim as a header value: a string, a number or a boolean as it is, a date as epoch seconds,
     * a list of those joined by commas; null for anything else (an object, null) and for a value
     * with a character outside printable ASCII, which is not sent rather than mangled or split.
     */
    static @Nullable String headerValue(@Nullable Object claim) {
        String text;
        if (claim instanceof List<?> list) {
            StringJoiner joined = new StringJoiner(",");
            for (Object item : list) {
                String one = scalar(item);
                if (one == null) {
                    return null;
                }
                joined.add(one);
            }
            text = joined.toString();
        } else {
            text = scalar(claim);
        }
        if (text == null || text.isEmpty() || !text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return null;
        }
        return text;
    }

    private static @Nullable String scalar(@Nullable Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Date d) {
            return Long.toString(d.getTime() / 1000);
        }
        return null;
    }
}
