package dev.proxy4j.micrometer;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.proxy4j.micrometer.Scrapes.sample;
import static dev.proxy4j.micrometer.Scrapes.total;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.testkit.FakeBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Known traffic through a real proxy, then the admin listener's Prometheus scrape: each count exact. */
class MetricsEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ProxyServer proxy;

    @BeforeEach
    void start() {
        backend.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(200).withBody("hello")));
        backend.stubFor(any(urlPathMatching("/api/missing")).willReturn(aResponse().withStatus(404).withBody("no")));
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).admin(0).accessLog(false)
                .metrics(MicrometerMetrics.prometheus())
                .route(r -> r.name("api").pathPrefix("/api").upstream(u -> u.name("api").endpoint(backend.uri().toString())))
                .route(r -> r.name("dead").pathPrefix("/dead").upstream(u -> u.name("dead").endpoint("http://127.0.0.1:1")))
                .build().start();
    }

    @AfterEach
    void stop() {
        proxy.stop();
    }

    @Test
    void countsEachRequestByRouteMethodStatusAndOutcome() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send("GET", "/api/a", null).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(send("POST", "/api/b", "abcd").statusCode()).isEqualTo(200);
        }
        assertThat(send("GET", "/api/missing", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/nowhere", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/dead/x", null).statusCode()).isEqualTo(502);
        assertThat(send("BREW", "/api/pot", null).statusCode()).isEqualTo(200);

        String text = scrapeOnce("http_server_requests_seconds_count", 9);
        assertThat(sample(text, "http_server_requests_seconds_count",
                "error=\"none\",method=\"GET\",outcome=\"SUCCESS\",route=\"api\",status=\"2xx\"")).isEqualTo(3);
        assertThat(sample(text, "http_server_requests_seconds_count",
                "error=\"none\",method=\"POST\",outcome=\"SUCCESS\",route=\"api\",status=\"2xx\"")).isEqualTo(2);
        assertThat(sample(text, "http_server_requests_seconds_count",
                "error=\"none\",method=\"GET\",outcome=\"CLIENT_ERROR\",route=\"api\",status=\"4xx\"")).isEqualTo(1);
        assertThat(sample(text, "http_server_requests_seconds_count",
                "error=\"none\",method=\"GET\",outcome=\"CLIENT_ERROR\",route=\"none\",status=\"4xx\"")).isEqualTo(1);
        assertThat(sample(text, "http_server_requests_seconds_count",
                "error=\"connect_refused\",method=\"GET\",outcome=\"SERVER_ERROR\",route=\"dead\",status=\"5xx\""))
                .isEqualTo(1);
        assertThat(sample(text, "http_server_requests_seconds_count",
                "error=\"none\",method=\"OTHER\",outcome=\"SUCCESS\",route=\"api\",status=\"2xx\"")).isEqualTo(1);

        assertThat(sample(text, "http_server_request_size_bytes_sum", "method=\"POST\",route=\"api\"")).isEqualTo(8);
        assertThat(sample(text, "http_server_response_size_bytes_sum", "method=\"GET\",route=\"api\"")).isEqualTo(17);
        assertThat(sample(text, "http_server_time_to_first_byte_seconds_count",
                "method=\"GET\",route=\"api\",status=\"2xx\"")).isEqualTo(3);

        String endpoint = "127.0.0.1:" + backend.uri().getPort();
        assertThat(sample(text, "http_client_requests_seconds_count", "endpoint=\"" + endpoint
                + "\",error=\"none\",outcome=\"SUCCESS\",status=\"2xx\",upstream=\"api\"")).isEqualTo(6);
        assertThat(sample(text, "http_client_requests_seconds_count", "endpoint=\"" + endpoint
                + "\",error=\"none\",outcome=\"CLIENT_ERROR\",status=\"4xx\",upstream=\"api\"")).isEqualTo(1);
        // A refused connect is retried, on the one endpoint there is: every attempt the default policy allows.
        assertThat(sample(text, "http_client_requests_seconds_count",
                "endpoint=\"127.0.0.1:1\",error=\"connect_refused\",outcome=\"UNKNOWN\",status=\"none\",upstream=\"dead\""))
                .isEqualTo(dev.proxy4j.upstream.RetryPolicy.defaults().maxAttempts());

        assertThat(sample(text, "proxy_upstream_endpoint_weight", "endpoint=\"" + endpoint + "\",upstream=\"api\""))
                .isEqualTo(1);
        assertThat(sample(text, "proxy_upstream_endpoint_healthy", "endpoint=\"" + endpoint + "\",upstream=\"api\""))
                .isEqualTo(1);
        assertThat(sample(text, "proxy_upstream_endpoint_ejected", "endpoint=\"" + endpoint + "\",upstream=\"api\""))
                .isEqualTo(0);
        assertThat(sample(text, "proxy_upstream_endpoint_selectable", "endpoint=\"" + endpoint + "\",upstream=\"api\""))
                .isEqualTo(1);
        assertThat(sample(text, "proxy_upstream_connections", "state=\"idle\",upstream=\"api\"")).isGreaterThan(0);
        assertThat(sample(text, "proxy_upstream_endpoint_in_flight", "endpoint=\"" + endpoint + "\",upstream=\"api\""))
                .isEqualTo(0);
        assertThat(sample(text, "proxy_ready", "")).isEqualTo(1);
    }

    @Test
    void countsAreKeptWhenTheProxyIsReconfigured() throws Exception {
        send("GET", "/api/a", null);
        scrapeOnce("http_server_requests_seconds_count", 1);

        proxy.reconfigure(dev.proxy4j.config.ProxyConfig.builder()
                .listener(proxy.config().listeners().get(0)).admin(proxy.config().admin().orElseThrow())
                .metrics(MicrometerMetrics.prometheus()).accessLog(false)
                .route(r -> r.name("api").pathPrefix("/api").upstream(u -> u.name("api").endpoint(backend.uri().toString())))
                .build());
        send("GET", "/api/a", null);

        String text = scrapeOnce("http_server_requests_seconds_count", 2);
        assertThat(sample(text, "http_server_requests_seconds_count",
                "error=\"none\",method=\"GET\",outcome=\"SUCCESS\",route=\"api\",status=\"2xx\"")).isEqualTo(2);
    }

    @Test
    void theScrapeIsPrometheusText() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(admin("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE proxy_requests_in_flight gauge");
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri().resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + proxy.adminPort() + path);
    }

    /**
     * The scrape once the request log has had every request: a listener runs when an exchange ends,
     * which may be a moment after the client has its answer. Bounded.
     */
    private String scrapeOnce(String name, int total) throws Exception {
        String text = "";
        for (int i = 0; i < 200; i++) {
            text = http.send(HttpRequest.newBuilder(admin("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (total(text, name) >= total) {
                return text;
            }
            Thread.sleep(10);
        }
        return text;
    }
}
