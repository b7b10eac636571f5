package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostMatcherTest {

    private static ProxyRequest requestTo(String authority) {
        return ProxyRequest.builder().authority(authority).path("/x").query("a=1").headers(Headers.of("X-A", "1")).build();
    }

    @Test
    void exactHostMatchesIgnoringThePort() {
        HostMatcher matcher = HostMatcher.of("api.example.com");

        assertThat(matcher.test(requestTo("api.example.com:8080"))).isTrue();
        assertThat(matcher.test(requestTo("api.example.com"))).isTrue();
        assertThat(matcher.test(requestTo("www.example.com"))).isFalse();
        assertThat(matcher.test(requestTo("api.example.com.evil"))).isFalse();
    }

    @Test
    void exactHostIgnoresCaseOnBothSides() {
        HostMatcher matcher = HostMatcher.of("API.Example.com");

        assertThat(matcher.pattern()).isEqualTo("api.example.com");
        assertThat(matcher.test(requestTo("Api.EXAMPLE.com:443"))).isTrue();
        assertThat(matcher.matches("API.EXAMPLE.COM")).isTrue();
    }

    @Test
    void exactHostIsIndexable() {
        assertThat(HostMatcher.of("api.example.com").isExact()).isTrue();
        assertThat(HostMatcher.of("*.example.com").isExact()).isFalse();
        assertThat(HostMatcher.of("*.Example.com").pattern()).isEqualTo("*.example.com");
    }

    @Test
    void wildcardMatchesOneOrMoreLabelsInFrontOfTheSuffix() {
        HostMatcher matcher = HostMatcher.of("*.example.com");

        assertThat(matcher.test(requestTo("a.example.com"))).isTrue();
        assertThat(matcher.test(requestTo("a.b.example.com:8443"))).isTrue();
        assertThat(matcher.test(requestTo("A.EXAMPLE.COM"))).isTrue();
    }

    @Test
    void wildcardDoesNotMatchTheBareSuffixOrLookalikes() {
        HostMatcher matcher = HostMatcher.of("*.example.com");

        assertThat(matcher.test(requestTo("example.com"))).isFalse();
        assertThat(matcher.test(requestTo("badexample.com"))).isFalse();
        assertThat(matcher.test(requestTo(".example.com"))).isFalse();
        assertThat(matcher.test(requestTo(""))).isFalse();
    }

    @Test
    void ipv6LiteralMatchesWithItsBrackets() {
        HostMatcher matcher = HostMatcher.of("[::1]");

        assertThat(matcher.test(requestTo("[::1]:8080"))).isTrue();
        assertThat(matcher.test(requestTo("[::2]"))).isFalse();
    }

    @Test
    void ipv4AddressIsAnExactHost() {
        assertThat(HostMatcher.of("10.0.0.1").test(requestTo("10.0.0.1:80"))).isTrue();
    }

    @Test
    void starAloneIsRejectedPointingToNoHostPredicate() {
        assertThatThrownBy(() -> HostMatcher.of("*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host: \"*\" (expected: a host name or *.suffix; to take any host, add no host predicate)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "a.*.com", "*example.com", "*.", "*.*.com", "example.*", "**.example.com", "api example.com",
        "example.com/api", "example.com:8080", "a..com", ".example.com", "example.com.", "*.[::1]", "[::1", "[zz]",
        "exämple.com"})
    void invalidPatternIsRejectedNamingIt(String pattern) {
        assertThatThrownBy(() -> HostMatcher.of(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host: \"" + pattern + "\" (expected: a host name or *.suffix)");
    }

    @Test
    void anyOfMatchesExactAndWildcardPatterns() {
        RequestPredicate hosts = HostMatcher.anyOf(List.of("api.example.com", "*.example.org", "Other.NET"));

        assertThat(hosts.test(requestTo("api.example.com:8080"))).isTrue();
        assertThat(hosts.test(requestTo("x.y.example.org"))).isTrue();
        assertThat(hosts.test(requestTo("other.net"))).isTrue();
        assertThat(hosts.test(requestTo("example.org"))).isFalse();
        assertThat(hosts.test(requestTo("www.example.com"))).isFalse();
        assertThat(hosts).hasToString("HostMatcher.anyOf([api.example.com, *.example.org, Other.NET])");
    }

    @Test
    void anyOfOnePatternIsThatMatcher() {
        assertThat(HostMatcher.anyOf(List.of("api.example.com"))).isEqualTo(HostMatcher.of("api.example.com"));
    }

    @Test
    void anyOfRejectsNoPatternsAndInvalidOnes() {
        assertThatThrownBy(() -> HostMatcher.anyOf(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host patterns: [] (expected: at least one)");
        assertThatThrownBy(() -> HostMatcher.anyOf(List.of("ok.com", "a.*.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host: \"a.*.com\" (expected: a host name or *.suffix)");
    }

    @Test
    void equalityFollowsTheLowerCasedPattern() {
        assertThat(HostMatcher.of("API.example.com")).isEqualTo(HostMatcher.of("api.example.com"))
                .hasSameHashCodeAs(HostMatcher.of("api.example.com"))
                .hasToString("HostMatcher(api.example.com)");
        assertThat(HostMatcher.of("*.example.com")).isNotEqualTo(HostMatcher.of("example.com"));
    }
}
