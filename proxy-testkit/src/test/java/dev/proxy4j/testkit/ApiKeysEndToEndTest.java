package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.auth.ApiKeys;
import dev.proxy4j.ratelimit.RateLimit;
import dev.proxy4j.ratelimit.RateLimitKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** API keys at the edge through a real proxy, and a rate limit per identity. */
class ApiKeysEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    /** Bob has two keys (one being rotated): one budget for both. */
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/api")
                    .filter(ApiKeys.builder().key("alice", ApiKeys.hash("alice-secret"))
                            .key("bob", ApiKeys.hash("bob-old")).key("bob", ApiKeys.hash("bob-new"))
                            .queryParameter("api_key").identityHeader("X-Consumer").build())
                    .filter(RateLimit.builder().rate("1r/m").burst(2).nodelay().key(RateLimitKey.apiKeyIdentity()).build())
                    .upstream(backend.uri())));

    @BeforeEach
    void stub() {
        backend.stubFor(any(anyUrl()).willReturn(ok("from backend")));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aKnownKeyReachesTheBackendAsItsIdentityAndNoKeyGets401(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response none = client.get("/api/x");
        ProxyClient.Response wrong = client.get("/api/x", "X-Api-Key", "guess");
        ProxyClient.Response alice = client.get("/api/x", "X-Api-Key", "alice-secret", "X-Consumer", "admin");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("ApiKey realm=\"proxy4j\", header=\"X-Api-Key\", query=\"api_key\"");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(alice.status()).isEqualTo(200);
        assertThat(backend.receivedRequests()).singleElement().satisfies(request -> {
            assertThat(request.headers().getAll("X-Consumer")).as("the client's copy replaced").containsExactly("alice");
            assertThat(request.headers().get("X-Api-Key")).as("the key stays at the edge").isNull();
        });
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRateLimitCountsAnIdentityWhicheverOfItsKeysItUses(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);
        List<Integer> bob = new ArrayList<>();
        bob.add(client.get("/api/x", "X-Api-Key", "bob-old").status());
        bob.add(client.get("/api/x?api_key=bob-new").status());
        bob.add(client.get("/api/x", "X-Api-Key", "bob-new").status());
        bob.add(client.get("/api/x", "X-Api-Key", "bob-old").status());

        assertThat(bob).containsExactly(200, 200, 200, 429);
        assertThat(client.get("/api/x", "X-Api-Key", "alice-secret").status()).as("a budget of her own").isEqualTo(200);
        assertThat(backend.receivedRequests()).hasSize(4).allSatisfy(r -> assertThat(r.query()).as("the key left the query").isNull());
    }
}
