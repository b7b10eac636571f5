package dev.proxy4j.jetty.internal;

import dev.proxy4j.admin.ProxyStatus;
import dev.proxy4j.admin.UpstreamStatus;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.Upstream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The running proxy's {@link ProxyStatus}: the configuration in force, readiness, requests in
 * flight (Jetty's graceful handler counts them), and each upstream's endpoints and pool, read from
 * live counters.
 */
final class LiveStatus implements ProxyStatus {

    private final ForwardingHandler handler;
    private final GracefulHandler graceful;
    private final UpstreamPools pools;
    private volatile boolean ready;
    private volatile boolean draining;

    private final OpenTunnels openTunnels;

    LiveStatus(ForwardingHandler handler, GracefulHandler graceful, UpstreamPools pools,
            OpenTunnels openTunnels) {
        this.openTunnels = openTunnels;
        this.handler = handler;
        this.graceful = graceful;
        this.pools = pools;
    }

    void ready() {
        ready = true;
    }

    void draining() {
        draining = true;
        ready = false;
    }

    @Override
    public ProxyConfig config() {
        return handler.config();
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public boolean isDraining() {
        return draining;
    }

    @Override
    public long inFlightRequests() {
        return graceful.getCurrentRequestCount();
    }

    @Override
    public int openTunnels() {
        return openTunnels.count();
    }

    /** Closes every open tunnel: the server is stopping. */
    void closeTunnels() {
        openTunnels.closeAll();
    }

    @Override
    public List<UpstreamStatus> upstreams() {
        List<UpstreamStatus> upstreams = new ArrayList<>();
        for (Upstream upstream : config().upstreams()) {
            upstreams.add(status(upstream));
        }
        for (Upstream tcp : config().tcpUpstreams()) {
            if (upstreams.stream().noneMatch(u -> u.name().equals(tcp.name()))) {
                upstreams.add(status(tcp));
            }
        }
        return upstreams;
    }

    private UpstreamStatus status(Upstream upstream) {
        return new UpstreamStatus(upstream.name(), String.valueOf(upstream.loadBalancer()), upstream.endpointStatuses(),
                pools.connections(upstream));
    }
}
