package dev.proxy4j.jetty.internal;

import dev.proxy4j.admin.AdminConfig;
import dev.proxy4j.admin.ProxyStatus;
import dev.proxy4j.metrics.ProxyMetrics;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The admin listener: a small Jetty server of its own (a few threads, one connector), apart from
 * the proxy's event loops, so that a scrape or a reload never runs on a loop and the listener keeps
 * answering {@code /ready} while the proxy drains. See {@link AdminHandler} for the endpoints.
 */
public final class AdminServer {

    /** What {@code POST /reload} does; empty when the proxy was not started from a source it can read again. */
    public interface Reload {
        void reload() throws Exception;
    }

    /** The TLS listeners' certificates, which {@code POST /reload} loads again too. */
    public interface Certificates {
        /** How many TLS listeners there are (none: nothing to reload). */
        int listeners();

        /** Loads them now; throws naming the bad file, the old certificate kept. */
        int reload();
    }

    private final Server server;
    private final ServerConnector connector;

    public AdminServer(AdminConfig config, ProxyStatus status, Optional<ProxyMetrics> metrics,
            java.util.function.Supplier<Optional<Reload>> reload, Certificates certificates) {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("proxy4j-admin");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.setHandler(new AdminHandler(config.token(), status, metrics, reload, certificates));
        server.setStopTimeout(1_000);
    }

    public void start() throws Exception {
        server.start();
    }

    public void stop() throws Exception {
        server.stop();
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }
}
