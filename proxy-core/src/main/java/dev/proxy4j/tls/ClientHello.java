package dev.proxy4j.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads the server name (SNI, RFC 6066) from the first bytes of a TLS connection without
 * terminating it: the ClientHello, possibly spread over several TLS records (RFC 8446 5.1), read
 * from a buffer that is left as it was. Bounded: a ClientHello over {@link #MAX_BYTES} is treated as
 * having no name.
 */
public final class ClientHello {

    /** The most bytes looked at: the largest ClientHellos in use (post-quantum key shares) fit well. */
    public static final int MAX_BYTES = 16 * 1024;

    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME = 0;
    private static final int HOST_NAME = 0;

    /** What the first bytes say. */
    public sealed interface Result permits NeedMore, NotTls, Parsed {
    }

    /** Not enough bytes yet to tell. */
    public record NeedMore() implements Result {
    }

    /** Not a TLS ClientHello, or one too large or malformed to read. */
    public record NotTls() implements Result {
    }

    /** A ClientHello; {@code serverName} is lower-case, empty when it names none. */
    public record Parsed(String serverName) implements Result {
        public Parsed {
            Objects.requireNonNull(serverName, "serverName");
        }
    }

    private static final Result NEED_MORE = new NeedMore();
    private static final Result NOT_TLS = new NotTls();

    private ClientHello() {
    }

    /** Reads {@code bytes} from its position to its limit; does not move them. */
    public static Result parse(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate();
        // The handshake message, gathered from the records that carry it (its own header may be split).
        byte[] handshake = new byte[4];
        int have = 0;
        int need = 4;
        while (true) {
            if (in.remaining() < 5) {
                return NEED_MORE;
            }
            int type = in.get() & 0xff;
            int major = in.get() & 0xff;
            in.get();
            int length = in.getShort() & 0xffff;
            if (type != HANDSHAKE || major != 3 || length == 0 || length > 16384 + 2048) {
                return NOT_TLS;
            }
            int available = Math.min(length, in.remaining());
            int recordEnd = in.position() + length;
            int take = Math.min(available, need - have);
            while (take > 0) {
                in.get(handshake, have, take);
                have += take;
                if (have == 4 && need == 4) {
                    // The handshake header is whole: check its type and bound, and make room for the rest.
                    if ((handshake[0] & 0xff) != CLIENT_HELLO) {
                        return NOT_TLS;
                    }
                    need = 4 + (((handshake[1] & 0xff) << 16) | ((handshake[2] & 0xff) << 8) | (handshake[3] & 0xff));
                    if (need > MAX_BYTES) {
                        return NOT_TLS;
                    }
                    handshake = java.util.Arrays.copyOf(handshake, need);
                }
                take = Math.min(recordEnd - in.position(), Math.min(in.remaining(), need - have));
            }
            if (have == need) {
                return serverName(ByteBuffer.wrap(handshake, 4, need - 4));
            }
            if (in.position() < recordEnd) {
                return NEED_MORE;
            }
        }
    }

    /** The server_name extension of a ClientHello body (after its four-byte header). */
    private static Result serverName(ByteBuffer hello) {
        try {
            skip(hello, 2 + 32); // legacy version, random
            skip(hello, hello.get() & 0xff); // session id
            skip(hello, hello.getShort() & 0xffff); // cipher suites
            skip(hello, hello.get() & 0xff); // compression methods
            if (!hello.hasRemaining()) {
                return new Parsed("");
            }
            int extensionsEnd = (hello.getShort() & 0xffff) + hello.position();
            if (extensionsEnd > hello.limit()) {
                return NOT_TLS;
            }
            while (hello.position() + 4 <= extensionsEnd) {
                int type = hello.getShort() & 0xffff;
                int length = hello.getShort() & 0xffff;
                if (hello.position() + length > extensionsEnd) {
                    return NOT_TLS;
                }
                if (type != SERVER_NAME) {
                    skip(hello, length);
                    continue;
                }
                int listEnd = (hello.getShort() & 0xffff) + hello.position();
                while (hello.position() + 3 <= listEnd) {
                    int nameType = hello.get() & 0xff;
                    int nameLength = hello.getShort() & 0xffff;
                    if (nameType == HOST_NAME) {
                        byte[] name = new byte[nameLength];
                        hello.get(name);
                        return new Parsed(new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT));
                    }
                    skip(hello, nameLength);
                }
                return new Parsed("");
            }
            return new Parsed("");
        } catch (RuntimeException malformed) {
            // A length that runs past the message: not a ClientHello that can be trusted.
            return NOT_TLS;
        }
    }

    private static void skip(ByteBuffer buffer, int bytes) {
        buffer.position(buffer.position() + bytes);
    }
}
