package dev.proxy4j.testkit;

import dev.proxy4j.server.ProxyServer;
import java.net.URI;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real proxy for a test, on 127.0.0.1 and a free port, configured with the same builder users call.
 *
 * <pre>{@code
 * @RegisterExtension static FakeBackend orders = FakeBackend.create();
 * @RegisterExtension static ProxyExtension proxy = ProxyExtension.of(b ->
 *     b.route(r -> r.pathPrefix("/orders").upstream(orders.uri())));
 *
 * @Test void forwardsClientIp() {
 *   orders.stubFor(get("/orders/1").willReturn(ok("{}")));
 *   var response = proxy.client().get("/orders/1");
 *   assertThat(response.status()).isEqualTo(200);
 *   assertThat(orders.takeRequest()).hasHeader("X-Forwarded-For", "127.0.0.1");
 * }
 * }</pre>
 *
 * <p>As a static field it starts once for the class; as an instance field, once per test. The
 * configurer runs when the proxy starts, so it may read the URIs of fake backends declared beside it.
 * The extension adds the listener on 127.0.0.1 port 0 itself; a listener the configurer adds comes after it.
 */
public final class ProxyExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, AutoCloseable {

    private final Consumer<ProxyServer.Builder> configurer;
    private @Nullable ProxyServer server;
    private @Nullable ProxyClient http1;
    private @Nullable ProxyClient http2;
    private boolean perClass;

    private ProxyExtension(Consumer<ProxyServer.Builder> configurer) {
        this.configurer = configurer;
    }

    public static ProxyExtension of(Consumer<ProxyServer.Builder> configurer) {
        return new ProxyExtension(Objects.requireNonNull(configurer, "configurer"));
    }

    /** Builds and starts the proxy; does nothing if it is running. */
    public synchronized ProxyExtension start() {
        if (server == null) {
            ProxyServer.Builder builder = ProxyServer.builder().listen("127.0.0.1", 0);
            configurer.accept(builder);
            server = builder.build().start();
        }
        return this;
    }

    /** Stops the proxy (gracefully) and its clients; does nothing if it is not running. */
    public synchronized void stop() {
        if (http1 != null) {
            http1.close();
            http1 = null;
        }
        if (http2 != null) {
            http2.close();
            http2 = null;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The running proxy. */
    public synchronized ProxyServer server() {
        if (server == null) {
            throw new IllegalStateException(
                    "proxy is not running; register the ProxyExtension with @RegisterExtension or call start()");
        }
        return server;
    }

    public URI uri() {
        return server().uri();
    }

    public int port() {
        return server().port();
    }

    /** An HTTP/1.1 client whose relative paths go to this proxy. */
    public synchronized ProxyClient client() {
        if (http1 == null) {
            http1 = ProxyClient.http1(uri());
        }
        return http1;
    }

    /** An HTTP/2 client (h2c, prior knowledge) whose relative paths go to this proxy. */
    public synchronized ProxyClient http2Client() {
        if (http2 == null) {
            http2 = ProxyClient.http2(uri());
        }
        return http2;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }
}
