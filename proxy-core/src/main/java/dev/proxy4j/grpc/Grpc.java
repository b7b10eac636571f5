package dev.proxy4j.grpc;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.upstream.UpstreamFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the proxy needs of gRPC over HTTP/2 (the gRPC "PROTOCOL-HTTP2" spec): which requests are
 * gRPC, their {@code grpc-timeout}, and how the proxy's own failures are told to a gRPC client,
 * which expects HTTP 200 with {@code grpc-status} and {@code grpc-message} rather than a 502 page.
 */
public final class Grpc {

    public static final int OK = 0;
    public static final int UNKNOWN = 2;
    public static final int DEADLINE_EXCEEDED = 4;
    public static final int PERMISSION_DENIED = 7;
    public static final int RESOURCE_EXHAUSTED = 8;
    public static final int UNIMPLEMENTED = 12;
    public static final int INTERNAL = 13;
    public static final int UNAVAILABLE = 14;
    public static final int UNAUTHENTICATED = 16;

    /** The longest grpc-timeout value: 8 digits (the spec's limit). */
    private static final int MAX_DIGITS = 8;

    private Grpc() {
    }

    /**
     * True for {@code application/grpc} and its {@code +proto}, {@code +json}, ... forms, in any
     * case; gRPC-Web ({@code application/grpc-web}) frames its status differently and is not.
     */
    public static boolean isGrpc(@Nullable String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, "application/grpc", 0, 16)) {
            return false;
        }
        if (contentType.length() == 16) {
            return true;
        }
        char next = contentType.charAt(16);
        return next == '+' || next == ';' || next == ' ';
    }

    public static boolean isGrpc(ProxyRequest request) {
        return isGrpc(request.headers().get("Content-Type"));
    }

    /**
     * A {@code grpc-timeout} value ({@code 1..8} digits and a unit: H, M, S, m, u, n) as a duration;
     * empty when absent or malformed (a malformed one is ignored, as gRPC servers do).
     */
    public static Optional<Duration> timeout(@Nullable String value) {
        if (value == null || value.length() < 2 || value.length() > MAX_DIGITS + 1) {
            return Optional.empty();
        }
        long amount = 0;
        for (int i = 0; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            amount = amount * 10 + (c - '0');
        }
        return switch (value.charAt(value.length() - 1)) {
            case 'H' -> Optional.of(Duration.ofHours(amount));
            case 'M' -> Optional.of(Duration.ofMinutes(amount));
            case 'S' -> Optional.of(Duration.ofSeconds(amount));
            case 'm' -> Optional.of(Duration.ofMillis(amount));
            case 'u' -> Optional.of(Duration.ofNanos(amount * 1_000));
            case 'n' -> Optional.of(Duration.ofNanos(amount));
            default -> Optional.empty();
        };
    }

    /**
     * The gRPC status for the proxy's own answer {@code httpStatus}, following gRPC's
     * HTTP-to-gRPC mapping, except that a timeout is DEADLINE_EXCEEDED (the deadline the proxy
     * enforces passed: the route's or the client's grpc-timeout) and a body over the limit is
     * RESOURCE_EXHAUSTED.
     */
    public static int statusFor(int httpStatus, UpstreamFailure.@Nullable Kind failure) {
        if (failure != null) {
            switch (failure) {
                case RESPONSE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT, CONNECT_TIMEOUT -> {
                    return DEADLINE_EXCEEDED;
                }
                case REQUEST_BODY_TOO_LARGE, RESPONSE_BODY_TOO_LARGE -> {
                    return RESOURCE_EXHAUSTED;
                }
                default -> {
                }
            }
        }
        return switch (httpStatus) {
            case 400, 500 -> INTERNAL;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404, 405, 501 -> UNIMPLEMENTED;
            case 413 -> RESOURCE_EXHAUSTED;
            case 429, 502, 503 -> UNAVAILABLE;
            case 504 -> DEADLINE_EXCEEDED;
            default -> UNKNOWN;
        };
    }

    /** {@code text} as grpc-message carries it: percent-encoded outside printable ASCII and {@code %}. */
    public static String encodeMessage(String text) {
        StringBuilder out = null;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b >= 0x20 && b <= 0x7e && b != '%';
            if (plain && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (plain) {
                out.append((char) b);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b));
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * The proxy's own answer to a gRPC request, "trailers-only": HTTP 200, no body, the status and
     * message as headers ({@code httpStatus} is what a plain client would have got).
     */
    public static ProxyResponse error(int httpStatus, UpstreamFailure.@Nullable Kind failure, String message) {
        return ProxyResponse.builder(200)
                .headers(Headers.of("Content-Type", "application/grpc",
                        "grpc-status", Integer.toString(statusFor(httpStatus, failure)),
                        "grpc-message", encodeMessage(message)))
                .build();
    }
}
