package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.EndpointGroup;
import dev.proxy4j.upstream.EndpointState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.ConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.http2.client.transport.internal.HttpConnectionOverHTTP2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the pooled connections to an endpoint once it has left its upstream's group (removed, or
 * drained and its last request done), rather than leaving them to the idle timeout. An idle
 * HTTP/1.1 connection is taken from the pool first, so that no request can be given it meanwhile,
 * then closed; an HTTP/2 connection is closed once it carries no stream. A connection still busy -
 * the last response's connection not yet handed back to the pool, a stream still ending, or a
 * request of an older configuration sharing the pool - is looked at again every
 * {@link #RETRY_MILLIS} ms, {@link #RETRIES} times; after that the idle timeout closes it.
 */
final class RemovedEndpoints implements EndpointGroup.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(RemovedEndpoints.class);
    static final long RETRY_MILLIS = 200;
    static final int RETRIES = 50;

    private final UpstreamRuntime upstream;
    private final Object lock = new Object();
    private Map<String, Endpoint> members;

    RemovedEndpoints(UpstreamRuntime upstream) {
        this.upstream = upstream;
        this.members = keys(upstream.upstream().group().snapshot().members());
    }

    @Override
    public void onChange(EndpointGroup.Snapshot snapshot) {
        Map<String, Endpoint> now = keys(snapshot.members());
        List<Endpoint> gone = new ArrayList<>();
        synchronized (lock) {
            members.forEach((key, endpoint) -> {
                if (!now.containsKey(key)) {
                    gone.add(endpoint);
                }
            });
            members = now;
        }
        for (Endpoint endpoint : gone) {
            upstream.drainLean(endpoint);
            for (HttpClient client : upstream.pool().clients()) {
                try {
                    client.getExecutor().execute(() -> closeIdle(client, endpoint, RETRIES));
                } catch (RejectedExecutionException stopping) {
                    // The proxy stops: its clients close every connection anyway.
                }
            }
        }
    }

    private static void closeIdle(HttpClient client, Endpoint endpoint, int retries) {
        boolean busy = false;
        for (Destination destination : client.getDestinations()) {
            Origin origin = destination.getOrigin();
            if (origin.getAddress().getPort() != endpoint.port()
                    || !origin.getAddress().getHost().equalsIgnoreCase(endpoint.host())
                    || destination.isSecure() != endpoint.isSecure()
                    || !ResolvedTransport.matches(origin.getTransport(), endpoint)) {
                continue;
            }
            ConnectionPool pool = destination.getConnectionPool();
            int closed = 0;
            for (int i = client.getMaxConnectionsPerDestination(); i > 0; i--) {
                Connection connection = pool.acquire(false);
                if (connection == null) {
                    break;
                }
                if (connection instanceof HttpConnectionOverHTTP2 h2 && !h2.getSession().getStreams().isEmpty()) {
                    // Its streams end on their own; the next look closes it.
                    pool.release(connection);
                    busy = true;
                    break;
                }
                // Taken from the pool, an HTTP/1.1 connection carries nothing else, and an HTTP/2 one
                // with no stream carries nothing at all: closing it cuts no request.
                connection.close();
                closed++;
            }
            // What is left in the pool is busy: its request is ending, or it is an older configuration's.
            busy |= !pool.isEmpty();
            LOG.debug("closed {} idle connections to {}, which left its upstream", closed, endpoint.authority());
        }
        if (busy && retries > 0) {
            try {
                client.getScheduler().schedule(() -> {
                    try {
                        client.getExecutor().execute(() -> closeIdle(client, endpoint, retries - 1));
                    } catch (RejectedExecutionException stopping) {
                        // The proxy stops: its clients close every connection anyway.
                    }
                }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // as above
            }
        }
    }

    /** The members by scheme, host, port and resolved address: what tells one server from another. */
    private static Map<String, Endpoint> keys(List<EndpointState> members) {
        Map<String, Endpoint> keys = new HashMap<>();
        for (EndpointState state : members) {
            Endpoint e = state.endpoint();
            java.net.InetAddress address = e.address();
            keys.put((e.isSecure() ? "https://" : "http://") + e.host().toLowerCase(Locale.ROOT) + ':' + e.port()
                    + (address == null ? "" : "@" + address.getHostAddress()), e);
        }
        return keys;
    }
}
