package dev.proxy4j.server;

import java.net.InetSocketAddress;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** HTTP clients for tests: HTTP/1.1 or HTTP/2 (h2c with prior knowledge, or h2 over TLS). */
enum Clients {
    HTTP_1_1,
    HTTP_2;

    HttpClient start() throws Exception {
        return start(new SslContextFactory.Client(true));
    }

    /**
     * A client that connects to 127.0.0.1:{@code port} whatever host and port a request names, so that
     * tests can send any Host (HTTP/1.1) or :authority (HTTP/2) to the proxy.
     */
    HttpClient startConnectingTo(int port) throws Exception {
        HttpClient client = create(new SslContextFactory.Client(true));
        client.setSocketAddressResolver((host, ignored, context, promise) ->
                promise.succeeded(List.of(new InetSocketAddress("127.0.0.1", port))));
        client.start();
        client.getContentDecoderFactories().clear();
        return client;
    }

    HttpClient start(SslContextFactory.Client tls) throws Exception {
        HttpClient client = create(tls);
        client.start();
        // No Accept-Encoding of the test client's own: tests see exactly what the proxy adds.
        client.getContentDecoderFactories().clear();
        return client;
    }

    private HttpClient create(SslContextFactory.Client tls) {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        HttpClient client = this == HTTP_1_1
                ? new HttpClient(new HttpClientTransportOverHTTP(connector))
                : new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        return client;
    }
}
