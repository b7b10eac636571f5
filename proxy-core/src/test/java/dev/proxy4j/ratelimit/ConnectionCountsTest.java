package dev.proxy4j.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.ConnectionLimits;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConnectionCountsTest {

    private final AtomicReference<ConnectionLimits> limits = new AtomicReference<>(new ConnectionLimits(2, 0));
    private final ConnectionCounts counts = new ConnectionCounts(limits::get);

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anAddressHoldsAtMostItsLimitAndAReleaseMakesRoom() throws Exception {
        InetAddress a = address("10.0.0.1");
        assertThat(counts.tryAcquire(a)).isTrue();
        assertThat(counts.tryAcquire(a)).isTrue();
        assertThat(counts.tryAcquire(a)).isFalse();
        assertThat(counts.openFrom(a)).as("a refusal counts nothing").isEqualTo(2);

        counts.release(a);
        assertThat(counts.tryAcquire(a)).isTrue();
        assertThat(counts.tryAcquire(address("10.0.0.2"))).as("another address").isTrue();
    }

    @Test
    void anAddressWithNothingOpenIsNotHeld() throws Exception {
        InetAddress a = address("10.0.0.1");
        counts.tryAcquire(a);
        counts.release(a);
        counts.release(a);

        assertThat(counts.addresses()).isZero();
        assertThat(counts.openFrom(a)).isZero();
    }

    @Test
    void theLimitInForceIsReadAtEachAcquire() throws Exception {
        InetAddress a = address("10.0.0.1");
        counts.tryAcquire(a);
        counts.tryAcquire(a);
        limits.set(new ConnectionLimits(ConnectionLimits.UNLIMITED, 0));
        assertThat(counts.tryAcquire(a)).isTrue();
        limits.set(new ConnectionLimits(1, 0));
        assertThat(counts.tryAcquire(a)).isFalse();
        assertThat(counts.openFrom(a)).isEqualTo(3);
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThatThrownBy(() -> new ConnectionLimits(-1, 0))
                .hasMessage("maxConnectionsPerIp: -1 (expected: > 0, or 0 for no limit)");
        assertThatThrownBy(() -> new ConnectionLimits(0, -5))
                .hasMessage("maxConnectionsPerListener: -5 (expected: > 0, or 0 for no limit)");
    }
}
