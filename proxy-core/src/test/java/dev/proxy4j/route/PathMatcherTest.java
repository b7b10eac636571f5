package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathMatcherTest {

    private static ProxyRequest requestFor(String path) {
        return ProxyRequest.builder().authority("api.example.com:8080").path(path).query("a=1")
                .headers(Headers.of("X-A", "1")).build();
    }

    @Nested
    class Exact {

        @Test
        void matchesOnlyTheSamePath() {
            PathMatcher matcher = PathMatcher.exact("/api/users");

            assertThat(matcher.test(requestFor("/api/users"))).isTrue();
            assertThat(matcher.test(requestFor("/api/users/"))).isFalse();
            assertThat(matcher.test(requestFor("/api/Users"))).isFalse();
            assertThat(matcher.test(requestFor("/api"))).isFalse();
        }

        @Test
        void ignoresTheQuery() {
            assertThat(PathMatcher.exact("/x").test(requestFor("/x"))).isTrue();
        }

        @Test
        void comparesRawPercentEncoding() {
            assertThat(PathMatcher.exact("/a%20b").matches("/a%20b")).isTrue();
            assertThat(PathMatcher.exact("/a%20b").matches("/a b")).isFalse();
        }

        @Test
        void exposesKindAndPattern() {
            PathMatcher matcher = PathMatcher.exact("/x");

            assertThat(matcher.kind()).isEqualTo(PathMatcher.Kind.EXACT);
            assertThat(matcher.pattern()).isEqualTo("/x");
            assertThat(matcher).hasToString("PathMatcher.exact(/x)");
        }

        @Test
        void pathNotStartingWithSlashIsRejected() {
            assertThatThrownBy(() -> PathMatcher.exact("api"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path: \"api\" (expected: starts with /)");
        }

        @Test
        void pathWithQueryOrFragmentIsRejected() {
            assertThatThrownBy(() -> PathMatcher.exact("/api?x=1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path: \"/api?x=1\" (expected: a path without ? or #)");
        }
    }

    @Nested
    class Prefix {

        @ParameterizedTest
        @CsvSource({
            "/api, /api, true",
            "/api, /api/, true",
            "/api, /api/x, true",
            "/api, /api/x/y, true",
            "/api, /apix, false",
            "/api, /ap, false",
            "/api, /, false",
            "/api, /API/x, false",
            "/api/, /api/, true",
            "/api/, /api/x, true",
            "/api/, /api, false",
            "/api/, /apix, false",
            "/, /, true",
            "/, /anything/at/all, true",
            "/a/b, /a/b/c, true",
            "/a/b, /a/bc, false",
        })
        void isSegmentAware(String prefix, String path, boolean matches) {
            assertThat(PathMatcher.prefix(prefix).test(requestFor(path))).isEqualTo(matches);
        }

        @Test
        void exposesKindAndPattern() {
            PathMatcher matcher = PathMatcher.prefix("/api");

            assertThat(matcher.kind()).isEqualTo(PathMatcher.Kind.PREFIX);
            assertThat(matcher.pattern()).isEqualTo("/api");
            assertThat(matcher).hasToString("PathMatcher.prefix(/api)");
        }

        @Test
        void capturesNothing() {
            assertThat(PathMatcher.prefix("/api").match("/api/x")).contains(Map.of());
            assertThat(PathMatcher.prefix("/api").match("/apix")).isEmpty();
        }

        @Test
        void prefixNotStartingWithSlashIsRejected() {
            assertThatThrownBy(() -> PathMatcher.prefix("api"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path prefix: \"api\" (expected: starts with /)");
            assertThatThrownBy(() -> PathMatcher.prefix(""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path prefix: \"\" (expected: starts with /)");
        }
    }

    @Nested
    class Template {

        @Test
        void capturesOneSegmentPerVariable() {
            PathMatcher matcher = PathMatcher.template("/users/{id}/orders/{orderId}");

            assertThat(matcher.match("/users/42/orders/7")).contains(Map.of("id", "42", "orderId", "7"));
            assertThat(matcher.match("/users/42/orders/7").orElseThrow().keySet()).containsExactly("id", "orderId");
            assertThat(matcher.test(requestFor("/users/42/orders/7"))).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "/users/42", "/users/42/orders", "/users//orders/7", "/users/42/orders/", "/users/42/orders/7/x",
            "/users/42/items/7", "/Users/42/orders/7", "/users/42/orders/7/"})
        void variableMatchesExactlyOneNonEmptySegment(String path) {
            assertThat(PathMatcher.template("/users/{id}/orders/{orderId}").test(requestFor(path))).isFalse();
        }

        @Test
        void capturesRawValues() {
            assertThat(PathMatcher.template("/files/{name}").match("/files/a%2Fb%20c"))
                    .contains(Map.of("name", "a%2Fb%20c"));
        }

        @Test
        void catchAllCapturesTheRemainderWithItsLeadingSlash() {
            PathMatcher matcher = PathMatcher.template("/static/{*rest}");

            assertThat(matcher.match("/static")).contains(Map.of("rest", ""));
            assertThat(matcher.match("/static/")).contains(Map.of("rest", "/"));
            assertThat(matcher.match("/static/css/site.css")).contains(Map.of("rest", "/css/site.css"));
            assertThat(matcher.match("/staticx/a")).isEmpty();
            assertThat(matcher.match("/other")).isEmpty();
        }

        @Test
        void doubleStarMatchesTheRemainderWithoutCapturing() {
            PathMatcher matcher = PathMatcher.template("/a/{id}/**");

            assertThat(matcher.match("/a/1")).contains(Map.of("id", "1"));
            assertThat(matcher.match("/a/1/b/c")).contains(Map.of("id", "1"));
            assertThat(matcher.match("/a")).isEmpty();
        }

        @Test
        void rootCatchAllMatchesEveryPath() {
            PathMatcher matcher = PathMatcher.template("/{*path}");

            assertThat(matcher.match("/")).contains(Map.of("path", "/"));
            assertThat(matcher.match("/a/b")).contains(Map.of("path", "/a/b"));
        }

        @Test
        void literalTemplateMatchesLikeExact() {
            assertThat(PathMatcher.template("/").matches("/")).isTrue();
            assertThat(PathMatcher.template("/").matches("/a")).isFalse();
            assertThat(PathMatcher.template("/a/").matches("/a/")).isTrue();
            assertThat(PathMatcher.template("/a/").matches("/a")).isFalse();
            assertThat(PathMatcher.template("/a/b").match("/a/b")).contains(Map.of());
        }

        @Test
        void capturedVariablesCannotBeChanged() {
            Map<String, String> variables = PathMatcher.template("/u/{id}").match("/u/1").orElseThrow();

            assertThatThrownBy(() -> variables.put("id", "2")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void exposesKindAndPattern() {
            PathMatcher matcher = PathMatcher.template("/users/{id}");

            assertThat(matcher.kind()).isEqualTo(PathMatcher.Kind.TEMPLATE);
            assertThat(matcher.pattern()).isEqualTo("/users/{id}");
            assertThat(matcher).hasToString("PathMatcher.template(/users/{id})");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "/a/{id            | a } closing every {",
            "/a/{id/b}         | a } closing every {",
            "/a/id}            | segments that are text, {name}, or a last {*name} or **",
            "/a/x{id}          | segments that are text, {name}, or a last {*name} or **",
            "/a/{id}x          | segments that are text, {name}, or a last {*name} or **",
            "/a/*.json         | segments that are text, {name}, or a last {*name} or **",
            "/a/{id}/{id}      | distinct variable names, but id repeats",
            "/a/{id}/{*id}     | distinct variable names, but id repeats",
            "/a/{*rest}/b      | {*name} or ** only as the last segment",
            "/a/**/b           | {*name} or ** only as the last segment",
            "/a/{}             | a name in every {}",
            "/a/{*}            | a name in every {}",
            "/a/{a b}          | variable names of letters, digits, _ and -",
            "/a/{a{b}          | variable names of letters, digits, _ and -",
            "a/{id}            | starts with /",
        })
        void badTemplateIsRejectedNamingIt(String template, String expected) {
            assertThatThrownBy(() -> PathMatcher.template(template))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path template: \"" + template + "\" (expected: " + expected + ")");
        }
    }

    @Nested
    class Regex {

        @Test
        void mustMatchTheWholePath() {
            PathMatcher matcher = PathMatcher.regex("/api/v[0-9]+/.*");

            assertThat(matcher.test(requestFor("/api/v2/users"))).isTrue();
            assertThat(matcher.test(requestFor("/x/api/v2/users"))).isFalse();
            assertThat(PathMatcher.regex("/api").test(requestFor("/api/x"))).isFalse();
        }

        @Test
        void capturesNothing() {
            assertThat(PathMatcher.regex("/(?<id>\\d+)").match("/42")).contains(Map.of());
        }

        @Test
        void exposesKindAndPattern() {
            PathMatcher matcher = PathMatcher.regex("/a.*");

            assertThat(matcher.kind()).isEqualTo(PathMatcher.Kind.REGEX);
            assertThat(matcher.pattern()).isEqualTo("/a.*");
            assertThat(matcher).hasToString("PathMatcher.regex(/a.*)");
        }

        @Test
        void invalidRegexIsRejectedWithTheReason() {
            assertThatThrownBy(() -> PathMatcher.regex("/a/(b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path regex: \"/a/(b\" (expected: a valid regular expression: Unclosed group)");
        }
    }

    @Test
    void equalityFollowsKindAndPattern() {
        assertThat(PathMatcher.prefix("/a")).isEqualTo(PathMatcher.prefix("/a"))
                .hasSameHashCodeAs(PathMatcher.prefix("/a"))
                .isNotEqualTo(PathMatcher.exact("/a"));
    }
}
