package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MethodMatcherTest {

    private static ProxyRequest request(String method) {
        return ProxyRequest.builder().method(method).authority("api.example.com:8080").path("/x").query("a=1")
                .headers(Headers.of("X-A", "1")).build();
    }

    @Test
    void matchesAnyOfTheGivenMethods() {
        MethodMatcher matcher = MethodMatcher.of("GET", "HEAD");

        assertThat(matcher.test(request("GET"))).isTrue();
        assertThat(matcher.test(request("HEAD"))).isTrue();
        assertThat(matcher.test(request("POST"))).isFalse();
    }

    @Test
    void givenMethodsAreUpperCased() {
        MethodMatcher matcher = MethodMatcher.of(List.of("get", "Post"));

        assertThat(matcher.methods()).containsExactlyInAnyOrder("GET", "POST");
        assertThat(matcher.test(request("POST"))).isTrue();
    }

    @Test
    void requestMethodIsCaseSensitive() {
        assertThat(MethodMatcher.of("GET").test(request("get"))).isFalse();
    }

    @Test
    void extensionMethodsAreTokensToo() {
        assertThat(MethodMatcher.of("PROPFIND", "M-SEARCH").test(request("M-SEARCH"))).isTrue();
    }

    @Test
    void duplicatesCollapse() {
        assertThat(MethodMatcher.of("GET", "get", "GET").methods()).containsExactly("GET");
        assertThat(MethodMatcher.of("GET", "get")).isEqualTo(MethodMatcher.of("GET"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"G T", "", "GET\r\n", "GET/1", "PÖST", "(GET)"})
    void nonTokenIsRejected(String method) {
        assertThatThrownBy(() -> MethodMatcher.of("HEAD", method))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method: \"" + method + "\" (expected: an HTTP method token)");
    }

    @Test
    void noMethodIsRejected() {
        assertThatThrownBy(MethodMatcher::of)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("methods: [] (expected: at least one)");
        assertThatThrownBy(() -> MethodMatcher.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("methods: [] (expected: at least one)");
    }

    @Test
    void describesItsMethodsSorted() {
        assertThat(MethodMatcher.of("POST", "GET")).hasToString("MethodMatcher[GET, POST]");
    }
}
