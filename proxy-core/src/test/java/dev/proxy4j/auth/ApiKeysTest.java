package dev.proxy4j.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private final List<ProxyRequest> forwarded = new ArrayList<>();
    private final ApiKeys keys = ApiKeys.builder()
            .key("alice", ApiKeys.hash("alice-secret"))
            .key("bob", ApiKeys.hash("bob-secret"))
            .queryParameter("api_key")
            .identityHeader("X-Consumer")
            .build();

    private ProxyResponse send(RequestContext ctx, ProxyRequest request) {
        return keys.filter(ctx, request, r -> {
            forwarded.add(r);
            return CompletableFuture.completedFuture(ProxyResponse.text(200, "ok\n"));
        }).toCompletableFuture().join();
    }

    @Test
    void aKnownKeyGoesOnWithItsIdentityAndWithoutTheKey() {
        RequestContext ctx = TestContexts.direct();
        ProxyResponse response = send(ctx, ProxyRequest.builder().path("/a")
                .headers(Headers.of("X-Api-Key", "alice-secret", "X-Consumer", "forged")).build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(ctx.attr(ApiKeys.IDENTITY)).hasValue("alice");
        assertThat(forwarded.get(0).headers().get("X-Api-Key")).as("the key stays at the edge").isNull();
        assertThat(forwarded.get(0).headers().getAll("X-Consumer")).containsExactly("alice");
    }

    @Test
    void aKeyInTheQueryIsTakenAndRemovedFromIt() {
        RequestContext ctx = TestContexts.direct();
        send(ctx, ProxyRequest.builder().path("/a").query("x=1&api_key=bob%2Dsecret&y=2").build());

        assertThat(ctx.attr(ApiKeys.IDENTITY)).hasValue("bob");
        assertThat(forwarded.get(0).query()).isEqualTo("x=1&y=2");
    }

    @Test
    void noKeyOrAnUnknownOneGets401WithAChallengeAndGoesNowhere() {
        ProxyResponse missing = send(TestContexts.direct(), ProxyRequest.builder().path("/a").build());
        ProxyResponse wrong = send(TestContexts.direct(), ProxyRequest.builder().path("/a")
                .headers(Headers.of("X-Api-Key", "alice-secreT")).build());

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.headers().get("WWW-Authenticate"))
                .isEqualTo("ApiKey realm=\"proxy4j\", header=\"X-Api-Key\", query=\"api_key\"");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(forwarded).isEmpty();
    }

    @Test
    void keysAreStoredAsSha256Hashes() {
        assertThat(ApiKeys.hash("abc"))
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(keys).hasToString("ApiKeys[header=X-Api-Key, query=api_key, 2 keys]");
        assertThat(keys.identities()).containsExactly("alice", "bob");
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        assertThatThrownBy(() -> ApiKeys.builder().key("alice", "alice-secret"))
                .hasMessage("key of alice: \"alice-secret\" (expected: sha256: and 64 hex digits, as ApiKeys.hash(key) gives)");
        assertThatThrownBy(() -> ApiKeys.builder().key("a", ApiKeys.hash("k")).key("b", ApiKeys.hash("k")))
                .hasMessage("key of b: already the key of a");
        assertThatThrownBy(() -> ApiKeys.builder().build()).hasMessage("keys: none (expected: at least one key(identity, hash))");
        assertThatThrownBy(() -> ApiKeys.builder().header("X Key")).hasMessage("header: \"X Key\" (expected: a header name)");
    }
}
