package dev.proxy4j.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardingPolicyTest {

    private static final String CLIENT = "203.0.113.7";
    private static final String LOAD_BALANCER = "10.0.0.5";

    private static final ForwardingPolicy TRUSTING_10_8 = ForwardingPolicy.builder().trustedProxies("10.0.0.0/8").build();

    /** A request as it came off the wire from {@code peer}, for http://example.com:8080. */
    private static ProxyRequest from(String peer, String... headers) {
        return ProxyRequest.builder()
                .authority("example.com:8080")
                .path("/orders")
                .peerAddress(peer)
                .headers(Headers.of(headers))
                .build();
    }

    private static final String[] SPOOFED = {
        "X-Forwarded-For", "1.1.1.1",
        "X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "bank.example",
        "X-Forwarded-Port", "443",
        "Forwarded", "for=1.1.1.1;proto=https",
        "X-Real-IP", "1.1.1.1",
    };

    // --- untrusted peers

    @Test
    void fromAnUntrustedPeerForwardingHeadersAreReplacedWithWhatThisProxySaw() {
        ProxyRequest forwarded = ForwardingPolicy.defaults().apply(from(CLIENT, SPOOFED));

        Headers headers = forwarded.headers();
        assertThat(headers.getAll("X-Forwarded-For")).containsExactly(CLIENT);
        assertThat(headers.getAll("X-Forwarded-Proto")).containsExactly("http");
        assertThat(headers.getAll("X-Forwarded-Host")).containsExactly("example.com:8080");
        assertThat(headers.getAll("X-Forwarded-Port")).containsExactly("8080");
        assertThat(headers.contains("Forwarded")).isFalse();
        assertThat(headers.contains("X-Real-IP")).isFalse();
        assertThat(forwarded.clientAddress()).isEqualTo(CLIENT);
    }

    @Test
    void aPeerOutsideTheTrustedNetworksIsUntrusted() {
        ProxyRequest forwarded = TRUSTING_10_8.apply(from("192.168.0.9", SPOOFED));

        assertThat(forwarded.headers().getAll("X-Forwarded-For")).containsExactly("192.168.0.9");
        assertThat(forwarded.headers().get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(forwarded.headers().get("X-Forwarded-Host")).isEqualTo("example.com:8080");
        assertThat(forwarded.headers().contains("Forwarded")).isFalse();
        assertThat(forwarded.headers().contains("X-Real-IP")).isFalse();
        assertThat(forwarded.clientAddress()).isEqualTo("192.168.0.9");
    }

    @Test
    void forwardingHeadersAreDroppedWhateverTheirCase() {
        ProxyRequest forwarded = ForwardingPolicy.defaults().apply(from(CLIENT,
                "x-forwarded-for", "1.1.1.1", "X-FORWARDED-PROTO", "https", "x-real-ip", "1.1.1.1", "FORWARDED", "for=x"));

        assertThat(forwarded.headers().getAll("X-Forwarded-For")).containsExactly(CLIENT);
        assertThat(forwarded.headers().getAll("X-Forwarded-Proto")).containsExactly("http");
        assertThat(forwarded.headers().contains("X-Real-IP")).isFalse();
        assertThat(forwarded.headers().contains("Forwarded")).isFalse();
    }

    // --- trusted peers: X-Forwarded-For and the client address

    @Test
    void aTrustedPeerIsAppendedToXForwardedFor() {
        ProxyRequest forwarded = TRUSTING_10_8.apply(from(LOAD_BALANCER, "X-Forwarded-For", CLIENT + ", 198.51.100.2"));

        assertThat(forwarded.headers().getAll("X-Forwarded-For"))
                .containsExactly(CLIENT + ", 198.51.100.2, " + LOAD_BALANCER);
    }

    @Test
    void severalXForwardedForFieldsFromATrustedPeerBecomeOneInOrder() {
        ProxyRequest forwarded = TRUSTING_10_8.apply(from(LOAD_BALANCER,
                "X-Forwarded-For", CLIENT, "Accept", "*/*", "x-forwarded-for", "10.0.0.3"));

        assertThat(forwarded.headers().getAll("X-Forwarded-For")).containsExactly(CLIENT + ", 10.0.0.3, " + LOAD_BALANCER);
        assertThat(forwarded.clientAddress()).isEqualTo(CLIENT);
    }

    @Test
    void aTrustedPeerWithoutXForwardedForIsTheClient() {
        ProxyRequest forwarded = TRUSTING_10_8.apply(from(LOAD_BALANCER));

        assertThat(forwarded.headers().getAll("X-Forwarded-For")).containsExactly(LOAD_BALANCER);
        assertThat(forwarded.clientAddress()).isEqualTo(LOAD_BALANCER);
    }

    @ParameterizedTest(name = "X-Forwarded-For: {0} gives {1}")
    @CsvSource(delimiter = '|', value = {
        // the rightmost untrusted address is the client
        "203.0.113.7                          | 203.0.113.7",
        "198.51.100.9, 203.0.113.7, 10.0.0.3  | 203.0.113.7",
        "198.51.100.9,203.0.113.7,10.0.0.3    | 203.0.113.7",
        "203.0.113.7:5555, 10.0.0.3:80        | 203.0.113.7",
        "[2001:db8::1]:443, 10.0.0.3          | 2001:db8::1",
        "2001:db8::1                          | 2001:db8::1",
        // all trusted: the leftmost
        "10.0.0.1, 10.0.0.2                   | 10.0.0.1",
        // garbage stops the walk at the last good address
        "203.0.113.7, unknown, 10.0.0.3       | 10.0.0.3",
        "203.0.113.7, 10.0.0.3, unknown       | 10.0.0.5",
        "203.0.113.7, _hidden                 | 10.0.0.5",
        "203.0.113.7, , 10.0.0.3              | 10.0.0.3",
    })
    void theClientIsResolvedThroughTrustedProxiesLikeNginxRealIpRecursive(String xff, String client) {
        ProxyRequest forwarded = TRUSTING_10_8.apply(from(LOAD_BALANCER, "X-Forwarded-For", xff));

        assertThat(forwarded.clientAddress()).isEqualTo(client);
        assertThat(forwarded.peerAddress()).isEqualTo(LOAD_BALANCER);
    }

    @Test
    void anIpv6PeerCanBeTrusted() {
        ForwardingPolicy policy = ForwardingPolicy.builder().trustedProxies("::1", "fd00::/8").build();

        ProxyRequest forwarded = policy.apply(from("::1", "X-Forwarded-For", CLIENT + ", fd00::7"));

        assertThat(forwarded.clientAddress()).isEqualTo(CLIENT);
        assertThat(forwarded.headers().get("X-Forwarded-For")).isEqualTo(CLIENT + ", fd00::7, ::1");
    }

    @Test
    void isTrustedOnlyForIpLiteralsInsideATrustedNetwork() {
        ForwardingPolicy policy = ForwardingPolicy.builder().trustedProxies("10.0.0.0/8", "::1").build();

        assertThat(policy.isTrusted("10.9.9.9")).isTrue();
        assertThat(policy.isTrusted("::1")).isTrue();
        assertThat(policy.isTrusted("11.0.0.1")).isFalse();
        assertThat(policy.isTrusted("localhost")).isFalse();
        assertThat(ForwardingPolicy.defaults().isTrusted("127.0.0.1")).isFalse();
    }

    // --- trusted peers: X-Forwarded-Proto, -Host, -Port

    @Test
    void xForwardedProtoHostAndPortFromATrustedPeerAreKept() {
        ProxyRequest forwarded = TRUSTING_10_8.apply(from(LOAD_BALANCER,
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "shop.example", "X-Forwarded-Port", "443"));

        assertThat(forwarded.headers().getAll("X-Forwarded-Proto")).containsExactly("https");
        assertThat(forwarded.headers().getAll("X-Forwarded-Host")).containsExactly("shop.example");
        assertThat(forwarded.headers().getAll("X-Forwarded-Port")).containsExactly("443");
    }

    @Test
    void xForwardedProtoHostAndPortAreAddedWhenATrustedPeerSentNone() {
        ProxyRequest forwarded = TRUSTING_10_8.apply(from(LOAD_BALANCER));

        assertThat(forwarded.headers().get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(forwarded.headers().get("X-Forwarded-Host")).isEqualTo("example.com:8080");
        assertThat(forwarded.headers().get("X-Forwarded-Port")).isEqualTo("8080");
    }

    @Test
    void aTrustedPeersOtherHeadersPassAlong() {
        ProxyRequest forwarded = TRUSTING_10_8.apply(from(LOAD_BALANCER, "X-Real-IP", CLIENT, "Forwarded", "for=" + CLIENT));

        assertThat(forwarded.headers().get("X-Real-IP")).isEqualTo(CLIENT);
        assertThat(forwarded.headers().get("Forwarded")).isEqualTo("for=" + CLIENT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http  | example.com      | 80",
        "https | example.com      | 443",
        "https | example.com:8443 | 8443",
        "http  | [::1]:8080       | 8080",
        "https | [::1]            | 443",
    })
    void xForwardedPortIsTheAuthoritysPortOrTheSchemesDefault(String scheme, String authority, String port) {
        ProxyRequest incoming = ProxyRequest.builder().scheme(scheme).authority(authority).peerAddress(CLIENT).build();

        ProxyRequest forwarded = ForwardingPolicy.defaults().apply(incoming);

        assertThat(forwarded.headers().get("X-Forwarded-Port")).isEqualTo(port);
        assertThat(forwarded.headers().get("X-Forwarded-Proto")).isEqualTo(scheme);
        assertThat(forwarded.headers().get("X-Forwarded-Host")).isEqualTo(authority);
    }

    @Test
    void xForwardedPortFollowsEachRequestsAuthorityAndScheme() {
        ForwardingPolicy policy = ForwardingPolicy.builder().build();
        String[][] requests = {
            {"http", "example.com", "80"}, {"http", "example.com", "80"}, {"https", "example.com", "443"},
            {"https", "example.com:8443", "8443"}, {"http", "example.com", "80"}, {"http", "example.com:0080", "80"},
        };
        for (String[] request : requests) {
            ProxyRequest incoming = ProxyRequest.builder().scheme(request[0]).authority(request[1]).peerAddress(CLIENT)
                    .build();

            assertThat(policy.apply(incoming).headers().get("X-Forwarded-Port"))
                    .as(request[0] + "://" + request[1]).isEqualTo(request[2]);
        }
    }

    @Test
    void noXForwardedHostWhenTheClientSentNoHost() {
        ProxyRequest incoming = ProxyRequest.builder().authority("").peerAddress(CLIENT)
                .headers(Headers.of("X-Forwarded-Host", "spoofed.example")).build();

        ProxyRequest forwarded = ForwardingPolicy.defaults().apply(incoming);

        assertThat(forwarded.headers().contains("X-Forwarded-Host")).isFalse();
    }

    // --- Via

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 | 1.1 proxy4j",
        "HTTP/1.0 | 1.0 proxy4j",
        "HTTP/2.0 | 2 proxy4j",
    })
    void viaNamesTheProtocolTheClientSpoke(String protocol, String via) {
        ProxyRequest incoming = ProxyRequest.builder().protocol(protocol).peerAddress(CLIENT).build();

        assertThat(ForwardingPolicy.defaults().apply(incoming).headers().getAll("Via")).containsExactly(via);
    }

    @Test
    void viaIsAppendedToEarlierHops() {
        ProxyRequest forwarded = ForwardingPolicy.defaults().apply(from(CLIENT, "Via", "1.0 fred", "via", "1.1 cdn"));

        assertThat(forwarded.headers().getAll("Via")).containsExactly("1.0 fred, 1.1 cdn, 1.1 proxy4j");
    }

    @Test
    void viaUsesThePseudonym() {
        ForwardingPolicy policy = ForwardingPolicy.builder().viaPseudonym("edge-1").build();

        assertThat(policy.apply(from(CLIENT)).headers().get("Via")).isEqualTo("1.1 edge-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "my proxy", "a,b", "caf\u00e9", "tab\there"})
    void rejectsAPseudonymThatIsNotAToken(String pseudonym) {
        assertThatThrownBy(() -> ForwardingPolicy.builder().viaPseudonym(pseudonym))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("viaPseudonym: \"" + pseudonym + "\" (expected: a token without spaces or commas)");
    }

    // --- Forwarded

    @Test
    void forwardedIsOffByDefault() {
        assertThat(ForwardingPolicy.defaults().emitted()).doesNotContain(ForwardedHeader.FORWARDED);
        assertThat(ForwardingPolicy.defaults().apply(from(CLIENT)).headers().contains("Forwarded")).isFalse();
    }

    @Test
    void forwardedWhenEmittedDescribesThisHopQuotingAHostWithAPort() {
        ForwardingPolicy policy = ForwardingPolicy.builder().emit(EnumSet.of(ForwardedHeader.FORWARDED)).build();

        ProxyRequest forwarded = policy.apply(from(CLIENT, "Forwarded", "for=1.1.1.1"));

        assertThat(forwarded.headers().getAll("Forwarded"))
                .containsExactly("for=203.0.113.7;host=\"example.com:8080\";proto=http");
    }

    @Test
    void forwardedLeavesAHostWithoutPortUnquoted() {
        ForwardingPolicy policy = ForwardingPolicy.builder().emit(EnumSet.of(ForwardedHeader.FORWARDED)).build();
        ProxyRequest incoming = ProxyRequest.builder().scheme("https").authority("example.com").peerAddress(CLIENT).build();

        assertThat(policy.apply(incoming).headers().get("Forwarded"))
                .isEqualTo("for=203.0.113.7;host=example.com;proto=https");
    }

    @Test
    void forwardedQuotesAnIpv6NodeInBrackets() {
        ForwardingPolicy policy = ForwardingPolicy.builder().emit(EnumSet.of(ForwardedHeader.FORWARDED)).build();
        ProxyRequest incoming = ProxyRequest.builder().authority("").peerAddress("::1").build();

        assertThat(policy.apply(incoming).headers().get("Forwarded")).isEqualTo("for=\"[::1]\";proto=http");
    }

    @Test
    void forwardedFromATrustedPeerIsAppendedTo() {
        ForwardingPolicy policy = ForwardingPolicy.builder()
                .trustedProxies("10.0.0.0/8")
                .emit(EnumSet.of(ForwardedHeader.FORWARDED))
                .build();

        ProxyRequest forwarded = policy.apply(from(LOAD_BALANCER, "Forwarded", "for=203.0.113.7;proto=https"));

        assertThat(forwarded.headers().getAll("Forwarded"))
                .containsExactly("for=203.0.113.7;proto=https, for=10.0.0.5;host=\"example.com:8080\";proto=http");
    }

    // --- X-Request-Id

    @Test
    void anAcceptableRequestIdIsKept() {
        ProxyRequest forwarded = ForwardingPolicy.defaults().apply(from(CLIENT, "X-Request-Id", "req-42"));

        assertThat(forwarded.requestId()).isEqualTo("req-42");
        assertThat(forwarded.headers().getAll("X-Request-Id")).containsExactly("req-42");
    }

    @Test
    void aMissingRequestIdIsGenerated() {
        ProxyRequest forwarded = ForwardingPolicy.defaults().apply(from(CLIENT));

        assertThat(forwarded.requestId()).matches("[0-9a-f]{32}");
        assertThat(forwarded.headers().getAll("X-Request-Id")).containsExactly(forwarded.requestId());
    }

    @Test
    void anUnacceptableRequestIdIsReplacedWithAGeneratedOne() {
        ProxyRequest forwarded = ForwardingPolicy.defaults().apply(from(CLIENT,
                "X-Request-Id", "evil\"id", "x-request-id", "second"));

        assertThat(forwarded.requestId()).matches("[0-9a-f]{32}");
        assertThat(forwarded.headers().getAll("X-Request-Id")).containsExactly(forwarded.requestId());
    }

    // --- what is emitted

    @Test
    void emittingNothingAddsNothingButStillDropsAnUntrustedPeersHeaders() {
        ForwardingPolicy policy = ForwardingPolicy.builder().emit(Set.of()).build();

        ProxyRequest forwarded = policy.apply(from(CLIENT, concat(SPOOFED, "Accept", "*/*", "X-Request-Id", "req-42")));

        assertThat(forwarded.headers()).isEqualTo(Headers.of("Accept", "*/*", "X-Request-Id", "req-42"));
        assertThat(forwarded.clientAddress()).isEqualTo(CLIENT);
        assertThat(forwarded.requestId()).isEqualTo("req-42");
        assertThat(policy.emitted()).isEmpty();
    }

    @Test
    void emitsExactlyTheChosenHeaders() {
        ForwardingPolicy policy = ForwardingPolicy.builder()
                .emit(EnumSet.of(ForwardedHeader.X_FORWARDED_FOR, ForwardedHeader.VIA))
                .build();

        ProxyRequest forwarded = policy.apply(from(CLIENT, "Accept", "*/*"));

        assertThat(forwarded.headers()).isEqualTo(Headers.of(
                "Accept", "*/*", "X-Forwarded-For", CLIENT, "Via", "1.1 proxy4j"));
    }

    @Test
    void emitsEverythingButForwardedByDefault() {
        assertThat(ForwardingPolicy.defaults().emitted())
                .isEqualTo(EnumSet.complementOf(EnumSet.of(ForwardedHeader.FORWARDED)));
        assertThat(ForwardingPolicy.defaults().trustedProxies()).isEmpty();
        assertThat(ForwardingPolicy.defaults().viaPseudonym()).isEqualTo("proxy4j");
    }

    // --- the rest of the request

    @Test
    void hopByHopHeadersAreRemovedAndTheRestIsKept() {
        ProxyRequest forwarded = ForwardingPolicy.builder().emit(Set.of()).build().apply(from(CLIENT,
                "Connection", "keep-alive, X-Secret", "Keep-Alive", "timeout=5", "X-Secret", "s", "Accept", "*/*"));

        assertThat(forwarded.headers()).isEqualTo(Headers.of("Accept", "*/*"));
    }

    @Test
    void teGoesOnAsTrailersOnlyWhenTheClientListedTrailers() {
        ForwardingPolicy policy = ForwardingPolicy.builder().emit(Set.of()).build();

        assertThat(policy.apply(from(CLIENT, "TE", "trailers")).headers()).isEqualTo(Headers.of("TE", "trailers"));
        assertThat(policy.apply(from(CLIENT, "te", "gzip, Trailers;q=1", "TE", "trailers")).headers())
                .isEqualTo(Headers.of("TE", "trailers"));
        assertThat(policy.apply(from(CLIENT, "TE", "gzip, deflate")).headers()).isEqualTo(Headers.empty());
    }

    @Test
    void leavesTheRequestLineAlone() {
        ProxyRequest incoming = from(CLIENT).toBuilder().method("POST").pathAndQuery("/a?b=1").protocol("HTTP/2.0").build();

        ProxyRequest forwarded = ForwardingPolicy.defaults().apply(incoming);

        assertThat(forwarded).hasToString("POST http://example.com:8080/a?b=1 HTTP/2.0");
        assertThat(forwarded.peerAddress()).isEqualTo(CLIENT);
    }

    // --- the builder

    @Test
    void toBuilderCopiesEverySetting() {
        ForwardingPolicy policy = ForwardingPolicy.builder()
                .trustedProxies("10.0.0.0/8")
                .emit(EnumSet.of(ForwardedHeader.VIA))
                .viaPseudonym("edge")
                .build();

        ForwardingPolicy copy = policy.toBuilder().trustedProxies("::1").build();

        assertThat(copy.trustedProxies()).containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1"));
        assertThat(copy.emitted()).containsExactly(ForwardedHeader.VIA);
        assertThat(copy.viaPseudonym()).isEqualTo("edge");
        assertThat(policy.trustedProxies()).containsExactly(Cidr.parse("10.0.0.0/8"));
    }

    @Test
    void aPolicyThatEmitsNothingCanBeCopied() {
        ForwardingPolicy policy = ForwardingPolicy.builder().emit(Set.of()).build();

        ForwardingPolicy copy = policy.toBuilder().trustedProxies("10.0.0.0/8").build();

        assertThat(copy.emitted()).isEmpty();
        assertThat(copy.isTrusted("10.1.1.1")).isTrue();
    }

    @Test
    void emittedCannotBeChangedFromOutside() {
        EnumSet<ForwardedHeader> chosen = EnumSet.of(ForwardedHeader.VIA);
        ForwardingPolicy policy = ForwardingPolicy.builder().emit(chosen).build();

        chosen.add(ForwardedHeader.FORWARDED);

        assertThat(policy.emitted()).containsExactly(ForwardedHeader.VIA);
        assertThatThrownBy(() -> policy.emitted().add(ForwardedHeader.FORWARDED))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsATrustedProxyThatIsNotAnAddressOrNetwork() {
        assertThatThrownBy(() -> ForwardingPolicy.builder().trustedProxies("10.0.0.0/8", "proxy.internal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trustedProxy: \"proxy.internal\" (expected: an IP address or CIDR such as 10.0.0.0/8 or ::1/128)");
    }

    private static String[] concat(String[] first, String... second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
