package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

    @Test
    void hasWeightOneUnlessGivenOne() {
        assertThat(Endpoint.of("http://127.0.0.1:9000").weight()).isEqualTo(1);
        assertThat(Endpoint.of("http://127.0.0.1:9000", 7).weight()).isEqualTo(7);
    }

    @Test
    void isTheSameValueAsItsRecordConstructorMakes() {
        assertThat(Endpoint.of("http://a:1", 2)).isEqualTo(new Endpoint(URI.create("http://a:1"), 2));
    }

    @ParameterizedTest
    @CsvSource({
            "http://a.example,       a.example, 80,   false, a.example",
            "http://a.example:80,    a.example, 80,   false, a.example",
            "http://a.example:443,   a.example, 443,  false, a.example:443",
            "https://a.example,      a.example, 443,  true,  a.example",
            "https://a.example:443/, a.example, 443,  true,  a.example",
            "https://a.example:80,   a.example, 80,   true,  a.example:80",
            "HTTP://A.Example:8080,  a.example, 8080, false, a.example:8080",
            "http://127.0.0.1:9000,  127.0.0.1, 9000, false, 127.0.0.1:9000",
            "http://[::1]:9000,      [::1],     9000, false, [::1]:9000",
            "https://[::1],          [::1],     443,  true,  [::1]",
    })
    void knowsItsHostPortAndAuthorityWithTheSchemesDefaultPortLeftOut(
            String uri, String host, int port, boolean secure, String authority) {
        Endpoint endpoint = Endpoint.of(uri);

        assertThat(endpoint.host()).isEqualTo(host);
        assertThat(endpoint.port()).isEqualTo(port);
        assertThat(endpoint.isSecure()).isEqualTo(secure);
        assertThat(endpoint.authority()).isEqualTo(authority);
    }

    @Test
    void printsAsItsUri() {
        assertThat(Endpoint.of("https://api.internal:8443/", 5)).hasToString("https://api.internal:8443/");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000})
    void acceptsWeightsFromOneToAThousand(int weight) {
        assertThat(Endpoint.of("http://a:1", weight).weight()).isEqualTo(weight);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1001})
    void rejectsWeightsOutsideOneToAThousand(int weight) {
        assertThatThrownBy(() -> Endpoint.of("http://a:1", weight))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight: " + weight + " (expected: 1..1000)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://x                  | an http or https URI",
            "/relative                | an http or https URI",
            "localhost:9000           | an http or https URI",
            "http:opaque              | a URI with a host",
            "http://:80               | a URI with a host",
            "http://a:0               | a port in 1..65535",
            "http://a:65536           | a port in 1..65535",
            "http://user:secret@a:1   | no user-info",
            "http://a:1/api           | no path other than /",
            "http://a:1//             | no path other than /",
            "http://a:1?x=1           | no query",
            "http://a:1/?             | no query",
            "http://a:1#top           | no fragment",
    })
    void rejectsUrisThatAreNotJustASchemeHostAndPort(String uri, String expected) {
        assertThatThrownBy(() -> Endpoint.of(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint: \"" + uri + "\" (expected: " + expected + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9000", "http://a:1 ", "http://a b"})
    void rejectsStringsThatAreNotUris(String uri) {
        assertThatThrownBy(() -> Endpoint.of(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint: \"" + uri
                        + "\" (expected: an absolute http(s) URI such as http://127.0.0.1:9000)");
    }
}
