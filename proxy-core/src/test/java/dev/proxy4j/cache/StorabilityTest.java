package dev.proxy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import org.junit.jupiter.api.Test;

/** RFC 9111 3: what a shared cache may store. */
class StorabilityTest {

    private static final ProxyRequest GET = ProxyRequest.builder().path("/a").build();

    private static String why(ProxyRequest request, int status, String... headers) {
        return Storability.whyNot(request, CacheControl.of(request.headers()), status, Headers.of(headers), false);
    }

    @Test
    void onlyGetIsStored() {
        assertThat(why(GET, 200, "Cache-Control", "max-age=60")).isNull();
        assertThat(why(GET.toBuilder().method("HEAD").build(), 200, "Cache-Control", "max-age=60")).isEqualTo("method");
        assertThat(why(GET.toBuilder().method("POST").build(), 200, "Cache-Control", "max-age=60")).isEqualTo("method");
    }

    @Test
    void heuristicallyCacheableStatusesNeedNoExplicitFreshnessOthersDo() {
        for (int status : new int[] {200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501}) {
            assertThat(why(GET, status)).as("status %s", status).isNull();
        }
        assertThat(why(GET, 302)).isEqualTo("no-freshness");
        assertThat(why(GET, 500)).isEqualTo("no-freshness");
        assertThat(why(GET, 500, "Cache-Control", "max-age=5")).isNull();
        assertThat(why(GET, 302, "Expires", "Thu, 01 Jan 2037 00:00:00 GMT")).isNull();
        assertThat(why(GET, 307, "Cache-Control", "public")).isNull();
    }

    @Test
    void partialAndNotModifiedResponsesAreNotStored() {
        assertThat(why(GET, 206, "Cache-Control", "max-age=60")).isEqualTo("status");
        assertThat(why(GET, 304, "Cache-Control", "max-age=60")).isEqualTo("status");
    }

    @Test
    void noStoreInTheResponseOrTheRequestPreventsStoring() {
        assertThat(why(GET, 200, "Cache-Control", "max-age=60, no-store")).isEqualTo("no-store");
        ProxyRequest noStore = GET.toBuilder().headers(Headers.of("Cache-Control", "no-store")).build();
        assertThat(why(noStore, 200, "Cache-Control", "max-age=60")).isEqualTo("no-store");
    }

    @Test
    void mustUnderstandOverridesNoStoreForUnderstoodStatuses() {
        assertThat(why(GET, 200, "Cache-Control", "max-age=60, no-store, must-understand")).isNull();
        assertThat(why(GET, 299, "Cache-Control", "max-age=60, no-store, must-understand")).isEqualTo("status");
    }

    @Test
    void privateIsNotStoredButAQualifiedPrivateIsWithoutItsFields() {
        assertThat(why(GET, 200, "Cache-Control", "private, max-age=60")).isEqualTo("private");
        assertThat(why(GET, 200, "Cache-Control", "private=\"X-User\", max-age=60")).isNull();
        assertThat(Storing.storedHeaders(Headers.of("Cache-Control", "private=\"X-User\"", "X-User", "ann", "X-A", "1")))
                .isEqualTo(Headers.of("Cache-Control", "private=\"X-User\"", "X-A", "1"));
    }

    @Test
    void anAuthorizedRequestIsStoredOnlyWithPublicSMaxageOrMustRevalidate() {
        ProxyRequest authorized = GET.toBuilder().headers(Headers.of("Authorization", "Bearer x")).build();

        assertThat(why(authorized, 200, "Cache-Control", "max-age=60")).isEqualTo("authorization");
        assertThat(why(authorized, 200, "Cache-Control", "public, max-age=60")).isNull();
        assertThat(why(authorized, 200, "Cache-Control", "s-maxage=60")).isNull();
        assertThat(why(authorized, 200, "Cache-Control", "max-age=60, must-revalidate")).isNull();
    }

    @Test
    void setCookieIsNotStoredUnlessConfiguredAndThenWithoutTheCookie() {
        Headers withCookie = Headers.of("Cache-Control", "max-age=60", "Set-Cookie", "id=1");
        assertThat(Storability.whyNot(GET, CacheControl.none(), 200, withCookie, false)).isEqualTo("set-cookie");
        assertThat(Storability.whyNot(GET, CacheControl.none(), 200, withCookie, true)).isNull();
        assertThat(Storing.storedHeaders(withCookie)).isEqualTo(Headers.of("Cache-Control", "max-age=60"));
    }

    @Test
    void varyStarIsNeverStored() {
        assertThat(why(GET, 200, "Cache-Control", "max-age=60", "Vary", "Accept, *")).isEqualTo("vary-star");
        assertThat(why(GET, 200, "Cache-Control", "max-age=60", "Vary", "Accept-Encoding")).isNull();
    }
}
