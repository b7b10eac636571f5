package dev.proxy4j.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM public key ({@code -----BEGIN PUBLIC KEY-----}, RSA or EC P-256) or certificate, read with
 * the JDK alone (Nimbus's own PEM reader needs Bouncy Castle).
 */
final class PemKeys {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN (PUBLIC KEY|CERTIFICATE)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemKeys() {
    }

    /** @throws IllegalArgumentException naming {@code field} when the text is no such key */
    static JWK parse(String field, String pem) {
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(field
                    + ": no PEM block (expected: -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            PublicKey key = m.group(1).equals("CERTIFICATE")
                    ? CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey()
                    : publicKey(der);
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build();
            }
            if (key instanceof ECPublicKey ec && Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                return new ECKey.Builder(Curve.P_256, ec).build();
            }
            throw new IllegalArgumentException(field + ": a " + key.getAlgorithm() + " key (expected: RSA or EC P-256)");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(field + ":")) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException(field + ": not a readable public key (" + e.getMessage() + ")", e);
        }
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }
}
