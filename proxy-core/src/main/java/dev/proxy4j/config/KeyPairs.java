package dev.proxy4j.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Locale;

/**
 * Whether a private key belongs to a certificate's public key: a key served with the wrong
 * certificate starts a listener that fails every handshake, so it is refused when the TLS settings
 * are built. Checked by signing with the one and verifying with the other, which holds for every
 * key type the JDK signs with.
 */
final class KeyPairs {

    private static final byte[] PROBE = "proxy4j key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairs() {
    }

    static boolean match(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = privateKey.getAlgorithm().toUpperCase(Locale.ROOT);
        if (!algorithm.equals(publicKey.getAlgorithm().toUpperCase(Locale.ROOT))) {
            return false;
        }
        String signature = switch (algorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "ED25519", "ED448", "EDDSA" -> privateKey.getAlgorithm();
            // A key type this check cannot sign with (RSASSA-PSS, DSA): the handshake will tell.
            default -> null;
        };
        if (signature == null) {
            return true;
        }
        try {
            Signature signer = Signature.getInstance(signature);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signed = signer.sign();
            Signature verifier = Signature.getInstance(signature);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signed);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
