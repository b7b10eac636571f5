package dev.proxy4j.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

    private static final RequestContext CTX = TestContexts.direct();

    private final AtomicReference<ProxyRequest> forwarded = new AtomicReference<>();

    /** Runs {@code rules} for a request with {@code requestHeaders} against a backend answering {@code responseHeaders}. */
    private ProxyResponse run(HeaderRules rules, Headers requestHeaders, Headers responseHeaders) throws Exception {
        FilterChain backend = request -> {
            forwarded.set(request);
            return CompletableFuture.completedFuture(ProxyResponse.builder(200).headers(responseHeaders).build());
        };
        ProxyRequest request = ProxyRequest.builder().headers(requestHeaders).build();
        return rules.filter(CTX, request, backend).toCompletableFuture().get();
    }

    @Test
    void addsSetsAndRemovesRequestHeaders() throws Exception {
        HeaderRules rules = HeaderRules.builder()
                .addRequestHeader("X-Tag", "b")
                .setRequestHeader("X-Env", "prod")
                .removeRequestHeader("X-Debug")
                .build();

        run(rules, Headers.of("X-Tag", "a", "X-Env", "dev", "x-env", "test", "x-debug", "1"), Headers.empty());

        assertThat(forwarded.get().headers()).isEqualTo(Headers.of("X-Tag", "a", "X-Env", "prod", "X-Tag", "b"));
    }

    @Test
    void addsSetsAndRemovesResponseHeaders() throws Exception {
        HeaderRules rules = HeaderRules.builder()
                .addResponseHeader("Vary", "Origin")
                .setResponseHeader("Cache-Control", "no-store")
                .removeResponseHeader("X-Internal")
                .build();

        ProxyResponse response = run(rules, Headers.empty(),
                Headers.of("Vary", "Accept", "Cache-Control", "max-age=60", "X-Internal", "10.0.0.7"));

        assertThat(response.headers()).isEqualTo(Headers.of("Vary", "Accept", "Cache-Control", "no-store", "Vary", "Origin"));
    }

    @Test
    void requestRulesLeaveTheResponseAloneAndResponseRulesTheRequest() throws Exception {
        HeaderRules rules = HeaderRules.builder()
                .removeRequestHeader("X-A")
                .removeResponseHeader("X-B")
                .build();

        ProxyResponse response = run(rules, Headers.of("X-A", "1", "X-B", "1"), Headers.of("X-A", "2", "X-B", "2"));

        assertThat(forwarded.get().headers()).isEqualTo(Headers.of("X-B", "1"));
        assertThat(response.headers()).isEqualTo(Headers.of("X-A", "2"));
    }

    @Test
    void hideResponseHeadersRemovesEachNameIgnoringCase() throws Exception {
        HeaderRules rules = HeaderRules.builder().hideResponseHeaders("Server", "X-Powered-By").build();

        ProxyResponse response = run(rules, Headers.empty(),
                Headers.of("server", "nginx/1.25", "Content-Type", "text/html", "X-POWERED-BY", "PHP/8"));

        assertThat(response.headers()).isEqualTo(Headers.of("Content-Type", "text/html"));
    }

    @Test
    void stripRequestCookiesRemovesEveryCookieHeaderOnTheWayIn() throws Exception {
        HeaderRules rules = HeaderRules.builder().stripRequestCookies().build();

        ProxyResponse response = run(rules, Headers.of("Cookie", "a=1", "Accept", "*/*", "cookie", "b=2"),
                Headers.of("Set-Cookie", "s=1"));

        assertThat(forwarded.get().headers()).isEqualTo(Headers.of("Accept", "*/*"));
        assertThat(response.headers()).isEqualTo(Headers.of("Set-Cookie", "s=1"));
    }

    @Test
    void stripResponseCookiesRemovesEverySetCookieHeaderOnTheWayOut() throws Exception {
        HeaderRules rules = HeaderRules.builder().stripResponseCookies().build();

        ProxyResponse response = run(rules, Headers.of("Cookie", "a=1"),
                Headers.of("Set-Cookie", "s=1", "ETag", "\"x\"", "set-cookie", "t=2"));

        assertThat(forwarded.get().headers()).isEqualTo(Headers.of("Cookie", "a=1"));
        assertThat(response.headers()).isEqualTo(Headers.of("ETag", "\"x\""));
    }

    @Test
    void rulesRunInTheOrderTheyWereDeclared() throws Exception {
        HeaderRules removeThenAdd = HeaderRules.builder()
                .removeRequestHeader("X-A").addRequestHeader("X-A", "new").build();
        HeaderRules addThenRemove = HeaderRules.builder()
                .addRequestHeader("X-A", "new").removeRequestHeader("X-A").build();

        run(removeThenAdd, Headers.of("X-A", "old"), Headers.empty());
        assertThat(forwarded.get().headers()).isEqualTo(Headers.of("X-A", "new"));

        run(addThenRemove, Headers.of("X-A", "old"), Headers.empty());
        assertThat(forwarded.get().headers()).isEqualTo(Headers.empty());
    }

    @Test
    void withoutRulesTheRequestAndResponsePassUntouched() throws Exception {
        HeaderRules rules = HeaderRules.builder().build();
        ProxyRequest request = ProxyRequest.builder().headers(Headers.of("X-A", "1")).build();
        ProxyResponse answer = ProxyResponse.builder(200).headers(Headers.of("X-B", "2")).build();

        ProxyResponse response = rules.filter(CTX, request, r -> {
            forwarded.set(r);
            return CompletableFuture.completedFuture(answer);
        }).toCompletableFuture().get();

        assertThat(forwarded.get()).isSameAs(request);
        assertThat(response).isSameAs(answer);
    }

    @Test
    void anInvalidHeaderNameFailsWhenTheRuleIsDeclared() {
        assertThatThrownBy(() -> HeaderRules.builder().setRequestHeader("X Env", "prod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name: \"X Env\" (expected: a token as RFC 9110 defines it)");
        assertThatThrownBy(() -> HeaderRules.builder().addResponseHeader("X:A", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name: \"X:A\" (expected: a token as RFC 9110 defines it)");
        assertThatThrownBy(() -> HeaderRules.builder().hideResponseHeaders("Server", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name: \"\" (expected: a non-empty token)");
        assertThatThrownBy(() -> HeaderRules.builder().removeRequestHeader("X\nA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name: \"X\nA\" (expected: a token as RFC 9110 defines it)");
    }

    @Test
    void aValueThatWouldSplitTheHeaderFailsWhenTheRuleIsDeclared() {
        assertThatThrownBy(() -> HeaderRules.builder().setRequestHeader("X-Env", "prod\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header X-Env: \"prod\\r\\nX-Injected: 1\" (expected: a value without CR, LF or NUL)");
        assertThatThrownBy(() -> HeaderRules.builder().addResponseHeader("X-A", "a\u0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header X-A: \"a\\u0000\" (expected: a value without CR, LF or NUL)");
    }

    @Test
    void aNullValueFailsWhenTheRuleIsDeclared() {
        assertThatThrownBy(() -> HeaderRules.builder().addRequestHeader("X-A", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("value");
    }

    @Test
    void printsItsRules() {
        HeaderRules rules = HeaderRules.builder()
                .setRequestHeader("X-Env", "prod").removeRequestHeader("Cookie").addResponseHeader("Vary", "Origin")
                .build();

        assertThat(rules).hasToString("HeaderRules[request=[set X-Env: prod, remove Cookie], response=[add Vary: Origin]]");
    }
}
