package dev.proxy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.Headers;
import org.junit.jupiter.api.Test;

/** RFC 9111 5.2: Cache-Control directives as a cache reads them. */
class CacheControlTest {

    @Test
    void directivesAreCaseInsensitiveAndComeFromEveryFieldLine() {
        CacheControl cc = CacheControl.of(Headers.of("Cache-Control", "Public, MAX-AGE=60", "cache-control", "no-transform"));

        assertThat(cc.has("public")).isTrue();
        assertThat(cc.seconds("max-age")).hasValue(60);
        assertThat(cc.has("No-Transform")).isTrue();
        assertThat(cc.has("private")).isFalse();
    }

    @Test
    void aDuplicatedDirectiveKeepsItsFirstValue() {
        // RFC 9111 4.2.1: with more than one value, the first occurrence is used
        assertThat(CacheControl.parse("max-age=10, max-age=99").seconds("max-age")).hasValue(10);
        assertThat(CacheControl.of(Headers.of("Cache-Control", "s-maxage=5", "Cache-Control", "s-maxage=50"))
                .seconds("s-maxage")).hasValue(5);
    }

    @Test
    void anInvalidDeltaSecondsIsZeroSoTheResponseIsStale() {
        CacheControl cc = CacheControl.parse("max-age=abc, s-maxage=-5, min-fresh=1.5");

        assertThat(cc.seconds("max-age")).hasValue(0);
        assertThat(cc.invalidSeconds("max-age")).isTrue();
        assertThat(cc.seconds("min-fresh")).hasValue(0);
        assertThat(cc.invalidSeconds("min-fresh")).isTrue();
        assertThat(CacheControl.parse("max-age").seconds("max-age")).hasValue(0);
    }

    @Test
    void aQuotedDeltaSecondsIsRead() {
        // RFC 9111 5.2: senders use the token form, recipients accept the quoted one
        assertThat(CacheControl.parse("max-age=\"30\"").seconds("max-age")).hasValue(30);
    }

    @Test
    void aValueBeyondTwoToTheThirtyFirstIsCappedThere() {
        assertThat(CacheControl.parse("max-age=99999999999999999999").seconds("max-age"))
                .hasValue(CacheControl.MAX_DELTA_SECONDS);
        assertThat(CacheControl.parse("max-age=2147483649").seconds("max-age")).hasValue(2147483648L);
    }

    @Test
    void qualifiedNoCacheAndPrivateListTheirFieldNames() {
        CacheControl cc = CacheControl.parse("no-cache=\"Set-Cookie, X-Secret\", private=\"x-user\", max-age=5");

        assertThat(cc.fieldNames("no-cache")).containsExactly("set-cookie", "x-secret");
        assertThat(cc.fieldNames("private")).containsExactly("x-user");
        assertThat(cc.seconds("max-age")).hasValue(5);
        assertThat(CacheControl.parse("no-cache").fieldNames("no-cache")).isEmpty();
        assertThat(CacheControl.parse("no-cache").has("no-cache")).isTrue();
    }

    @Test
    void aCommaInsideQuotesDoesNotSplitTheDirective() {
        CacheControl cc = CacheControl.parse("ext=\"a, b=c\", max-age=7");

        assertThat(cc.value("ext")).isEqualTo("a, b=c");
        assertThat(cc.has("b")).isFalse();
        assertThat(cc.seconds("max-age")).hasValue(7);
    }

    @Test
    void aMalformedMemberIsSkippedAndTheRestIsKept() {
        CacheControl cc = CacheControl.parse(",, =5, max-age=, no store, public, s-maxage=\"10, max-age=3");

        assertThat(cc.has("max-age")).isFalse();
        assertThat(cc.has("no")).isFalse();
        assertThat(cc.has("no-store")).isFalse();
        assertThat(cc.has("public")).isTrue();
        assertThat(cc.has("s-maxage")).as("unterminated quote").isFalse();
    }

    @Test
    void noFieldIsNoDirective() {
        assertThat(CacheControl.of(Headers.empty()).isEmpty()).isTrue();
        assertThat(CacheControl.parse("").isEmpty()).isTrue();
        assertThat(CacheControl.parse("  ,  ").isEmpty()).isTrue();
    }

    @Test
    void aRequestsPragmaNoCacheCountsOnlyWithoutCacheControl() {
        assertThat(CacheControl.ofRequest(dev.proxy4j.http.Headers.of("Pragma", "x-trace, No-Cache")).has("no-cache"))
                .isTrue();
        assertThat(CacheControl.ofRequest(dev.proxy4j.http.Headers.of("Pragma", "x-trace")).isEmpty()).isTrue();
        assertThat(CacheControl.ofRequest(dev.proxy4j.http.Headers.of("Pragma", "no-cache",
                "Cache-Control", "max-age=60")).has("no-cache")).as("RFC 9111 5.4: Cache-Control wins").isFalse();
        assertThat(CacheControl.ofRequest(dev.proxy4j.http.Headers.of("Pragma", "no-cache", "Cache-Control", "max-age=60"))
                .seconds("max-age")).hasValue(60);
        assertThat(CacheControl.ofRequest(dev.proxy4j.http.Headers.of()).isEmpty()).isTrue();
    }
}
