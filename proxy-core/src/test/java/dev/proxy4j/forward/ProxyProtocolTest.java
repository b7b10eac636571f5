package dev.proxy4j.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The headers, byte for byte, as HAProxy's proxy-protocol.txt spells them. */
class ProxyProtocolTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.168.0.1", 56324);
    private static final InetSocketAddress PROXY = new InetSocketAddress("192.168.0.11", 443);

    @Test
    void version1IsOneLine() {
        assertThat(new String(ProxyProtocol.V1.header(CLIENT, PROXY), StandardCharsets.US_ASCII))
                .isEqualTo("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
        assertThat(new String(ProxyProtocol.V1.header(new InetSocketAddress("2001:db8::1", 1234),
                new InetSocketAddress("2001:db8::2", 80)), StandardCharsets.US_ASCII))
                .isEqualTo("PROXY TCP6 2001:db8:0:0:0:0:0:1 2001:db8:0:0:0:0:0:2 1234 80\r\n");
    }

    @Test
    void version2IsTheSignatureThenTheAddresses() {
        assertThat(HexFormat.of().formatHex(ProxyProtocol.V2.header(CLIENT, PROXY)))
                .isEqualTo("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c"
                        + "c0a80001" + "c0a8000b" + "dc04" + "01bb");
    }

    @Test
    void version2OverIpv6CarriesSixteenByteAddresses() {
        byte[] header = ProxyProtocol.V2.header(new InetSocketAddress("::1", 1), new InetSocketAddress("::2", 2));

        assertThat(header).hasSize(16 + 36);
        assertThat(header[13]).isEqualTo((byte) 0x21);
        assertThat(header[15]).isEqualTo((byte) 36);
    }

    @Test
    void mixedFamiliesAreUnknown() {
        InetSocketAddress v6 = new InetSocketAddress("::1", 80);

        assertThat(new String(ProxyProtocol.V1.header(CLIENT, v6), StandardCharsets.US_ASCII)).isEqualTo("PROXY UNKNOWN\r\n");
        assertThat(HexFormat.of().formatHex(ProxyProtocol.V2.header(CLIENT, v6)))
                .isEqualTo("0d0a0d0a000d0a515549540a" + "21" + "00" + "0000");
    }

    @Test
    void parsesTheConfiguredVersion() {
        assertThat(ProxyProtocol.parse("V2")).isEqualTo(ProxyProtocol.V2);
        assertThat(ProxyProtocol.V1).hasToString("v1");
        assertThatThrownBy(() -> ProxyProtocol.parse("v3")).hasMessage("proxyProtocol: \"v3\" (expected: v1 or v2)");
    }
}
