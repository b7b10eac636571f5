package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRewritesTest {

    @Nested
    class StripPrefix {

        @ParameterizedTest
        @CsvSource({
            "/api, /api/users, /users",
            "/api, /api/users/42/, /users/42/",
            "/api, /api, /",
            "/api, /api/, /",
            "/api, /apix, /apix",
            "/api, /other, /other",
            "/api/, /api/users, /users",
            "/api/, /api/, /",
            "/api/, /api, /api",
            "/, /users, /users",
            "/a/b, /a/b/c, /c",
        })
        void removesASegmentAwarePrefix(String prefix, String path, String expected) {
            assertThat(PathRewrites.stripPrefix(prefix).rewrite(path)).isEqualTo(expected);
        }

        @Test
        void prefixMustStartWithSlash() {
            assertThatThrownBy(() -> PathRewrites.stripPrefix("api"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite prefix: \"api\" (expected: starts with /)");
        }

        @Test
        void describesItself() {
            assertThat(PathRewrites.stripPrefix("/api")).hasToString("PathRewrites.stripPrefix(/api)");
        }
    }

    @Nested
    class ReplacePrefix {

        @ParameterizedTest
        @CsvSource({
            "/products, /api/v1/items, /products/42, /api/v1/items/42",
            "/products, /api/v1/items, /products, /api/v1/items",
            "/products, /api/v1/items, /products/, /api/v1/items/",
            "/products, /api/v1/items, /productsx, /productsx",
            "/products, /api/v1/items, /other/products, /other/products",
            "/a/, /b/, /a/x, /b/x",
            "/a/, /b/, /a/, /b/",
            "/a, /b/, /a/x, /b/x",
            "/a, /b/, /a, /b/",
            "/a/, /b, /a/x, /b/x",
            "/a, /, /a/x, /x",
            "/a, /, /a, /",
            "/, /api, /x/y, /api/x/y",
            "/, /api, /, /api/",
        })
        void replacesASegmentAwarePrefixJoiningWithOneSlash(String from, String to, String path, String expected) {
            assertThat(PathRewrites.replacePrefix(from, to).rewrite(path)).isEqualTo(expected);
        }

        @Test
        void bothPathsMustStartWithSlash() {
            assertThatThrownBy(() -> PathRewrites.replacePrefix("products", "/items"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite prefix: \"products\" (expected: starts with /)");
            assertThatThrownBy(() -> PathRewrites.replacePrefix("/products", "items"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"items\" (expected: starts with /)");
        }

        @Test
        void replacementMayNotCarryAQuery() {
            assertThatThrownBy(() -> PathRewrites.replacePrefix("/p", "/items?x=1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/items?x=1\" (expected: a path without ? or #)");
        }

        @Test
        void describesItself() {
            assertThat(PathRewrites.replacePrefix("/a", "/b")).hasToString("PathRewrites.replacePrefix(/a, /b)");
        }
    }

    @Nested
    class Regex {

        @Test
        void replacesAWholeMatchUsingNumberedGroups() {
            PathRewrite rewrite = PathRewrites.regex("/v(\\d+)/(.*)", "/api/$2/version/$1");

            assertThat(rewrite.rewrite("/v2/users")).isEqualTo("/api/users/version/2");
        }

        @Test
        void replacesUsingNamedGroups() {
            PathRewrite rewrite = PathRewrites.regex("/users/(?<id>[^/]+)", "/people/${id}");

            assertThat(rewrite.rewrite("/users/42")).isEqualTo("/people/42");
        }

        @Test
        void leavesAPathThatDoesNotMatchWhollyUnchanged() {
            PathRewrite rewrite = PathRewrites.regex("/users/(\\d+)", "/people/$1");

            assertThat(rewrite.rewrite("/users/42/orders")).isEqualTo("/users/42/orders");
            assertThat(rewrite.rewrite("/x/users/42")).isEqualTo("/x/users/42");
        }

        @Test
        void usesTheWholeMatchNotTheFirstShorterOne() {
            PathRewrite rewrite = PathRewrites.regex("/a|/a/(b)", "/x$1");

            assertThat(rewrite.rewrite("/a/b")).isEqualTo("/xb");
        }

        @Test
        void prependsASlashWhenTheResultLacksOne() {
            assertThat(PathRewrites.regex("/(.*)", "$1").rewrite("/a/b")).isEqualTo("/a/b");
            assertThat(PathRewrites.regex("/(.*)", "$1").rewrite("/")).isEqualTo("/");
        }

        @Test
        void escapedDollarIsLiteral() {
            assertThat(PathRewrites.regex("/a", "/\\$1").rewrite("/a")).isEqualTo("/$1");
        }

        @Test
        void digitsAfterTheLastGroupAreText() {
            assertThat(PathRewrites.regex("/(a)", "/$10").rewrite("/a")).isEqualTo("/a0");
        }

        @Test
        void invalidRegexIsRejectedWithTheReason() {
            assertThatThrownBy(() -> PathRewrites.regex("/(a", "/b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite regex: \"/(a\" (expected: a valid regular expression: Unclosed group)");
        }

        @Test
        void replacementReferringToAMissingNumberedGroupIsRejected() {
            assertThatThrownBy(() -> PathRewrites.regex("/(a)", "/$2"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/$2\" (expected: group numbers from 0 to 1, the groups of the rewrite regex)");
            assertThatThrownBy(() -> PathRewrites.regex("/a", "/$1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/$1\" (expected: group numbers from 0 to 0, the groups of the rewrite regex)");
        }

        @Test
        void replacementReferringToAMissingNamedGroupIsRejected() {
            assertThatThrownBy(() -> PathRewrites.regex("/(?<id>a)", "/${name}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/${name}\" (expected: a group named name in the rewrite regex)");
        }

        @Test
        void namedGroupInsideAQuoteOrACommentDoesNotCount() {
            assertThatThrownBy(() -> PathRewrites.regex("/\\Q(?<id>a)", "/${id}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/${id}\" (expected: a group named id in the rewrite regex)");
            assertThatThrownBy(() -> PathRewrites.regex("(?x)/a # (?<id>a)", "/${id}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/${id}\" (expected: a group named id in the rewrite regex)");
            assertThat(PathRewrites.regex("(?x)/(?<id>a) # comment", "/${id}").rewrite("/a")).isEqualTo("/a");
        }

        @Test
        void malformedReplacementIsRejected() {
            String expected = " (expected: $ followed by a group number or {name}, and \\ followed by a character)";
            for (String replacement : new String[] {"/a$", "/a\\", "/$x", "/${id", "/${}", "/${1a}"}) {
                assertThatThrownBy(() -> PathRewrites.regex("/(?<id>a)", replacement))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("rewrite replacement: \"" + replacement + "\"" + expected);
            }
        }

        @Test
        void describesItself() {
            assertThat(PathRewrites.regex("/(a)", "/$1")).hasToString("PathRewrites.regex(/(a), /$1)");
        }
    }

    @Nested
    class SetPath {

        @Test
        void alwaysGivesThePath() {
            PathRewrite rewrite = PathRewrites.setPath("/health");

            assertThat(rewrite.rewrite("/anything/else")).isEqualTo("/health");
            assertThat(rewrite.rewrite("/")).isEqualTo("/health");
            assertThat(rewrite).hasToString("PathRewrites.setPath(/health)");
        }

        @Test
        void pathMustStartWithSlash() {
            assertThatThrownBy(() -> PathRewrites.setPath("health"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite path: \"health\" (expected: starts with /)");
        }
    }

    @Nested
    class Template {

        @Test
        void fillsInTheCapturedVariables() {
            PathRewrite rewrite = PathRewrites.template("/users/{id}/orders/{orderId}", "/v2/orders/{orderId}/by/{id}");

            assertThat(rewrite.rewrite("/users/42/orders/7")).isEqualTo("/v2/orders/7/by/42");
        }

        @Test
        void leavesAPathThatDoesNotMatchUnchanged() {
            PathRewrite rewrite = PathRewrites.template("/users/{id}", "/v2/people/{id}");

            assertThat(rewrite.rewrite("/users/42")).isEqualTo("/v2/people/42");
            assertThat(rewrite.rewrite("/users/42/x")).isEqualTo("/users/42/x");
            assertThat(rewrite.rewrite("/users/")).isEqualTo("/users/");
        }

        @Test
        void keepsRawValues() {
            assertThat(PathRewrites.template("/f/{name}", "/files/{name}").rewrite("/f/a%2Fb")).isEqualTo("/files/a%2Fb");
        }

        @Test
        void variableMayAppearTwiceOrNotAtAllInTheReplacement() {
            assertThat(PathRewrites.template("/a/{x}/{y}", "/b/{x}/{x}").rewrite("/a/1/2")).isEqualTo("/b/1/1");
        }

        @Test
        void carriesTheCatchAllRemainderOver() {
            PathRewrite rewrite = PathRewrites.template("/static/{*rest}", "/assets/{*rest}");

            assertThat(rewrite.rewrite("/static")).isEqualTo("/assets");
            assertThat(rewrite.rewrite("/static/")).isEqualTo("/assets/");
            assertThat(rewrite.rewrite("/static/css/site.css")).isEqualTo("/assets/css/site.css");
        }

        @Test
        void rootReplacementWithAnEmptyRemainderIsTheRoot() {
            PathRewrite rewrite = PathRewrites.template("/api/{*rest}", "/{*rest}");

            assertThat(rewrite.rewrite("/api")).isEqualTo("/");
            assertThat(rewrite.rewrite("/api/x")).isEqualTo("/x");
        }

        @Test
        void doubleStarInTheSourceIsDropped() {
            assertThat(PathRewrites.template("/old/{id}/**", "/new/{id}").rewrite("/old/1/a/b")).isEqualTo("/new/1");
        }

        @Test
        void replacementVariableMissingFromTheSourceIsRejected() {
            assertThatThrownBy(() -> PathRewrites.template("/users/{id}", "/v2/people/{uid}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/v2/people/{uid}\" (expected: only variables of the rewrite template, [id])");
        }

        @Test
        void variableMustKeepItsKind() {
            assertThatThrownBy(() -> PathRewrites.template("/s/{*rest}", "/t/{rest}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/t/{rest}\" (expected: {*rest}, as rest is a catch-all)");
            assertThatThrownBy(() -> PathRewrites.template("/s/{id}", "/t/{*id}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/t/{*id}\" (expected: {id}, as id matches one segment)");
        }

        @Test
        void doubleStarInTheReplacementIsRejected() {
            assertThatThrownBy(() -> PathRewrites.template("/s/**", "/t/**"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"/t/**\" (expected: {*name} naming a catch-all of the rewrite template instead of **)");
        }

        @Test
        void badTemplatesAreRejectedNamingWhichOne() {
            assertThatThrownBy(() -> PathRewrites.template("/a/{id", "/b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite template: \"/a/{id\" (expected: a } closing every {)");
            assertThatThrownBy(() -> PathRewrites.template("/a/{id}", "b/{id}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rewrite replacement: \"b/{id}\" (expected: starts with /)");
        }

        @Test
        void describesItself() {
            assertThat(PathRewrites.template("/u/{id}", "/p/{id}")).hasToString("PathRewrites.template(/u/{id}, /p/{id})");
        }
    }
}
