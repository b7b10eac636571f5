package dev.proxy4j.jetty.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * RFC 6455's handshake key and its accept, for the HTTP/1.1 handshake the proxy makes with a
 * backend on behalf of an HTTP/2 client (whose RFC 8441 handshake has no key).
 */
final class WebSocketKeys {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebSocketKeys() {
    }

    /** A fresh Sec-WebSocket-Key: 16 random bytes, base64. */
    static String newKey() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** Whether {@code accept} is the Sec-WebSocket-Accept for {@code key}. */
    static boolean accepts(String key, @Nullable String accept) {
        return accept != null && accept.strip().equals(acceptFor(key));
    }

    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }
}
