package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.Test;

class LiteralAddressResolverTest {

    private final List<String> lookedUp = new ArrayList<>();
    private final LiteralAddressResolver resolver = new LiteralAddressResolver(
            (host, port, context, promise) -> lookedUp.add(host + ":" + port));

    @Test
    void anIpv4AddressIsResolvedInPlaceWithoutALookUp() throws Exception {
        assertThat(resolve("127.0.0.1", 8080)).containsExactly(
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 8080));
        assertThat(resolve("10.200.0.255", 80)).singleElement()
                .satisfies(a -> assertThat(a.getAddress().getAddress()).containsExactly(10, (byte) 200, 0, (byte) 255));
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void anIpv6AddressWithOrWithoutBracketsIsResolvedInPlace() {
        assertThat(resolve("[::1]", 443)).singleElement()
                .satisfies(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue())
                .satisfies(a -> assertThat(a.getPort()).isEqualTo(443));
        assertThat(resolve("fd00::7", 80)).singleElement()
                .satisfies(a -> assertThat(a.getAddress().getAddress()[15]).isEqualTo((byte) 7));
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void namesAndAnythingNotQuiteAnAddressGoToTheResolverOfNames() {
        for (String host : List.of("backend.internal", "localhost", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3",
                "1.2.3.", ".1.2.3", "1.2.3.x", "")) {
            assertThat(resolve(host, 80)).as(host).isNull();
        }
        assertThat(lookedUp).containsExactly("backend.internal:80", "localhost:80", "256.0.0.1:80", "1.2.3:80",
                "1.2.3.4.5:80", "1..2.3:80", "1.2.3.:80", ".1.2.3:80", "1.2.3.x:80", ":80");
    }

    @Test
    void aMalformedIpv6AddressIsNeverLookedUpInPlace() {
        assertThat(LiteralAddressResolver.literal("fe80::zz")).isNull();
        assertThat(LiteralAddressResolver.literal("[not-an-address]")).isNull();
    }

    /** What the resolver completed with before returning, or null when it completed nothing. */
    private List<InetSocketAddress> resolve(String host, int port) {
        AtomicReference<List<InetSocketAddress>> result = new AtomicReference<>();
        resolver.resolve(host, port, java.util.Map.of(), new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                result.set(addresses);
            }

            @Override
            public void failed(Throwable failure) {
                throw new AssertionError(failure);
            }
        });
        return result.get();
    }
}
