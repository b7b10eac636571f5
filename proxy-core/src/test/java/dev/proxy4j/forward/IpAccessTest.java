package dev.proxy4j.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpAccessTest {

    @Test
    void theFirstMatchingRuleDecidesAsInNginx() {
        IpAccess access = IpAccess.builder().deny("10.0.0.7").allow("10.0.0.0/8").allow("2001:db8::/32").deny("all").build();

        assertThat(access.allows("10.0.0.7")).isFalse();
        assertThat(access.allows("10.9.9.9")).isTrue();
        assertThat(access.allows("2001:db8::1")).isTrue();
        assertThat(access.allows("192.168.1.1")).isFalse();
        assertThat(access.allows("2001:db9::1")).isFalse();
    }

    @Test
    void noMatchingRuleAllows() {
        IpAccess access = IpAccess.builder().deny("192.168.0.0/16").build();

        assertThat(access.allows("10.0.0.1")).isTrue();
        assertThat(access.allows("192.168.3.4")).isFalse();
    }

    @Test
    void anIpv4MappedIpv6AddressIsMatchedAsItsIpv4Address() {
        IpAccess access = IpAccess.builder().allow("10.0.0.0/8").deny("all").build();

        assertThat(access.allows("::ffff:10.1.2.3")).isTrue();
        assertThat(access.allows("::ffff:11.1.2.3")).isFalse();
    }

    @Test
    void whatIsNotAnAddressIsDecidedByAnAllRuleOnly() {
        assertThat(IpAccess.builder().deny("all").build().allows("unix-socket")).isFalse();
        assertThat(IpAccess.builder().deny("10.0.0.0/8").build().allows("unix-socket")).isTrue();
    }

    @Test
    void aBadNetworkNamesTheRule() {
        assertThatThrownBy(() -> IpAccess.builder().allow("10.0.0.0/33"))
                .hasMessage("allow: \"10.0.0.0/33\" (expected: an IP address, a CIDR such as 10.0.0.0/8 or fd00::/8, or all)");
        assertThatThrownBy(() -> IpAccess.builder().deny("everyone")).hasMessageStartingWith("deny: \"everyone\"");
    }
}
