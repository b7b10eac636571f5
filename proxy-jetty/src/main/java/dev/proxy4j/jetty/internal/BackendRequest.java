package dev.proxy4j.jetty.internal;

import java.net.URI;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * A proxy-to-server request whose path and query are the core request's, as they are.
 *
 * <p>Jetty's {@code Request.path(String)} parses its argument as a {@code java.net.URI} on every
 * request and splits the query into decoded parameters the proxy never reads. Worse, a path that
 * begins with {@code //} parses as an authority: {@code //a/b} went out as {@code /b}. Here the
 * path and query the proxy already holds, checked as it read the client's request, go on the
 * request line unchanged; the senders (HTTP/1.1 and HTTP/2) read them through {@link #getPath()}
 * and {@link #getQuery()}.
 */
final class BackendRequest extends HttpRequest {

    private String path;
    private @Nullable String query;

    /**
     * @param origin the endpoint's origin, as {@link UpstreamRuntime#origin} makes it once
     * @param path the raw path, starting with {@code /}
     * @param query the raw query without {@code ?}, or null for none
     */
    BackendRequest(HttpClient client, URI origin, String path, @Nullable String query) {
        super(client, new BackendConversation(), origin);
        this.path = path;
        this.query = query;
    }

    @Override
    public String getPath() {
        return path;
    }

    @Override
    public @Nullable String getQuery() {
        return query;
    }

    /** Replaces path and query with a request target such as {@code /a?b=1}, as given: what Jetty's normalization sets. */
    @Override
    public Request path(String target) {
        int q = target.indexOf('?');
        this.path = q < 0 ? target : target.substring(0, q);
        this.query = q < 0 ? null : target.substring(q + 1);
        return this;
    }
}
