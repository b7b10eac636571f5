package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** As an instance field the proxy is a new one for every test. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyExtensionPerTestTest {

    private static final FakeBackend backend = FakeBackend.create().start();
    private static int firstPort;

    @RegisterExtension
    ProxyExtension proxy = ProxyExtension.of(b -> b.route(r -> r.pathPrefix("/").upstream(backend.uri())));

    @AfterAll
    static void stopBackend() {
        backend.stop();
    }

    @Test
    @Order(1)
    void first() {
        firstPort = proxy.port();
        assertThat(proxy.server().isRunning()).isTrue();
    }

    @Test
    @Order(2)
    void secondGetsAProxyOfItsOwn() {
        assertThat(proxy.server().isRunning()).isTrue();
        assertThat(proxy.port()).isNotEqualTo(firstPort);
    }
}
