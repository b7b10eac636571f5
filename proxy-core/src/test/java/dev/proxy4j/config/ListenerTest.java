package dev.proxy4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.upstream.Upstream;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenerTest {

    @Test
    void aPlainListenerOnAPortBindsEveryInterface() {
        Listener listener = Listener.plain(8080);

        assertThat(listener.host()).isEqualTo("0.0.0.0");
        assertThat(listener.port()).isEqualTo(8080);
        assertThat(listener.tls()).isEmpty();
        assertThat(listener.isSecure()).isFalse();
    }

    @Test
    void aPlainListenerMayBindOneAddress() {
        assertThat(Listener.plain("127.0.0.1", 0)).isEqualTo(new Listener("127.0.0.1", 0, Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535})
    void acceptsEveryPortAndZeroForAnyFreeOne(int port) {
        assertThat(Listener.plain(port).port()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536})
    void rejectsAPortOutOfRange(int port) {
        assertThatThrownBy(() -> Listener.plain(port))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port: " + port + " (expected: 0..65535, 0 for any free port)");
    }

    @Test
    void rejectsNullsNamingTheField() {
        assertThatThrownBy(() -> Listener.plain(null, 80))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("host");
        assertThatThrownBy(() -> new Listener("127.0.0.1", 80, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("tls");
    }

    @Test
    void aBadProxyProtocolNetworkNamesTheField() {
        assertThatThrownBy(() -> Listener.plain(8080).withProxyProtocolFrom("10.0.0.0/40"))
                .hasMessage("proxyProtocolFrom: \"10.0.0.0/40\" (expected: an IP address or CIDR such as 10.0.0.0/8 or ::1/128)");
    }

    @Test
    void sniPassthroughNeedsTls() {
        assertThatThrownBy(() -> Listener.plain(8080)
                        .withSniPassthrough("db.example.com", Upstream.of("http://10.0.0.5:443")))
                .hasMessage("sniPassthrough: [db.example.com] (expected: on a TLS listener, whose ClientHellos carry the names)");
    }
}
