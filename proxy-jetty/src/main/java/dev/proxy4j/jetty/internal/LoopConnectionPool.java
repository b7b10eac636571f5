package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.jspecify.annotations.Nullable;

/**
 * The connection pool of an HTTP/1.1 upstream's destination, one per endpoint and event loop:
 * Jetty's pool of connections carrying one exchange at a time, over a {@link LifoPool}, so that
 * the connection a request gets is the one released last, found without a scan. Its connections
 * count in the endpoint's {@link ConnectionBudget} with the lean client's, when the loop's client has one.
 */
final class LoopConnectionPool extends AbstractConnectionPool {

    LoopConnectionPool(Destination destination, int maxConnections) {
        super(destination, () -> new LifoPool<>(maxConnections, gate(destination)), 1);
    }

    private static LifoPool.@Nullable Gate gate(Destination destination) {
        ConnectionBudget.Registry budgets = destination.getHttpClient().getBean(ConnectionBudget.Registry.class);
        ConnectionBudget budget = budgets == null ? null : budgets.of(destination);
        if (budget == null || !(destination instanceof HttpDestination waiting)) {
            return null;
        }
        return new LifoPool.Gate() {
            @Override
            public boolean enter() {
                return budget.takeOrWait(waiting);
            }

            @Override
            public void leave() {
                budget.give();
            }
        };
    }
}
