package dev.proxy4j.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @Test
    void ipv4NetworkContainsExactlyItsAddresses() {
        Cidr cidr = Cidr.parse("10.0.0.0/8");

        assertThat(cidr.contains("10.0.0.0")).isTrue();
        assertThat(cidr.contains("10.255.255.255")).isTrue();
        assertThat(cidr.contains("11.0.0.0")).isFalse();
        assertThat(cidr.contains("9.255.255.255")).isFalse();
    }

    @Test
    void prefixesThatCutThroughAByteCompareOnlyTheirBits() {
        Cidr cidr = Cidr.parse("172.16.0.0/12");

        assertThat(cidr.contains("172.16.0.1")).isTrue();
        assertThat(cidr.contains("172.31.255.255")).isTrue();
        assertThat(cidr.contains("172.32.0.0")).isFalse();
        assertThat(cidr.contains("172.15.255.255")).isFalse();
    }

    @Test
    void aBareIpv4AddressIsASlash32() {
        Cidr cidr = Cidr.parse("192.168.1.10");

        assertThat(cidr).isEqualTo(Cidr.parse("192.168.1.10/32"));
        assertThat(cidr.contains("192.168.1.10")).isTrue();
        assertThat(cidr.contains("192.168.1.11")).isFalse();
    }

    @Test
    void slashZeroContainsEveryAddressOfItsFamilyOnly() {
        assertThat(Cidr.parse("0.0.0.0/0").contains("203.0.113.7")).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains("::1")).isFalse();
        assertThat(Cidr.parse("::/0").contains("2001:db8::1")).isTrue();
        assertThat(Cidr.parse("::/0").contains("203.0.113.7")).isFalse();
    }

    @Test
    void ipv6NetworkContainsExactlyItsAddresses() {
        Cidr cidr = Cidr.parse("fd00::/8");

        assertThat(cidr.contains("fd12:3456::1")).isTrue();
        assertThat(cidr.contains("FDFF::")).isTrue();
        assertThat(cidr.contains("fe00::1")).isFalse();
        assertThat(cidr.contains("[fd00::1]")).isTrue();
    }

    @Test
    void aBareIpv6AddressIsASlash128() {
        Cidr cidr = Cidr.parse("::1");

        assertThat(cidr).isEqualTo(Cidr.parse("::1/128"));
        assertThat(cidr.contains("::1")).isTrue();
        assertThat(cidr.contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(cidr.contains("::2")).isFalse();
    }

    @Test
    void hostBitsAreIgnoredSoEqualNetworksAreEqual() {
        assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("10.1.2.3/8")).hasSameHashCodeAs(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/16"));
    }

    @Test
    void printsAsWritten() {
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.1.2.3/8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "10.0.0.256", "1.2.3.4.5", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1",
        "10.0.0.0/x", "/8", "", "::1/129", "2001:db8::zz/64", "1.2.3"})
    void rejectsWhatIsNotAnAddressOrNetworkWithTheValueInTheMessage(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trustedProxy: \"" + text + "\" (expected: an IP address or CIDR such as 10.0.0.0/8 or ::1/128)");
    }

    @Test
    void containsIsFalseForAnythingThatIsNotAnIpLiteral() {
        Cidr cidr = Cidr.parse("0.0.0.0/0");

        assertThat(cidr.contains("localhost")).isFalse();
        assertThat(cidr.contains("")).isFalse();
        assertThat(cidr.contains("unknown")).isFalse();
    }
}
