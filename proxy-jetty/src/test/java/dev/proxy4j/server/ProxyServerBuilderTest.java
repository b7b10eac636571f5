package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.ProxyConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's builder offers what the configuration's does, so that neither falls behind. */
class ProxyServerBuilderTest {

    @Test
    void everySetterOfTheConfigBuilderIsOnTheServerBuilder() {
        List<String> missing = new ArrayList<>();
        for (Method setter : ProxyConfig.Builder.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(setter.getModifiers()) || setter.getReturnType() != ProxyConfig.Builder.class) {
                continue;
            }
            try {
                Method mirror = ProxyServer.Builder.class.getMethod(setter.getName(), setter.getParameterTypes());
                if (mirror.getReturnType() != ProxyServer.Builder.class) {
                    missing.add(setter.getName() + " returns " + mirror.getReturnType().getSimpleName());
                }
            } catch (NoSuchMethodException e) {
                missing.add(setter.getName() + Arrays.toString(setter.getParameterTypes()));
            }
        }

        assertThat(missing).as("ProxyConfig.Builder setters missing from ProxyServer.Builder").isEmpty();
    }

    @Test
    void theServerBuilderBuildsTheConfigurationItWasGiven() {
        ProxyServer server = ProxyServer.builder()
                .listen(0)
                .maxRequestBodyBytes(1234)
                .accessLog(false)
                .route(r -> r.pathPrefix("/").upstream("http://127.0.0.1:9"))
                .build();

        assertThat(server.config().limits().maxRequestBodyBytes()).isEqualTo(1234);
        assertThat(server.config().requestLogListeners()).isEmpty();
        assertThat(server.config().routes().routes()).hasSize(1);
    }
}
