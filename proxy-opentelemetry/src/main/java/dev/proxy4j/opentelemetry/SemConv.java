package dev.proxy4j.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.Set;

/**
 * The HTTP semantic conventions' attribute names (stable since semconv 1.23), written here rather
 * than taken from the incubating semconv artifact: a dozen constants.
 */
final class SemConv {

    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> NETWORK_PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> NETWORK_PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
    static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    /** The proxy's own: the request id of the access log and of {@code X-Request-Id}. */
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("proxy4j.request.id");
    static final AttributeKey<String> PROXY_ROUTE = AttributeKey.stringKey("proxy4j.route");
    static final AttributeKey<String> PROXY_UPSTREAM = AttributeKey.stringKey("proxy4j.upstream");
    static final AttributeKey<String> PROXY_REFUSAL = AttributeKey.stringKey("proxy4j.refusal");

    static final String OTHER = "_OTHER";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    private SemConv() {
    }

    /** A standard method as it is, anything else {@code _OTHER} (a client cannot make span names up). */
    static String method(String method) {
        return METHODS.contains(method) ? method : OTHER;
    }

    static void method(SpanBuilder builder, String method) {
        String known = method(method);
        builder.setAttribute(HTTP_METHOD, known);
        if (known.equals(OTHER)) {
            builder.setAttribute(HTTP_METHOD_ORIGINAL, method);
        }
    }

    /** {@code 1.1}, {@code 2} from {@code HTTP/1.1}, {@code HTTP/2.0}. */
    static String protocolVersion(String protocol) {
        String version = protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
        return version.endsWith(".0") && !version.equals("1.0") ? version.substring(0, version.length() - 2) : version;
    }

    /** {@code server.address} and {@code server.port} from the request's Host (or :authority). */
    static void serverAddress(SpanBuilder builder, String authority, String scheme) {
        if (authority.isEmpty()) {
            return;
        }
        String host = authority;
        int port = -1;
        int colon = authority.lastIndexOf(':');
        int bracket = authority.lastIndexOf(']');
        if (colon > bracket) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        builder.setAttribute(SERVER_ADDRESS, host);
        builder.setAttribute(SERVER_PORT, port >= 0 ? port : "https".equals(scheme) ? 443 : 80);
    }
}
