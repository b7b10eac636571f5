package dev.proxy4j.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryMatcherTest {

    private static ProxyRequest withQuery(@Nullable String query) {
        return ProxyRequest.builder().authority("api.example.com:8080").path("/x").query(query)
                .headers(Headers.of("X-A", "1")).build();
    }

    @Test
    void presentMatchesANameWithOrWithoutAValue() {
        assertThat(QueryMatcher.present("a").test(withQuery("a=1"))).isTrue();
        assertThat(QueryMatcher.present("a").test(withQuery("b=2&a"))).isTrue();
        assertThat(QueryMatcher.present("a").test(withQuery("a="))).isTrue();
        assertThat(QueryMatcher.present("a").test(withQuery("ab=1&b=a"))).isFalse();
    }

    @Test
    void nothingIsPresentWithoutAQuery() {
        assertThat(QueryMatcher.present("a").test(withQuery(null))).isFalse();
        assertThat(QueryMatcher.present("a").test(withQuery(""))).isFalse();
        assertThat(QueryMatcher.equalTo("a", "").test(withQuery(null))).isFalse();
        assertThat(QueryMatcher.absent("a").test(withQuery(null))).isTrue();
    }

    @Test
    void absentIsTheOppositeOfPresent() {
        assertThat(QueryMatcher.absent("a").test(withQuery("b=1"))).isTrue();
        assertThat(QueryMatcher.absent("a").test(withQuery("b=1&a"))).isFalse();
    }

    @Test
    void equalToMatchesAnyOfARepeatedParametersValues() {
        QueryMatcher matcher = QueryMatcher.equalTo("tag", "b");

        assertThat(matcher.test(withQuery("tag=a&tag=b"))).isTrue();
        assertThat(matcher.test(withQuery("tag=a&tag=B"))).isFalse();
        assertThat(matcher.test(withQuery("tag=a"))).isFalse();
    }

    @Test
    void bareNameAndEmptyValueBothEqualTheEmptyString() {
        assertThat(QueryMatcher.equalTo("debug", "").test(withQuery("debug"))).isTrue();
        assertThat(QueryMatcher.equalTo("debug", "").test(withQuery("debug="))).isTrue();
        assertThat(QueryMatcher.equalTo("debug", "").test(withQuery("debug=1"))).isFalse();
    }

    @Test
    void valueIsSplitAtTheFirstEqualsSign() {
        assertThat(QueryMatcher.equalTo("f", "a=b").test(withQuery("f=a=b"))).isTrue();
    }

    @Test
    void emptyPartsAreSkipped() {
        assertThat(QueryMatcher.equalTo("b", "2").test(withQuery("&a=1&&b=2&"))).isTrue();
    }

    @Test
    void namesAndValuesCompareFormDecoded() {
        assertThat(QueryMatcher.equalTo("q", "a b").test(withQuery("q=a+b"))).isTrue();
        assertThat(QueryMatcher.equalTo("q", "a b").test(withQuery("q=a%20b"))).isTrue();
        assertThat(QueryMatcher.equalTo("first name", "Zoë").test(withQuery("first+name=Zo%C3%AB"))).isTrue();
        assertThat(QueryMatcher.equalTo("q", "a&b").test(withQuery("q=a%26b"))).isTrue();
        assertThat(QueryMatcher.equalTo("q", "100%").test(withQuery("q=100%25"))).isTrue();
        assertThat(QueryMatcher.equalTo("q", "a+b").test(withQuery("q=a+b"))).isFalse();
    }

    @Test
    void separatorIsOnlyTheAmpersand() {
        assertThat(QueryMatcher.equalTo("a", "1;b=2").test(withQuery("a=1;b=2"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"q=%", "q=%2", "q=%zz", "q=%C3", "q=%FF%FE", "q=%C3%28", "q=a%2"})
    void malformedValueDoesNotMatchAndDoesNotThrow(String query) {
        assertThat(QueryMatcher.present("q").test(withQuery(query))).isFalse();
        assertThat(QueryMatcher.regex("q", ".*").test(withQuery(query))).isFalse();
        assertThat(QueryMatcher.absent("q").test(withQuery(query))).isTrue();
    }

    @Test
    void malformedParameterDoesNotHideAWellFormedOne() {
        assertThat(QueryMatcher.equalTo("q", "ok").test(withQuery("q=%zz&q=ok"))).isTrue();
        assertThat(QueryMatcher.equalTo("q", "ok").test(withQuery("%zz=1&q=ok"))).isTrue();
    }

    @Test
    void regexMustMatchTheWholeDecodedValue() {
        QueryMatcher matcher = QueryMatcher.regex("page", "\\d+");

        assertThat(matcher.test(withQuery("page=12"))).isTrue();
        assertThat(matcher.test(withQuery("page=12a"))).isFalse();
        assertThat(QueryMatcher.regex("q", "a b").test(withQuery("q=a+b"))).isTrue();
    }

    @Test
    void emptyNameIsRejected() {
        assertThatThrownBy(() -> QueryMatcher.equalTo("", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query parameter name: \"\" (expected: not empty)");
    }

    @Test
    void invalidRegexIsRejectedWithTheReason() {
        assertThatThrownBy(() -> QueryMatcher.regex("q", "[a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query regex: \"[a\" (expected: a valid regular expression: Unclosed character class)");
    }

    @Test
    void describesItself() {
        assertThat(QueryMatcher.present("a")).hasToString("QueryMatcher.present(a)");
        assertThat(QueryMatcher.absent("a")).hasToString("QueryMatcher.absent(a)");
        assertThat(QueryMatcher.equalTo("a", "1")).hasToString("QueryMatcher.equalTo(a, 1)");
        assertThat(QueryMatcher.regex("a", "\\d")).hasToString("QueryMatcher.regex(a, \\d)");
    }
}
