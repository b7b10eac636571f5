package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * Pooled Jetty {@link HttpClient}s per upstream, so that each upstream's connect timeout, pool size
 * and idle timeout apply to it alone: one per event loop, whose connections that loop carries (see
 * {@link LoopConnector}). An upstream's connection limit per endpoint is shared out among the
 * loops. All clients share the server's threads, scheduler and buffer pool.
 */
final class UpstreamClients extends ContainerLifeCycle {

    /** Per upstream, its clients indexed by loop. */
    private final Map<Upstream, HttpClient[]> clients = new IdentityHashMap<>();

    UpstreamClients(Iterable<Upstream> upstreams, ThreadPool threads, Scheduler scheduler, ByteBufferPool buffers,
            List<LoopConnector> loops) {
        int loopCount = 0;
        for (LoopConnector connector : loops) {
            loopCount += connector.loops();
        }
        if (loopCount == 0) {
            throw new IllegalArgumentException("no event loop to carry upstream connections");
        }
        for (Upstream upstream : upstreams) {
            if (!clients.containsKey(upstream)) {
                clients.put(upstream, newClients(upstream, loops, loopCount, threads, scheduler, buffers));
            }
        }
    }

    /**
     * One client per loop, or per connection allowed when the limit is lower than the loops. The
     * limit is shared out so that the shares add up to it; loop {@code i} gets
     * {@code limit / loops}, plus one for the first {@code limit % loops} loops.
     */
    private HttpClient[] newClients(Upstream upstream, List<LoopConnector> loops, int loopCount, ThreadPool threads,
            Scheduler scheduler, ByteBufferPool buffers) {
        int limit = upstream.maxConnectionsPerEndpoint();
        HttpClient[] byLoop = new HttpClient[Math.min(loopCount, limit)];
        for (LoopConnector connector : loops) {
            for (int i = 0; i < connector.loops(); i++) {
                int loop = connector.firstLoop() + i;
                if (loop < byLoop.length) {
                    int share = limit / byLoop.length + (loop < limit % byLoop.length ? 1 : 0);
                    byLoop[loop] = newClient(upstream, new LoopClientConnector(connector, i), share, threads, scheduler,
                            buffers);
                    addBean(byLoop[loop], true);
                }
            }
        }
        return byLoop;
    }

    /** The upstream's clients, indexed by loop; fewer than the loops when its connection limit is lower. */
    HttpClient[] clientsFor(Upstream upstream) {
        HttpClient[] client = clients.get(upstream);
        if (client == null) {
            throw new IllegalStateException("no client for upstream " + upstream.name());
        }
        return client;
    }

    private static HttpClient newClient(Upstream upstream, ClientConnector connector, int maxConnections,
            ThreadPool threads, Scheduler scheduler, ByteBufferPool buffers) {
        connector.setExecutor(threads);
        connector.setScheduler(scheduler);
        connector.setByteBufferPool(buffers);
        connector.setConnectTimeout(upstream.connectTimeout());
        connector.setIdleTimeout(upstream.idleTimeout());
        // Backends are often internal with private certificates; verification is on by default all the same.
        connector.setSslContextFactory(new SslContextFactory.Client());

        HttpClientTransportDynamic transport;
        if (upstream.protocol() == UpstreamProtocol.HTTP_2) {
            HTTP2Client http2 = new HTTP2Client(connector);
            transport = new HttpClientTransportDynamic(connector, new ClientConnectionFactoryOverHTTP2.HTTP2(http2));
        } else {
            transport = new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11);
        }
        // Response listeners never block (the filter contract): they run on the loop that read the response.
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        client.setExecutor(threads);
        client.setScheduler(scheduler);
        client.setByteBufferPool(buffers);
        client.setName("proxy4j-upstream-" + upstream.name());
        client.setConnectTimeout(upstream.connectTimeout().toMillis());
        client.setIdleTimeout(upstream.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(maxConnections);
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, maxConnections * 4));
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        // The client's own User-Agent would be a second one: the backend gets the client's, or none.
        client.setUserAgentField(null);
        return client;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // HttpClient installs its decoders and protocol handlers when it starts; take them out after.
        for (HttpClient[] byLoop : clients.values()) {
            for (HttpClient client : byLoop) {
                // Bodies pass through as the backend encoded them, and no Accept-Encoding is added.
                client.getContentDecoderFactories().clear();
                // No redirect, authentication or 100-continue handling: 3xx and 401 pass through as they are.
                client.getProtocolHandlers().clear();
                client.getProtocolHandlers().put(new ProcessingProtocolHandler());
                client.getProtocolHandlers().put(new EarlyHintsProtocolHandler());
            }
        }
    }
}
