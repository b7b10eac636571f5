package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.Upstream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The upstreams' health work, off the request path: active health checks (sent with a client of
 * their own, whose connections have their own selector, so that no check is read by a request's
 * event loop) and the outlier detectors' sweeps, on the server's scheduler. One {@link UpstreamHealth}
 * per upstream of the configuration in force; a reconfigure starts it for new upstreams and stops
 * it for those no longer in force.
 */
final class HealthChecks extends ContainerLifeCycle {

    private final Scheduler scheduler;
    private final HttpClient client;
    private final ClientConnector connector;
    /** By identity: an upstream is the configuration's object, and its group is live. Guarded by this. */
    private final Map<Upstream, UpstreamHealth> running = new IdentityHashMap<>();
    private List<Upstream> inForce = List.of();
    /** Of {@link #inForce}, those the proxy forwards only raw TCP to. */
    private Set<Upstream> rawTcpOnly = Set.of();

    HealthChecks(ThreadPool threads, Scheduler scheduler, ByteBufferPool buffers) {
        this.scheduler = scheduler;
        ClientConnector connector = new ClientConnector();
        connector.setExecutor(threads);
        connector.setScheduler(scheduler);
        connector.setByteBufferPool(buffers);
        connector.setSelectors(1);
        connector.setSslContextFactory(new SslContextFactory.Client());
        this.connector = connector;
        HTTP2Client http2 = new HTTP2Client(connector);
        HttpClientTransportDynamic transport = new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11,
                new ClientConnectionFactoryOverHTTP2.HTTP2(http2));
        this.client = new HttpClient(transport);
        client.setExecutor(threads);
        client.setScheduler(scheduler);
        client.setByteBufferPool(buffers);
        client.setName("proxy4j-health-checks");
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(new org.eclipse.jetty.http.HttpField(org.eclipse.jetty.http.HttpHeader.USER_AGENT,
                "proxy4j-health-check"));
        client.setMaxConnectionsPerDestination(1);
        addBean(client, true);
    }

    /** The upstreams of {@code config} that need health work: its routes', its TCP listeners' and SNI passthrough's. */
    static List<Upstream> upstreamsOf(ProxyConfig config) {
        Set<Upstream> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Upstream> all = new ArrayList<>();
        for (Upstream upstream : config.upstreams()) {
            if (seen.add(upstream)) {
                all.add(upstream);
            }
        }
        for (Upstream upstream : config.tcpUpstreams()) {
            if (seen.add(upstream)) {
                all.add(upstream);
            }
        }
        return all;
    }

    /** The upstreams of {@code config} reached only as raw TCP (no route uses them): their checks are TCP connects. */
    static Set<Upstream> rawTcpOnly(ProxyConfig config) {
        Set<Upstream> raw = Collections.newSetFromMap(new IdentityHashMap<>());
        raw.addAll(config.tcpUpstreams());
        config.upstreams().forEach(raw::remove);
        return raw;
    }

    /**
     * Each upstream of {@code next} that is not itself in force takes over the state of the first
     * upstream of {@code previous} with its name ({@link Upstream#carryStateFrom}): a reload that
     * keeps an upstream keeps what the proxy knew of its endpoints' health.
     */
    static void carryState(List<Upstream> previous, List<Upstream> next) {
        Set<Upstream> same = Collections.newSetFromMap(new IdentityHashMap<>());
        same.addAll(previous);
        Map<String, Upstream> byName = new java.util.HashMap<>();
        for (Upstream upstream : previous) {
            byName.putIfAbsent(upstream.name(), upstream);
        }
        for (Upstream upstream : next) {
            Upstream was = byName.get(upstream.name());
            if (was != null && !same.contains(upstream)) {
                upstream.carryStateFrom(was);
            }
        }
    }

    /** Makes {@code config}'s upstreams the ones in force: health work starts for new ones and stops for the others. */
    synchronized void inForce(ProxyConfig config) {
        inForce = List.copyOf(upstreamsOf(config));
        rawTcpOnly = rawTcpOnly(config);
        if (isStarted()) {
            reconcile();
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        synchronized (this) {
            reconcile();
        }
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            running.values().forEach(UpstreamHealth::stop);
            running.clear();
        }
        super.doStop();
    }

    /** Under this. */
    private void reconcile() {
        Set<Upstream> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        wanted.addAll(inForce);
        running.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().stop();
            return true;
        });
        for (Upstream upstream : inForce) {
            if (!running.containsKey(upstream)
                    && dev.proxy4j.upstream.HealthScheduler.needed(upstream)) {
                UpstreamHealth health = new UpstreamHealth(upstream, rawTcpOnly.contains(upstream), client, connector,
                        scheduler);
                running.put(upstream, health);
                health.start();
            }
        }
    }
}
