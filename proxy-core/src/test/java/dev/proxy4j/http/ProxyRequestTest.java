package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyRequestTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com          | example.com",
        "Example.COM:8080     | example.com",
        "10.0.0.1:80          | 10.0.0.1",
        "[::1]                | [::1]",
        "[::1]:8443           | [::1]",
        "[FE80::A]:80         | [fe80::a]",
        "''                   | ''",
    })
    void hostIsTheAuthorityWithoutPortLowerCasedAndIpv6KeepsItsBrackets(String authority, String host) {
        assertThat(ProxyRequest.builder().authority(authority).build().host()).isEqualTo(host);
    }

    @Test
    void pathAndQueryJoinsThemWithAQuestionMarkOnlyWhenThereIsAQuery() {
        assertThat(ProxyRequest.builder().path("/a/b").query("x=1&y=2").build().pathAndQuery())
                .isEqualTo("/a/b?x=1&y=2");
        assertThat(ProxyRequest.builder().path("/a/b").build().pathAndQuery()).isEqualTo("/a/b");
        assertThat(ProxyRequest.builder().path("/a").query("").build().pathAndQuery()).isEqualTo("/a?");
    }

    @Test
    void pathAndQuerySplitsARequestTargetAtTheFirstQuestionMark() {
        ProxyRequest request = ProxyRequest.builder().pathAndQuery("/search?q=a?b").build();

        assertThat(request.path()).isEqualTo("/search");
        assertThat(request.query()).isEqualTo("q=a?b");
    }

    @Test
    void aTargetWithoutQueryClearsAnEarlierQuery() {
        ProxyRequest request = ProxyRequest.builder().query("old=1").pathAndQuery("/x").build();

        assertThat(request.query()).isNull();
        assertThat(request.pathAndQuery()).isEqualTo("/x");
    }

    @Test
    void hasNamedDefaults() {
        ProxyRequest request = ProxyRequest.builder().build();

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.scheme()).isEqualTo("http");
        assertThat(request.authority()).isEmpty();
        assertThat(request.path()).isEqualTo("/");
        assertThat(request.query()).isNull();
        assertThat(request.headers()).isSameAs(Headers.empty());
        assertThat(request.protocol()).isEqualTo("HTTP/1.1");
        assertThat(request.peerAddress()).isEqualTo("127.0.0.1");
        assertThat(request.requestId()).isEmpty();
    }

    @Test
    void clientAddressDefaultsToThePeerAddress() {
        ProxyRequest request = ProxyRequest.builder().peerAddress("10.1.2.3").build();

        assertThat(request.clientAddress()).isEqualTo("10.1.2.3");
    }

    @Test
    void clientAddressIsKeptWhenSet() {
        ProxyRequest request = ProxyRequest.builder().peerAddress("10.1.2.3").clientAddress("203.0.113.7").build();

        assertThat(request.clientAddress()).isEqualTo("203.0.113.7");
        assertThat(request.peerAddress()).isEqualTo("10.1.2.3");
    }

    @Test
    void toBuilderCopiesEveryFieldAndLeavesTheOriginalAlone() {
        ProxyRequest original = ProxyRequest.builder()
                .method("POST").scheme("https").authority("api.example.com:8443")
                .pathAndQuery("/orders?page=2").headers(Headers.of("X-A", "1")).protocol("HTTP/2.0")
                .peerAddress("10.0.0.1").clientAddress("203.0.113.7").requestId("abc")
                .build();

        ProxyRequest copy = original.toBuilder().build();
        ProxyRequest changed = original.toBuilder().path("/other").build();

        assertThat(copy).usingRecursiveComparison().isEqualTo(original);
        assertThat(changed.path()).isEqualTo("/other");
        assertThat(changed.query()).isEqualTo("page=2");
        assertThat(original.path()).isEqualTo("/orders");
    }

    @Test
    void printsAsARequestLine() {
        ProxyRequest request = ProxyRequest.builder()
                .method("PUT").scheme("https").authority("example.com").pathAndQuery("/a?b=1").protocol("HTTP/2.0")
                .build();

        assertThat(request).hasToString("PUT https://example.com/a?b=1 HTTP/2.0");
    }

    @Test
    void rejectsAnEmptyMethod() {
        assertThatThrownBy(() -> ProxyRequest.builder().method(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method: \"\" (expected: a token such as GET)");
    }

    @Test
    void rejectsAMethodThatIsNotAToken() {
        assertThatThrownBy(() -> ProxyRequest.builder().method("GET /b HTTP/1.1\r\nX:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method: \"GET /b HTTP/1.1\\r\\nX:\" (expected: a token such as GET)");
    }

    @Test
    void rejectsATargetOrAuthorityThatWouldSplitTheRequestLine() {
        assertThatThrownBy(() -> ProxyRequest.builder().path("/a HTTP/1.1\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path: \"/a HTTP/1.1\\r\\nX-Injected: 1\" (expected: no spaces or control characters;"
                        + " percent-encode them)");
        assertThatThrownBy(() -> ProxyRequest.builder().path("/a\u0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path: \"/a\\u0000\" (expected: no spaces or control characters; percent-encode them)");
        assertThatThrownBy(() -> ProxyRequest.builder().query("a=b c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query: \"a=b c\" (expected: no spaces or control characters; percent-encode them)");
        assertThatThrownBy(() -> ProxyRequest.builder().authority("a\r\nX: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("authority: \"a\\r\\nX: 1\" (expected: host[:port] without spaces or control characters)");
    }

    @Test
    void keepsWhatAParserLetsThroughInATarget() {
        ProxyRequest request = ProxyRequest.builder().pathAndQuery("/caf\u00e9/%20{x}|y?q=\"a\"&b=%0D").build();

        assertThat(request.pathAndQuery()).isEqualTo("/caf\u00e9/%20{x}|y?q=\"a\"&b=%0D");
    }

    @Test
    void rejectsAPathThatDoesNotStartWithASlash() {
        assertThatThrownBy(() -> ProxyRequest.builder().path("a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path: \"a/b\" (expected: starts with /)");
        assertThatThrownBy(() -> ProxyRequest.builder().pathAndQuery("?x=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path: \"\" (expected: starts with /)");
    }

    @Test
    void rejectsNullsNamingTheField() {
        assertThatThrownBy(() -> ProxyRequest.builder().authority(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("authority");
        assertThatThrownBy(() -> ProxyRequest.builder().peerAddress(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("peerAddress");
        assertThatThrownBy(() -> ProxyRequest.builder().headers(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("headers");
    }

    @Test
    void theUpgradeIsAProtocolKeptAcrossCopies() {
        ProxyRequest request = ProxyRequest.builder().upgrade("websocket").build();

        assertThat(ProxyRequest.builder().build().upgrade()).isEmpty();
        assertThat(request.toBuilder().path("/other").build().upgrade()).isEqualTo("websocket");
        assertThat(ProxyRequest.builder().upgrade("HTTP/2.0").build().upgrade()).isEqualTo("HTTP/2.0");
        assertThatThrownBy(() -> ProxyRequest.builder().upgrade("web socket"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upgrade: \"web socket\" (expected: a protocol such as websocket)");
        assertThatThrownBy(() -> ProxyRequest.builder().upgrade("a/"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
