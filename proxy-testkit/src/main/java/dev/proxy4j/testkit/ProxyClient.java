package dev.proxy4j.testkit;

import dev.proxy4j.http.Headers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.jspecify.annotations.Nullable;

/**
 * A small blocking HTTP client for tests, bound to one proxy: {@code client.get("/orders/1")}.
 * An absolute URL keeps its host as the request's Host (HTTP/1.1) or {@code :authority} (HTTP/2)
 * but still goes to the proxy, so routing by host can be tested without DNS:
 * {@code client.get("http://api.example.com/orders/1")}.
 * Follows no redirects, sends no User-Agent or Accept-Encoding of its own, decodes no body, and
 * waits up to 10 s per request.
 */
public final class ProxyClient implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final URI base;
    private final HttpClient client;

    private ProxyClient(URI base, HttpClient client) {
        this.base = base;
        this.client = client;
        InetSocketAddress proxy = new InetSocketAddress(base.getHost(), base.getPort());
        client.setSocketAddressResolver((host, port, context, promise) -> promise.succeeded(List.of(proxy)));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("test client failed to start: " + e, e);
        }
        // Show the test what the proxy sent: no Accept-Encoding of the client's own, no transparent decoding.
        client.getContentDecoderFactories().clear();
    }

    static ProxyClient http1(URI base) {
        return new ProxyClient(base, new HttpClient(new HttpClientTransportOverHTTP(new ClientConnector())));
    }

    static ProxyClient http2(URI base) {
        return new ProxyClient(base, new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(new ClientConnector()))));
    }

    /** GET {@code pathAndQuery} with optional headers as alternating names and values. */
    public Response get(String pathAndQuery, String... headers) {
        return send("GET", pathAndQuery, null, headers);
    }

    /** POST {@code body} (UTF-8, text/plain unless a Content-Type header is given). */
    public Response post(String pathAndQuery, String body, String... headers) {
        return send("POST", pathAndQuery, Objects.requireNonNull(body, "body"), headers);
    }

    /** Any method, an optional body, headers as alternating names and values. */
    public Response send(String method, String pathAndQuery, @Nullable String body, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers: " + headers.length + " strings (expected: names and values in pairs)");
        }
        Request request = client.newRequest(base.resolve(pathAndQuery)).method(method)
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .headers(h -> {
                    for (int i = 0; i < headers.length; i += 2) {
                        h.add(headers[i], headers[i + 1]);
                    }
                });
        if (body != null) {
            request.body(new StringRequestContent(body));
        }
        try {
            ContentResponse response = request.send();
            Headers.Builder received = Headers.builder();
            for (HttpField field : response.getHeaders()) {
                received.add(field.getName(), field.getValue());
            }
            return new Response(response.getStatus(), received.build(), response.getContentAsString(),
                    response.getVersion().asString(), response.getContent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + pathAndQuery + " was interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + base.resolve(pathAndQuery) + " failed: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("test client failed to stop: " + e, e);
        }
    }

    /**
     * What came back: status, headers in order, the body as text, the protocol, and the body's bytes
     * as they came (the client decodes no Content-Encoding: a compressed body is compressed here).
     */
    public record Response(int status, Headers headers, String body, String protocol, byte[] bytes) {
        public @Nullable String header(String name) {
            return headers.get(name);
        }
    }
}
