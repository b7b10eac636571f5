package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link CachingExample} shows: hits, a keyed route, an uncached route, 304 and 206 from the store. */
class CachingExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = CachingExample.countingBackend();
        proxy = CachingExample.start(0, Quickstart.uri(backend));
        CachingExample.BACKEND_REQUESTS.set(0);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.stop();
    }

    @Test
    void theSecondRequestIsAHitAndConditionalAndRangeRequestsAreAnsweredFromTheStore() throws Exception {
        HttpResponse<String> first = Http.get(proxy.uri(), "/news");
        HttpResponse<String> hit = Http.get(proxy.uri(), "/news");
        HttpResponse<String> notModified = Http.get(proxy.uri(), "/news", "If-None-Match", "\"v1\"");
        HttpResponse<String> range = Http.get(proxy.uri(), "/news", "Range", "bytes=0-6");

        assertThat(hit.body()).isEqualTo(first.body()).isEqualTo("request 1 for /news\n");
        assertThat(hit.headers().firstValue("Cache-Status").orElseThrow()).startsWith("proxy4j; hit; ttl=");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("request");
        assertThat(CachingExample.BACKEND_REQUESTS.get()).isEqualTo(1);
    }

    @Test
    void theCatalogueKeysOnPageOnlyAndTheAccountIsNeverCached() throws Exception {
        Http.get(proxy.uri(), "/catalogue?page=2&utm_source=a");
        HttpResponse<String> otherCampaign = Http.get(proxy.uri(), "/catalogue?utm_source=b&page=2");
        Http.get(proxy.uri(), "/account");
        HttpResponse<String> account = Http.get(proxy.uri(), "/account");

        assertThat(otherCampaign.headers().firstValue("Cache-Status").orElseThrow()).startsWith("proxy4j; hit");
        assertThat(account.headers().firstValue("Cache-Status")).isEmpty();
        assertThat(CachingExample.BACKEND_REQUESTS.get()).isEqualTo(3);
    }
}
