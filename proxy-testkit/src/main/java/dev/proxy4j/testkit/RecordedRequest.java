package dev.proxy4j.testkit;

import static java.util.Objects.requireNonNull;

import com.github.tomakehurst.wiremock.http.Request;
import dev.proxy4j.http.Headers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.AssertProvider;
import org.jspecify.annotations.Nullable;

/**
 * A request as a {@link FakeBackend} received it.
 *
 * <p>How faithful each part is:
 * <ul>
 *   <li>{@link #headers()} are the fields in arrival order, repeats kept where they were. Names of
 *       headers Jetty knows ({@code Content-Type}, {@code Accept}, ...) come in Jetty's canonical
 *       case whatever the client sent; other names keep the case they arrived with. Over HTTP/2
 *       every name is lower case and the pseudo-headers are not fields. Should the fake backend's
 *       WireMock ever hide Jetty's field list, it falls back to WireMock's view, which groups
 *       repeated names at the first occurrence (and logs a warning once).
 *   <li>{@link #body()} is the body after WireMock has read it: WireMock gunzips a body that is
 *       marked {@code Content-Encoding: gzip} or merely starts with the gzip magic bytes.
 *   <li>{@link #path()} and {@link #query()} are as sent, percent-encoding included.
 * </ul>
 *
 * <p>Implements {@link AssertProvider}, so AssertJ's own {@code assertThat(request)} returns a
 * {@link RecordedRequestAssert}.
 */
public final class RecordedRequest implements AssertProvider<RecordedRequestAssert> {

    private final int sequenceNumber;
    private final String method;
    private final String path;
    private final @Nullable String query;
    private final Headers headers;
    private final byte[] body;
    private final InetSocketAddress peer;
    private final String protocol;

    RecordedRequest(
            int sequenceNumber,
            String method,
            String path,
            @Nullable String query,
            Headers headers,
            byte[] body,
            InetSocketAddress peer,
            String protocol) {
        this.sequenceNumber = sequenceNumber;
        this.method = requireNonNull(method, "method");
        this.path = requireNonNull(path, "path");
        this.query = query;
        this.headers = requireNonNull(headers, "headers");
        this.body = body.clone();
        this.peer = requireNonNull(peer, "peer");
        this.protocol = requireNonNull(protocol, "protocol");
    }

    static RecordedRequest of(int sequenceNumber, Request request) {
        String url = request.getUrl();
        int question = url.indexOf('?');
        byte[] body = request.getBody();
        return new RecordedRequest(
                sequenceNumber,
                request.getMethod().getName(),
                question < 0 ? url : url.substring(0, question),
                question < 0 ? null : url.substring(question + 1),
                WireMockRequests.headers(request),
                body == null ? new byte[0] : body,
                WireMockRequests.peer(request),
                String.valueOf(request.getProtocol()));
    }

    /** This request's place among those the backend received since it started or was reset, from 0. */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    public String method() {
        return method;
    }

    /** The path as sent, without the query. */
    public String path() {
        return path;
    }

    /** The raw query, without {@code ?}; null when the target had none. */
    public @Nullable String query() {
        return query;
    }

    /** The header fields in arrival order; see the class comment for what WireMock lets through. */
    public Headers headers() {
        return headers;
    }

    /** The first value of {@code name} (any case), or null when absent. */
    public @Nullable String header(String name) {
        return headers.get(name);
    }

    /** Every value of {@code name} (any case), in arrival order. */
    public List<String> headerValues(String name) {
        return headers.getAll(name);
    }

    /** A copy of the body; empty when there was none. */
    public byte[] body() {
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The address and port the request came from (the proxy's side of the connection). */
    public InetSocketAddress peer() {
        return peer;
    }

    /** {@code HTTP/1.1} or {@code HTTP/2.0}. */
    public String protocol() {
        return protocol;
    }

    @Override
    public RecordedRequestAssert assertThat() {
        return new RecordedRequestAssert(this);
    }

    /** {@code GET /orders/1?expand=lines}. */
    @Override
    public String toString() {
        return method + ' ' + path + (query == null ? "" : "?" + query);
    }
}
