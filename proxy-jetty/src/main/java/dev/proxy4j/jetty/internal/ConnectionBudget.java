package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.Endpoint;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.jspecify.annotations.Nullable;

/**
 * The connections one loop's client may have open or opening to one endpoint, shared by the two
 * pools that open them there: Jetty's ({@link LoopConnectionPool}, for requests with a body and
 * whatever else the lean client does not take) and the lean client's ({@link LeanHttp11.Pool}).
 * Each takes a unit before it opens a connection and gives it back when that connection closes,
 * so that the upstream's {@code maxConnectionsPerEndpoint} holds for both together.
 *
 * <p>A request Jetty's pool cannot open a connection for waits in its destination's queue, which
 * only Jetty's own connections serve. When the lean pool holds the units it needs, the budget
 * notes the waiting destination: the lean pool closes an idle connection for it at once, or the
 * next one whose exchange ends, and each unit given back tells that destination to try again.
 * The lean pool never closes Jetty's connections: under a limit reached for long, connections
 * pass to Jetty's pool (which then carries the bodiless requests too) and stay there until idle,
 * rather than going back and forth.
 */
final class ConnectionBudget {

    private final int max;
    private final LoopClientConnector loop;
    private final AtomicInteger open = new AtomicInteger();
    /** What the lean pools of this endpoint do when Jetty's waits: close an idle connection. */
    private final List<Runnable> shedders = new CopyOnWriteArrayList<>();
    private volatile @Nullable HttpDestination waiting;

    ConnectionBudget(int max, LoopClientConnector loop) {
        this.max = max;
        this.loop = loop;
    }

    /** Takes a unit for a connection about to open; false when all are taken. */
    boolean take() {
        while (true) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back the unit of a connection that closed (or never opened). */
    void give() {
        open.decrementAndGet();
        HttpDestination destination = waiting;
        if (destination != null) {
            waiting = null;
            onLoop(destination::send);
        }
    }

    /**
     * {@link #take} for Jetty's pool, whose refused request waits in {@code destination}'s queue:
     * when refused, the destination is noted and the lean pools are asked to close an idle connection.
     */
    boolean takeOrWait(HttpDestination destination) {
        if (take()) {
            return true;
        }
        waiting = destination;
        // A unit given back before the note was seen would tell no one: look once more.
        if (take()) {
            return true;
        }
        for (Runnable shed : shedders) {
            onLoop(shed);
        }
        return false;
    }

    /** True while a request of Jetty's waits for a unit the lean pool holds. */
    boolean jettyWaiting() {
        HttpDestination destination = waiting;
        return destination != null && destination.getQueuedRequestCount() > 0;
    }

    /** Connections open or opening, by both pools. */
    int open() {
        return open.get();
    }

    /** Adds a lean pool's way of closing one of its idle connections, run on the loop. */
    void onJettyWaiting(Runnable shed) {
        shedders.add(shed);
    }

    /** Removes what {@link #onJettyWaiting} added, once the lean pool drains. */
    void remove(Runnable shed) {
        shedders.remove(shed);
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (IllegalStateException stopped) {
            // The loop has stopped, and its connections with it.
        }
    }

    /**
     * The budgets of one loop's client, by endpoint: a bean of that client, found by both pools.
     * One budget per host, port and resolved address, as many as the client's destinations.
     */
    static final class Registry {
        private final int max;
        private final LoopClientConnector loop;
        private final Map<Key, ConnectionBudget> budgets = new ConcurrentHashMap<>();

        Registry(int max, LoopClientConnector loop) {
            this.max = max;
            this.loop = loop;
        }

        /** The budget of a plain (no TLS, no tag) destination; null for any other, which the lean client never opens. */
        @Nullable ConnectionBudget of(Destination destination) {
            if (destination.isSecure() || destination.getOrigin().getTag() != null) {
                return null;
            }
            InetAddress address = destination.getOrigin().getTransport() instanceof ResolvedTransport resolved
                    ? resolved.address().getAddress() : null;
            var origin = destination.getOrigin().getAddress();
            return budget(new Key(normal(origin.getHost()), origin.getPort(), address));
        }

        /** The budget of the lean client's connections to {@code endpoint}, a plain one. */
        ConnectionBudget of(Endpoint endpoint) {
            return budget(new Key(normal(endpoint.host()), endpoint.port(), endpoint.address()));
        }

        private ConnectionBudget budget(Key key) {
            ConnectionBudget budget = budgets.get(key);
            return budget != null ? budget : budgets.computeIfAbsent(key, k -> new ConnectionBudget(max, loop));
        }

        private static String normal(String host) {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return bare.toLowerCase(Locale.ROOT);
        }

        private record Key(String host, int port, @Nullable InetAddress address) {
        }
    }
}
