package dev.proxy4j.server;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real backend on 127.0.0.1, port 0, speaking HTTP/1.1 and h2c, that records the head of every
 * request it gets and answers with the given handler.
 */
final class TestBackend implements AutoCloseable {

    /** What the backend saw of one request. */
    record Seen(String method, String pathQuery, HttpFields headers, String authority, String protocol) {
        List<String> all(String name) {
            return headers.getValuesList(name);
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    private final Server server;
    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

    private TestBackend(Handler handler) throws Exception {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        // More than the proxy accepts, so that the proxy's limits are what tests see.
        config.setRequestHeaderSize(64 * 1024);
        // Any path the proxy forwards is taken as it is, so that tests see what the proxy sent.
        config.setUriCompliance(org.eclipse.jetty.http.UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(server,
                new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Wrapper(handler) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                seen.add(new Seen(request.getMethod(), request.getHttpURI().getPathQuery(),
                        HttpFields.build(request.getHeaders()).asImmutable(),
                        String.valueOf(request.getHttpURI().getAuthority()),
                        request.getConnectionMetaData().getProtocol()));
                return super.handle(request, response, callback);
            }
        });
        server.start();
    }

    static TestBackend start(Handler handler) throws Exception {
        return new TestBackend(handler);
    }

    /** Answers every request with 200 and {@code body}. */
    static TestBackend answering(String body) throws Exception {
        return start(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Content-Type", "text/plain");
                Content.write(response, body, callback);
                return true;
            }
        });
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    String uri() {
        return "http://127.0.0.1:" + port();
    }

    URI asUri() {
        return URI.create(uri());
    }

    Seen take() throws InterruptedException {
        Seen next = seen.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("expected a request at backend " + uri() + " within 10s, none arrived");
        }
        return next;
    }

    List<Seen> drain() {
        List<Seen> all = new ArrayList<>();
        seen.drainTo(all);
        return all;
    }

    int received() {
        return seen.size();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Small helpers for writing bodies in handlers. */
    static final class Content {
        private Content() {
        }

        static void write(Response response, String body, Callback callback) {
            org.eclipse.jetty.io.Content.Sink.write(response, true, body, callback);
        }
    }
}
