package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashKeyTest {

    private static final RequestContext CTX = RequestContext.builder().requestId("k").eventLoop(TestContexts.DIRECT)
            .blockingExecutor(Runnable::run).peerAddress("10.1.1.1").clientAddress("203.0.113.7").build();
    private static final ProxyRequest REQUEST = ProxyRequest.builder()
            .pathAndQuery("/cart/items?user=a+b&x=1&user=second")
            .headers(Headers.of("X-User", "alice", "X-User", "bob", "Cookie", "theme=dark",
                    "cookie", "sid=\"s-1\"; other=2"))
            .build();

    @Test
    void readsEachKeyFromTheRequest() {
        assertThat(HashKey.clientIp().value(CTX, REQUEST)).isEqualTo("203.0.113.7");
        assertThat(HashKey.path().value(CTX, REQUEST)).isEqualTo("/cart/items");
        assertThat(HashKey.header("x-user").value(CTX, REQUEST)).isEqualTo("alice");
        // HTTP/2 clients may split cookies over several fields; quotes are not part of the value.
        assertThat(HashKey.cookie("sid").value(CTX, REQUEST)).isEqualTo("s-1");
        assertThat(HashKey.cookie("theme").value(CTX, REQUEST)).isEqualTo("dark");
        assertThat(HashKey.query("user").value(CTX, REQUEST)).isEqualTo("a b");
    }

    @Test
    void hasNoValueWhenTheRequestLacksTheKey() {
        ProxyRequest bare = ProxyRequest.builder().path("/").build();
        assertThat(HashKey.header("X-User").value(CTX, bare)).isNull();
        assertThat(HashKey.cookie("sid").value(CTX, bare)).isNull();
        assertThat(HashKey.cookie("the").value(CTX, REQUEST)).isNull();
        assertThat(HashKey.query("user").value(CTX, bare)).isNull();
    }

    @Test
    void parsesTheLaunchersSpellingsAndPrintsThemBack() {
        for (String spec : List.of("ip", "path", "header:X-User", "cookie:sid", "query:user")) {
            assertThat(HashKey.parse(spec)).hasToString(spec);
        }
        assertThat(HashKey.parse("header:X-User").value(CTX, REQUEST)).isEqualTo("alice");
    }

    @Test
    void refusesASpecItDoesNotKnowNamingIt() {
        for (String spec : List.of("", "ip:x", "host", "header:", "header:a b", "cookie:", "query:")) {
            assertThatThrownBy(() -> HashKey.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("hash key: \"" + spec + "\" (expected: ip, path, header:NAME, cookie:NAME or query:NAME)");
        }
    }
}
