package dev.proxy4j.server;

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

    private static final int MAX_REQUEST_HEADERS = 64 * 1024;

    HttpClient start() throws Exception {
        return start(new SslContextFactory.Client(true));
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
        HTTP2Client http2 = new HTTP2Client(connector);
        // Room to send more than the proxy accepts: tests see the proxy's limits, not the client's.
        http2.setMaxRequestHeadersSize(MAX_REQUEST_HEADERS);
        HttpClient client = this == HTTP_1_1
                ? new HttpClient(new HttpClientTransportOverHTTP(connector))
                : new HttpClient(new HttpClientTransportOverHTTP2(http2));
        client.setMaxRequestHeadersSize(MAX_REQUEST_HEADERS);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        return client;
    }
}
