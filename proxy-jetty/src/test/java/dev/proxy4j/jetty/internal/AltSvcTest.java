package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import java.util.List;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.junit.jupiter.api.Test;

/**
 * The proxy has no HTTP/3 listener, so no HTTP/2 request runs Jetty's Alt-Svc customizer (which
 * copies the server's connectors and their protocols, per request, per HTTP/2 factory made).
 */
class AltSvcTest {

    @Test
    void noListenersHttpConfigurationHasAnAltSvcCustomizer() {
        ProxyConfig config = ProxyConfig.builder()
                .listener(Listener.plain("127.0.0.1", 0))
                .listener(Listener.plain("127.0.0.1", 0))
                .accessLog(false)
                .route(r -> r.pathPrefix("/").upstream("http://127.0.0.1:9"))
                .build();
        JettyServerFactory.Built built = JettyServerFactory.create(config, null);

        Connector[] connectors = built.server().getConnectors();
        assertThat(connectors).hasSizeGreaterThanOrEqualTo(2);
        for (Connector connector : connectors) {
            for (var factory : connector.getConnectionFactories()) {
                if (factory instanceof HttpConfiguration.ConnectionFactory withConfiguration) {
                    assertThat(withConfiguration.getHttpConfiguration().getCustomizers())
                            .as("customizers of %s", factory)
                            .noneMatch(c -> c instanceof HTTP2ServerConnectionFactory.AltSvcCustomizer);
                }
            }
        }
    }

    @Test
    void takesOutEveryAltSvcCustomizerAndKeepsTheOthersInOrder() {
        HttpConfiguration configuration = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        configuration.addCustomizer(secure);
        new HTTP2ServerConnectionFactory(configuration);
        new HttpConnectionFactory(configuration);
        new HTTP2ServerConnectionFactory(configuration);
        assertThat(configuration.getCustomizers()).hasSize(3);

        JettyServerFactory.withoutAltSvc(configuration);

        assertThat(configuration.getCustomizers()).isEqualTo(List.of(secure));
    }
}
