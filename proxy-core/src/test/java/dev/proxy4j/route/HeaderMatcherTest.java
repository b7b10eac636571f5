package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import org.junit.jupiter.api.Test;

class HeaderMatcherTest {

    private static final ProxyRequest REQUEST = ProxyRequest.builder()
            .authority("api.example.com:8080").path("/x").query("a=1")
            .headers(Headers.of("X-A", "1", "Accept", "text/html", "accept", "application/json", "X-Empty", ""))
            .build();

    @Test
    void presentMatchesAnyValueWithTheNameInAnyCase() {
        assertThat(HeaderMatcher.present("x-a").test(REQUEST)).isTrue();
        assertThat(HeaderMatcher.present("X-Empty").test(REQUEST)).isTrue();
        assertThat(HeaderMatcher.present("X-B").test(REQUEST)).isFalse();
    }

    @Test
    void absentIsTheOppositeOfPresent() {
        assertThat(HeaderMatcher.absent("X-B").test(REQUEST)).isTrue();
        assertThat(HeaderMatcher.absent("x-a").test(REQUEST)).isFalse();
    }

    @Test
    void equalToComparesTheValueExactly() {
        assertThat(HeaderMatcher.equalTo("X-A", "1").test(REQUEST)).isTrue();
        assertThat(HeaderMatcher.equalTo("x-A", "1").test(REQUEST)).isTrue();
        assertThat(HeaderMatcher.equalTo("X-A", "01").test(REQUEST)).isFalse();
        assertThat(HeaderMatcher.equalTo("Accept", "TEXT/HTML").test(REQUEST)).isFalse();
        assertThat(HeaderMatcher.equalTo("X-Empty", "").test(REQUEST)).isTrue();
        assertThat(HeaderMatcher.equalTo("X-B", "").test(REQUEST)).isFalse();
    }

    @Test
    void equalToMatchesWhenAnyOfARepeatedHeadersValuesDoes() {
        assertThat(HeaderMatcher.equalTo("Accept", "text/html").test(REQUEST)).isTrue();
        assertThat(HeaderMatcher.equalTo("Accept", "application/json").test(REQUEST)).isTrue();
    }

    @Test
    void valuesAreNotSplitOnCommas() {
        ProxyRequest request = REQUEST.toBuilder().headers(Headers.of("Accept", "text/html, application/json")).build();

        assertThat(HeaderMatcher.equalTo("Accept", "text/html").test(request)).isFalse();
        assertThat(HeaderMatcher.equalTo("Accept", "text/html, application/json").test(request)).isTrue();
    }

    @Test
    void regexMustMatchAWholeValueOfAnyField() {
        assertThat(HeaderMatcher.regex("accept", "application/.*").test(REQUEST)).isTrue();
        assertThat(HeaderMatcher.regex("Accept", "json").test(REQUEST)).isFalse();
        assertThat(HeaderMatcher.regex("X-A", "\\d+").test(REQUEST)).isTrue();
        assertThat(HeaderMatcher.regex("X-B", ".*").test(REQUEST)).isFalse();
    }

    @Test
    void invalidNameIsRejected() {
        assertThatThrownBy(() -> HeaderMatcher.present(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name: \"\" (expected: a header name token)");
        assertThatThrownBy(() -> HeaderMatcher.equalTo("X A", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name: \"X A\" (expected: a header name token)");
        assertThatThrownBy(() -> HeaderMatcher.absent("Host:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name: \"Host:\" (expected: a header name token)");
    }

    @Test
    void invalidRegexIsRejectedWithTheReason() {
        assertThatThrownBy(() -> HeaderMatcher.regex("X-A", "a("))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header regex: \"a(\" (expected: a valid regular expression: Unclosed group)");
    }

    @Test
    void describesItself() {
        assertThat(HeaderMatcher.present("X-A")).hasToString("HeaderMatcher.present(X-A)");
        assertThat(HeaderMatcher.absent("X-A")).hasToString("HeaderMatcher.absent(X-A)");
        assertThat(HeaderMatcher.equalTo("X-A", "1")).hasToString("HeaderMatcher.equalTo(X-A, 1)");
        assertThat(HeaderMatcher.regex("X-A", "\\d")).hasToString("HeaderMatcher.regex(X-A, \\d)");
    }
}
