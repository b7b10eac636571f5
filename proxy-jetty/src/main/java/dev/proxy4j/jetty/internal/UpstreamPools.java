package dev.proxy4j.jetty.internal;

import dev.proxy4j.admin.ConnectionStats;

import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pools to upstreams: Jetty {@link HttpClient}s, one per event loop, whose
 * connections that loop carries (see {@link LoopConnector}). A pool is keyed by the upstream's name
 * and connection settings, so routes (and configurations, across a reconfigure) that name one
 * upstream share its connections. Pools are reference counted by the routing snapshots that use
 * them and stopped once the last one lets go. An upstream's connection limit per endpoint is
 * shared out among the loops.
 */
final class UpstreamPools extends ContainerLifeCycle {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPools.class);
    /** Room for what the proxy adds to a request: X-Forwarded-*, Forwarded, Via, X-Request-Id, a header rule's. */
    private static final int FORWARDING_HEADER_BYTES = 8 * 1024;

    private final ThreadPool threads;
    private final Scheduler scheduler;
    private final ByteBufferPool buffers;
    private final List<LoopConnector> loops;
    private final int loopCount;
    /** Each loop's response-header and per-try timeouts. */
    private final Deadlines[] deadlines;
    /** Each loop's fields for the headers the proxy adds. */
    private final AddedFields[] addedFields;
    private final Executor stopper;
    private final Map<Key, Pool> pools = new HashMap<>();
    private final int requestHeaderBytes;
    private final int responseHeaderBytes;
    private final OpenTunnels openTunnels;
    /** Told each backend connect's time, when metrics are on. */
    private final dev.proxy4j.metrics.@org.jspecify.annotations.Nullable ProxyMetrics metrics;

    /**
     * @param requestHeaderBytes the most header bytes a client may send; a backend request is
     *     given room for that plus the forwarding headers the proxy adds, so that nothing the
     *     proxy accepted fails to go out
     * @param responseHeaderBytes the most header bytes the proxy writes to a client; a backend
     *     response with more is malformed (502)
     */
    UpstreamPools(ThreadPool threads, Scheduler scheduler, ByteBufferPool buffers, List<LoopConnector> loops,
            int requestHeaderBytes, int responseHeaderBytes, OpenTunnels openTunnels,
            dev.proxy4j.metrics.@org.jspecify.annotations.Nullable ProxyMetrics metrics) {
        this.openTunnels = openTunnels;
        this.metrics = metrics;
        this.requestHeaderBytes = requestHeaderBytes + FORWARDING_HEADER_BYTES;
        this.responseHeaderBytes = responseHeaderBytes;
        this.threads = threads;
        this.scheduler = scheduler;
        this.buffers = buffers;
        this.loops = loops;
        int count = 0;
        for (LoopConnector connector : loops) {
            count += connector.loops();
        }
        // Zero with TCP listeners only: no HTTP request ever asks for a client then.
        this.loopCount = count;
        this.deadlines = new Deadlines[Math.max(1, count)];
        this.addedFields = new AddedFields[deadlines.length];
        for (int i = 0; i < deadlines.length; i++) {
            deadlines[i] = new Deadlines(scheduler);
            addedFields[i] = new AddedFields();
        }
        this.stopper = threads;
    }

    /** What makes two upstreams share connections. */
    record Key(String name, UpstreamProtocol protocol, Duration connectTimeout, int maxConnectionsPerEndpoint,
            Duration idleTimeout, java.util.Optional<dev.proxy4j.forward.ProxyProtocol> proxyProtocol) {
        static Key of(Upstream upstream) {
            return new Key(upstream.name(), upstream.protocol(), upstream.connectTimeout(),
                    upstream.maxConnectionsPerEndpoint(), upstream.idleTimeout(), upstream.proxyProtocol());
        }
    }

    /** One upstream's clients, indexed by loop, and how many routing snapshots hold it. */
    final class Pool {
        private final Key key;
        private final HttpClient[] clients;
        private int references;
        private final Map<org.eclipse.jetty.io.Connection, java.util.Set<HttpDestination>> clientDestinations =
                new java.util.concurrent.ConcurrentHashMap<>();

        Pool(Key key, HttpClient[] clients) {
            this.key = key;
            this.clients = clients;
        }

        /** The timeouts of loop {@code loop}'s attempts. */
        Deadlines deadlines(int loop) {
            return deadlines[Math.floorMod(loop, deadlines.length)];
        }

        /** The fields loop {@code loop} reuses for the headers the proxy adds. */
        AddedFields addedFields(int loop) {
            return addedFields[Math.floorMod(loop, addedFields.length)];
        }

        /** The proxy's count of open tunnels. */
        OpenTunnels openTunnels() {
            return openTunnels;
        }

        /**
         * The client whose connections loop {@code loop} carries; when the upstream allows fewer
         * connections than there are loops, the later loops borrow an earlier loop's client.
         */
        /** Every client of the pool, one per loop (fewer when the connection limit is lower). */
        List<HttpClient> clients() {
            return List.of(clients);
        }

        /** The lean client's pools ({@link LeanHttp11}), by endpoint and slot; touched only with it on. */
        private final java.util.Map<dev.proxy4j.upstream.Endpoint, LeanHttp11.@org.jspecify.annotations.Nullable Pool[]> leanPools =
                new java.util.concurrent.ConcurrentHashMap<>();

        /**
         * Lets go of the lean client's connections to {@code gone}, an endpoint that left the
         * upstream: idle ones close now, busy ones when their exchange ends ({@link LeanHttp11.Pool#drain}).
         */
        void drainLean(dev.proxy4j.upstream.Endpoint gone) {
            leanPools.entrySet().removeIf(entry -> {
                dev.proxy4j.upstream.Endpoint e = entry.getKey();
                if (e.port() != gone.port() || e.isSecure() != gone.isSecure() || !e.host().equalsIgnoreCase(gone.host())
                        || !java.util.Objects.equals(e.address(), gone.address())) {
                    return false;
                }
                for (LeanHttp11.@org.jspecify.annotations.Nullable Pool lean : entry.getValue()) {
                    if (lean != null) {
                        lean.drain();
                    }
                }
                return true;
            });
        }

        /** The lean client's connections to {@code endpoint} from {@code loop} ({@link LeanHttp11}). */
        LeanHttp11.Pool leanPool(dev.proxy4j.upstream.Endpoint endpoint, int loop) {
            LeanHttp11.@org.jspecify.annotations.Nullable Pool[] byLoop = leanPools.computeIfAbsent(endpoint, e -> new LeanHttp11.Pool[clients.length]);
            int slot = slot(loop);
            LeanHttp11.Pool made = byLoop[slot];
            if (made != null) {
                // Its fields are final or start at their defaults: safe to read as published.
                return made;
            }
            // A send off the loop may ask too (it then goes by Jetty's client): made once, under the array's lock.
            synchronized (byLoop) {
                LeanHttp11.Pool lean = byLoop[slot];
                if (lean == null) {
                    lean = new LeanHttp11.Pool(client(loop), endpoint, clientPerLoop());
                    byLoop[slot] = lean;
                }
                return lean;
            }
        }

        /** True when every loop has a client of its own (none shares its connection limit with another loop). */
        boolean clientPerLoop() {
            return clients.length >= loopCount;
        }

        HttpClient client(int loop) {
            return clients[slot(loop)];
        }

        /** The index of loop {@code loop}'s client among {@link #clients()}. */
        int slot(int loop) {
            return loop < clients.length ? loop : loop % clients.length;
        }

        /**
         * Closes {@code destination} (a PROXY protocol upstream's destination of one client
         * connection, whose connections carry that client's header) when {@code client}, the client
         * connection, closes: as HAProxy closes a send-proxy server connection with its client, so
         * that short-lived clients do not leave a backend connection each until the idle timeout.
         * Watched once per client connection and destination; the watch ends with the connection.
         */
        void closeWithClient(org.eclipse.jetty.io.Connection client, HttpDestination destination) {
            java.util.Set<HttpDestination> watched = clientDestinations.get(client);
            if (watched != null && watched.contains(destination)) {
                return;
            }
            boolean first = watched == null;
            watched = clientDestinations.computeIfAbsent(client, c -> java.util.concurrent.ConcurrentHashMap.newKeySet());
            watched.add(destination);
            if (first) {
                client.addEventListener(new org.eclipse.jetty.io.Connection.Listener() {
                    @Override
                    public void onClosed(org.eclipse.jetty.io.Connection closed) {
                        java.util.Set<HttpDestination> gone = clientDestinations.remove(closed);
                        if (gone != null) {
                            gone.forEach(d -> d.getHttpClient().removeDestination(d));
                        }
                    }
                });
                if (!client.getEndPoint().isOpen()) {
                    // Closed while the listener was added: its onClosed may have come before.
                    java.util.Set<HttpDestination> gone = clientDestinations.remove(client);
                    if (gone != null) {
                        gone.forEach(d -> d.getHttpClient().removeDestination(d));
                    }
                }
            }
        }

        /** Client connections being watched by {@link #closeWithClient}: as many as are open. */
        int watchedClientConnections() {
            return clientDestinations.size();
        }

        @Override
        public String toString() {
            return "Pool[" + key.name() + ']';
        }
    }

    /** The pool for {@code upstream}, made (and started, when this is running) if none fits; held once more. */
    synchronized Pool retain(Upstream upstream) {
        Key key = Key.of(upstream);
        Pool pool = pools.get(key);
        if (pool == null) {
            Pool fresh = new Pool(key, newClients(upstream));
            try {
                for (HttpClient client : fresh.clients) {
                    addBean(client, true);
                    if (isStarted()) {
                        start(client);
                    }
                }
            } catch (RuntimeException e) {
                // A pool that could not start is not kept: the next configuration tries afresh.
                for (HttpClient client : fresh.clients) {
                    removeBean(client);
                    stopQuietly(client);
                }
                throw e;
            }
            pools.put(key, fresh);
            pool = fresh;
        }
        pool.references++;
        return pool;
    }

    /**
     * The pooled connections of {@code upstream}'s clients added up over the loops, read from
     * Jetty's public pool counters (no lock on the data path); {@link ConnectionStats#NONE} when no
     * pool is open for it.
     */
    ConnectionStats connections(Upstream upstream) {
        Pool pool;
        synchronized (this) {
            pool = pools.get(Key.of(upstream));
        }
        ConnectionStats total = ConnectionStats.NONE;
        if (pool == null) {
            return total;
        }
        for (HttpClient client : pool.clients) {
            for (org.eclipse.jetty.client.Destination destination : client.getDestinations()) {
                int active = 0;
                int idle = 0;
                if (destination.getConnectionPool() instanceof org.eclipse.jetty.client.AbstractConnectionPool counted) {
                    active = counted.getActiveConnectionCount();
                    idle = counted.getIdleConnectionCount();
                }
                int queued = destination instanceof org.eclipse.jetty.client.transport.HttpDestination http
                        ? http.getQueuedRequestCount() : 0;
                total = total.plus(new ConnectionStats(Math.max(0, active), Math.max(0, idle), Math.max(0, queued)));
            }
        }
        for (LeanHttp11.@org.jspecify.annotations.Nullable Pool[] byLoop : pool.leanPools.values()) {
            for (LeanHttp11.@org.jspecify.annotations.Nullable Pool lean : byLoop) {
                if (lean != null) {
                    total = total.plus(lean.stats());
                }
            }
        }
        return total;
    }

    /** How many pools are open. */
    synchronized int size() {
        return pools.size();
    }

    /** Lets go of {@code pool} once; the last release stops its clients, on a pool thread. */
    synchronized void release(Pool pool) {
        if (--pool.references > 0) {
            return;
        }
        pools.remove(pool.key);
        for (HttpClient client : pool.clients) {
            removeBean(client);
            try {
                stopper.execute(() -> stopQuietly(client));
            } catch (RejectedExecutionException notRunning) {
                // The proxy is not running (reconfigured before start or after stop): nothing to wait for.
                stopQuietly(client);
            }
        }
    }

    private static void stopQuietly(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("stopping upstream client {} failed", client.getName(), e);
        }
    }

    private static void start(HttpClient client) {
        try {
            if (!client.isStarted()) {
                client.start();
            }
        } catch (Exception e) {
            throw new IllegalStateException("upstream client failed to start: " + e.getMessage(), e);
        }
        strip(client);
    }

    /**
     * One client per loop, or per connection allowed when the limit is lower than the loops. The
     * limit is shared out so that the shares add up to it; loop {@code i} gets
     * {@code limit / loops}, plus one for the first {@code limit % loops} loops.
     */
    private HttpClient[] newClients(Upstream upstream) {
        int limit = upstream.maxConnectionsPerEndpoint();
        HttpClient[] byLoop = new HttpClient[Math.min(loopCount, limit)];
        for (LoopConnector connector : loops) {
            for (int i = 0; i < connector.loops(); i++) {
                int loop = connector.firstLoop() + i;
                if (loop < byLoop.length) {
                    int share = limit / byLoop.length + (loop < limit % byLoop.length ? 1 : 0);
                    LoopClientConnector pinned = new LoopClientConnector(connector, i, upstream.name(), metrics);
                    HttpClient client = newClient(upstream, pinned, share);
                    if (byLoop.length >= loopCount) {
                        // Its loop's own: the lean client may open connections beside Jetty's pool, in one budget.
                        client.addBean(new ConnectionBudget.Registry(share, pinned), false);
                    }
                    byLoop[loop] = client;
                }
            }
        }
        return byLoop;
    }

    private HttpClient newClient(Upstream upstream, ClientConnector connector, int maxConnections) {
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
            http2.setMaxRequestHeadersSize(Math.max(http2.getMaxRequestHeadersSize(), requestHeaderBytes));
            http2.setMaxResponseHeadersSize(responseHeaderBytes);
            transport = new HttpClientTransportDynamic(connector, new ClientConnectionFactoryOverHTTP2.HTTP2(http2));
        } else {
            transport = new HttpClientTransportDynamic(connector, Http11Upstream.INFO);
            // Jetty's default pool scans its connections from the first for an idle one; this one pops the last released.
            transport.setConnectionPoolFactory(
                    destination -> new LoopConnectionPool(destination, destination.getHttpClient().getMaxConnectionsPerDestination()));
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
        if (upstream.proxyProtocol().isPresent()) {
            // A destination per client connection (ProxyProtocolTags): each goes once idle, so that they stay bounded.
            client.setDestinationIdleTimeout(upstream.idleTimeout().toMillis());
        }
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, maxConnections * 4));
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        // The client's own User-Agent would be a second one: the backend gets the client's, or none.
        client.setUserAgentField(null);
        // Nor a Content-Type the client did not send (Jetty's default is application/octet-stream).
        client.setDefaultRequestContentType(null);
        client.setRequestBufferSize(Math.max(client.getRequestBufferSize(), requestHeaderBytes));
        client.setMaxRequestHeadersSize(Math.max(client.getMaxRequestHeadersSize(), requestHeaderBytes));
        client.setMaxResponseHeadersSize(responseHeaderBytes);
        // An address is used as it is, on the loop; only names go through the pool (Jetty's default).
        client.setSocketAddressResolver(new LiteralAddressResolver(
                new SocketAddressResolver.Async(threads, scheduler, client.getAddressResolutionTimeout())));
        return client;
    }

    /** HttpClient installs its decoders and protocol handlers when it starts; take them out after. */
    private static void strip(HttpClient client) {
        // Bodies pass through as the backend encoded them, and no Accept-Encoding is added.
        client.getContentDecoderFactories().clear();
        // No redirect, authentication or 100-continue handling: 3xx and 401 pass through as they are.
        client.getProtocolHandlers().clear();
        client.getProtocolHandlers().put(new ProcessingProtocolHandler());
        client.getProtocolHandlers().put(new EarlyHintsProtocolHandler());
        // A 101 to a request that asked to switch opens a tunnel.
        client.getProtocolHandlers().put(new TunnelUpgrades());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        synchronized (this) {
            for (Pool pool : pools.values()) {
                for (HttpClient client : pool.clients) {
                    strip(client);
                }
            }
        }
    }
}
