package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.cache.InMemoryCacheStore;
import dev.proxy4j.upstream.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The shared cache through a real proxy and backend, counting what the backend received. Each test has paths of its own. */
class CacheEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    @RegisterExtension
    static ProxyExtension proxy = ProxyExtension.of(b -> b
            .cache(HttpCache.builder().store(InMemoryCacheStore.of(4 * 1024 * 1024, 64 * 1024)).build())
            .route(r -> r.pathPrefix("/nocache").cache(false).upstream(backend.uri()))
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    private static String path(Protocol protocol, String name) {
        return "/" + name + "-" + protocol.name().toLowerCase();
    }

    private static void stub(String path, int status, String body, String... headers) {
        var response = aResponse().withStatus(status).withBody(body);
        for (int i = 0; i < headers.length; i += 2) {
            response = response.withHeader(headers[i], headers[i + 1]);
        }
        backend.stubFor(get(urlPathMatching(path.replace("?", "\\?") + ".*")).willReturn(response));
    }

    private static long received(String path) {
        return backend.receivedRequests().stream().filter(r -> r.path().startsWith(path)).count();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aSecondGetIsAnsweredFromTheCache(Protocol protocol) {
        String path = path(protocol, "hit");
        stub(path, 200, "cached body", "Cache-Control", "max-age=300", "Content-Type", "text/plain");
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response miss = client.get(path);
        ProxyClient.Response hit = client.get(path);

        // WireMock sends its bodies chunked: the length is not known when the head goes, so no "stored" claim
        assertThat(miss.header("Cache-Status")).isEqualTo("proxy4j; fwd=uri-miss");
        assertThat(hit.status()).isEqualTo(200);
        assertThat(hit.body()).isEqualTo("cached body");
        assertThat(hit.header("Cache-Status")).startsWith("proxy4j; hit; ttl=");
        assertThat(hit.header("Age")).isNotNull();
        assertThat(hit.header("Content-Type")).isEqualTo("text/plain");
        assertThat(received(path)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void headIsAnsweredFromAStoredGet(Protocol protocol) {
        String path = path(protocol, "head");
        stub(path, 200, "twelve bytes", "Cache-Control", "max-age=300");
        ProxyClient client = protocol.client(proxy);
        client.get(path);

        ProxyClient.Response head = client.send("HEAD", path, null);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo("12");
        assertThat(head.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(received(path)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aNoCacheResponseIsRevalidatedAndThe304IsAnsweredFromTheStore(Protocol protocol) {
        String path = path(protocol, "revalidate");
        backend.stubFor(get(urlPathMatching(path)).withHeader("If-None-Match", absent())
                .willReturn(aResponse().withStatus(200).withBody("v1 body").withHeader("ETag", "\"v1\"")
                        .withHeader("Cache-Control", "no-cache").withHeader("X-Version", "1")));
        backend.stubFor(get(urlPathMatching(path)).withHeader("If-None-Match", equalTo("\"v1\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"v1\"").withHeader("X-Version", "2")));
        ProxyClient client = protocol.client(proxy);

        client.get(path);
        ProxyClient.Response validated = client.get(path);

        assertThat(validated.status()).isEqualTo(200);
        assertThat(validated.body()).isEqualTo("v1 body");
        assertThat(validated.header("X-Version")).isEqualTo("2");
        assertThat(validated.header("Cache-Status")).isEqualTo("proxy4j; fwd=stale; fwd-status=304; stored");
        List<RecordedRequest> got = backend.receivedRequests().stream().filter(r -> r.path().equals(path)).toList();
        assertThat(got).hasSize(2);
        assertThat(got.get(1).header("If-None-Match")).isEqualTo("\"v1\"");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aClientsConditionalRequestIsAnswered304FromTheCache(Protocol protocol) {
        String path = path(protocol, "conditional");
        stub(path, 200, "body", "Cache-Control", "max-age=300", "ETag", "\"abc\"");
        ProxyClient client = protocol.client(proxy);
        client.get(path);

        ProxyClient.Response notModified = client.get(path, "If-None-Match", "\"abc\"");

        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo("\"abc\"");
        assertThat(received(path)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aPostInvalidatesTheStoredResponse(Protocol protocol) {
        String path = path(protocol, "invalidate");
        stub(path, 200, "list", "Cache-Control", "max-age=300");
        backend.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathMatching(path))
                .willReturn(aResponse().withStatus(201)));
        ProxyClient client = protocol.client(proxy);
        client.get(path);
        client.get(path);

        client.post(path, "new item");
        client.get(path);

        assertThat(backend.receivedRequests().stream().filter(r -> r.path().equals(path) && r.method().equals("GET")))
                .hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void concurrentMissesMakeOneBackendRequest(Protocol protocol) {
        String path = path(protocol, "collapse");
        backend.stubFor(get(urlPathMatching(path)).willReturn(aResponse().withStatus(200).withBody("slow")
                .withHeader("Cache-Control", "max-age=300").withFixedDelay(400)));
        ProxyClient client = protocol.client(proxy);

        List<CompletableFuture<ProxyClient.Response>> responses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            responses.add(CompletableFuture.supplyAsync(() -> client.get(path)));
        }

        assertThat(responses).allSatisfy(r -> assertThat(r.join().body()).isEqualTo("slow"));
        assertThat(received(path)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aBodyLargerThanTheLargestObjectStreamsAndIsNotStored(Protocol protocol) {
        String path = path(protocol, "large");
        String big = "z".repeat(200 * 1024);
        stub(path, 200, big, "Cache-Control", "max-age=300");
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response first = client.get(path);
        ProxyClient.Response second = client.get(path);

        assertThat(first.body()).isEqualTo(big);
        // too-large when the backend gave a Content-Length; with a chunked body nothing is claimed
        assertThat(first.header("Cache-Status")).startsWith("proxy4j; fwd=uri-miss").doesNotContain("stored");
        assertThat(second.body()).isEqualTo(big);
        assertThat(received(path)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRangeIsAnsweredFromTheStoredResponse(Protocol protocol) {
        String path = path(protocol, "range");
        stub(path, 200, "0123456789", "Cache-Control", "max-age=300");
        ProxyClient client = protocol.client(proxy);
        client.get(path);

        ProxyClient.Response partial = client.get(path, "Range", "bytes=3-5");
        ProxyClient.Response beyond = client.get(path, "Range", "bytes=50-");

        assertThat(partial.status()).isEqualTo(206);
        assertThat(partial.body()).isEqualTo("345");
        assertThat(partial.header("Content-Range")).isEqualTo("bytes 3-5/10");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(received(path)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void staleIfErrorAnswersWithTheStoredResponseWhenTheBackendFails(Protocol protocol) {
        String path = path(protocol, "sie");
        stub(path, 200, "good", "Cache-Control", "max-age=0, stale-if-error=300", "ETag", "\"g\"");
        ProxyClient client = protocol.client(proxy);
        client.get(path);
        stub(path, 503, "down");

        ProxyClient.Response stale = client.get(path);

        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo("good");
        assertThat(stale.header("Cache-Status")).contains("detail=stale-if-error");
        assertThat(received(path)).as("the first fill, then the revalidation: 3 attempts, a GET's 503 being retried")
                .isEqualTo(1 + RetryPolicy.defaults().maxAttempts());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void staleWhileRevalidateAnswersAtOnceAndRevalidatesInTheBackground(Protocol protocol) throws Exception {
        String path = path(protocol, "swr");
        stub(path, 200, "v1", "Cache-Control", "max-age=0, stale-while-revalidate=300", "ETag", "\"1\"");
        ProxyClient client = protocol.client(proxy);
        client.get(path);
        stub(path, 200, "v2", "Cache-Control", "max-age=300", "ETag", "\"2\"");

        ProxyClient.Response stale = client.get(path);
        for (int i = 0; i < 100 && received(path) < 2; i++) {
            Thread.sleep(20);
        }
        ProxyClient.Response after = null;
        for (int i = 0; i < 100; i++) {
            after = client.get(path);
            if (after.body().equals("v2")) {
                break;
            }
            Thread.sleep(20);
        }

        assertThat(stale.body()).isEqualTo("v1");
        assertThat(stale.header("Cache-Status")).contains("detail=stale-while-revalidate");
        assertThat(after.body()).isEqualTo("v2");
        assertThat(after.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(received(path)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void eachVariantOfAVaryingResponseIsStoredAndServedToItsOwnRequests(Protocol protocol) {
        String path = path(protocol, "vary");
        for (String lang : new String[] {"en", "fr"}) {
            backend.stubFor(get(urlPathMatching(path)).withHeader("Accept-Language", equalTo(lang))
                    .willReturn(aResponse().withStatus(200).withBody("hello in " + lang)
                            .withHeader("Cache-Control", "max-age=300").withHeader("Vary", "Accept-Language")));
        }
        ProxyClient client = protocol.client(proxy);

        client.get(path, "Accept-Language", "en");
        ProxyClient.Response frMiss = client.get(path, "Accept-Language", "fr");
        ProxyClient.Response en = client.get(path, "Accept-Language", "en");
        ProxyClient.Response fr = client.get(path, "Accept-Language", "fr");

        assertThat(frMiss.header("Cache-Status")).startsWith("proxy4j; fwd=vary-miss");
        assertThat(en.body()).isEqualTo("hello in en");
        assertThat(en.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(fr.body()).isEqualTo("hello in fr");
        assertThat(fr.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(received(path)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void onlyIfCachedIs504WithoutAStoredResponseAndNeverReachesTheBackend(Protocol protocol) {
        String path = path(protocol, "oic");
        stub(path, 200, "x", "Cache-Control", "max-age=300");
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response miss = client.get(path, "Cache-Control", "only-if-cached");
        client.get(path);
        ProxyClient.Response hit = client.get(path, "Cache-Control", "only-if-cached");

        assertThat(miss.status()).isEqualTo(504);
        assertThat(miss.header("Cache-Status")).isEqualTo("proxy4j; detail=only-if-cached");
        assertThat(hit.status()).isEqualTo(200);
        assertThat(received(path)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aRouteWithTheCacheOffIsLeftAlone(Protocol protocol) {
        String path = "/nocache" + path(protocol, "off");
        stub(path, 200, "x", "Cache-Control", "max-age=300");
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response first = client.get(path);
        client.get(path);

        assertThat(first.header("Cache-Status")).isNull();
        assertThat(received(path)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void pragmaNoCacheWithoutCacheControlIsValidatedAtTheBackend(Protocol protocol) {
        String path = path(protocol, "pragma");
        backend.stubFor(get(urlPathMatching(path)).withHeader("If-None-Match", absent())
                .willReturn(aResponse().withStatus(200).withBody("p1").withHeader("ETag", "\"p\"")
                        .withHeader("Cache-Control", "max-age=300")));
        backend.stubFor(get(urlPathMatching(path)).withHeader("If-None-Match", equalTo("\"p\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"p\"")));
        ProxyClient client = protocol.client(proxy);
        client.get(path);

        ProxyClient.Response hit = client.get(path);
        ProxyClient.Response validated = client.get(path, "Pragma", "no-cache");
        ProxyClient.Response cacheControlWins = client.get(path, "Pragma", "no-cache", "Cache-Control", "max-stale=1");

        assertThat(hit.header("Cache-Status")).startsWith("proxy4j; hit");
        assertThat(validated.status()).isEqualTo(200);
        assertThat(validated.body()).isEqualTo("p1");
        assertThat(validated.header("Cache-Status")).isEqualTo("proxy4j; fwd=request; fwd-status=304; stored");
        assertThat(cacheControlWins.header("Cache-Status")).startsWith("proxy4j; hit");
        List<RecordedRequest> got = backend.receivedRequests().stream().filter(r -> r.path().equals(path)).toList();
        assertThat(got).hasSize(2);
        assertThat(got.get(1).header("If-None-Match")).isEqualTo("\"p\"");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aHeadOnAStaleGetGoesToTheBackendAsAHeadWhose200FreshensTheStoredGet(Protocol protocol) {
        String path = path(protocol, "headfresh");
        backend.stubFor(get(urlPathMatching(path)).willReturn(aResponse().withStatus(200).withBody("stored body")
                .withHeader("ETag", "\"h1\"").withHeader("Cache-Control", "max-age=0").withHeader("X-Version", "1")));
        backend.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathMatching(path))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"h1\"")
                        .withHeader("Cache-Control", "max-age=300").withHeader("X-Version", "2")));
        ProxyClient client = protocol.client(proxy);
        client.get(path);

        ProxyClient.Response head = client.send("HEAD", path, null);
        ProxyClient.Response hit = client.get(path);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.bytes()).isEmpty();
        assertThat(head.header("Cache-Status")).isEqualTo("proxy4j; fwd=stale; fwd-status=200; stored");
        assertThat(hit.header("Cache-Status")).startsWith("proxy4j; hit; ttl=");
        assertThat(hit.header("X-Version")).isEqualTo("2");
        assertThat(hit.body()).isEqualTo("stored body");
        List<RecordedRequest> got = backend.receivedRequests().stream().filter(r -> r.path().equals(path)).toList();
        assertThat(got).extracting(RecordedRequest::method).containsExactly("GET", "HEAD");
        assertThat(got.get(1).header("If-None-Match")).isEqualTo("\"h1\"");
    }
}
