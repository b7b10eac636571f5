package dev.proxy4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void defaultsAre16KibOfHeadersAnd100MibOfBody() {
        assertThat(Limits.DEFAULTS).isEqualTo(new Limits(16 * 1024, 100L * 1024 * 1024));
    }

    @Test
    void acceptsTheSmallestHeaderLimitAndAnUnlimitedBody() {
        Limits limits = new Limits(1024, Limits.UNLIMITED);

        assertThat(limits.maxRequestHeaderBytes()).isEqualTo(1024);
        assertThat(limits.maxRequestBodyBytes()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsAHeaderLimitBelowOneKib() {
        assertThatThrownBy(() -> new Limits(1023, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRequestHeaderBytes: 1023 (expected: >= 1024)");
    }

    @Test
    void rejectsABodyLimitThatIsNotPositive() {
        assertThatThrownBy(() -> new Limits(1024, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRequestBodyBytes: 0 (expected: > 0)");
        assertThatThrownBy(() -> new Limits(1024, -5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRequestBodyBytes: -5 (expected: > 0)");
    }

    @Test
    void allowsOneHundredHeaderFieldsByDefaultAndRefusesACountOutsideOneToTenThousand() {
        assertThat(Limits.DEFAULTS.maxRequestHeaderCount()).isEqualTo(100);
        assertThat(ProxyConfig.builder().maxRequestHeaderCount(10_000)).isNotNull();
        assertThatThrownBy(() -> ProxyConfig.builder().maxRequestHeaderCount(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRequestHeaderCount: 0 (expected: 1..10000)");
        assertThatThrownBy(() -> new Limits(1024, 1, 10_001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRequestHeaderCount: 10001 (expected: 1..10000)");
    }

    @Test
    void theHygieneDefaultsAreThoseOfACarefulEdgeProxy() {
        assertThat(RequestHygiene.DEFAULTS).isEqualTo(new RequestHygiene(false, false, false, true, EscapedSlashes.REJECT, false));
        assertThatThrownBy(() -> ProxyConfig.builder().escapedSlashes(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("escapedSlashes");
    }
}
