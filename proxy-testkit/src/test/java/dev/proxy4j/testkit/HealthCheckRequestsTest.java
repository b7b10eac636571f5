package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a health check sends: GET of the path, the Host asked for, in the upstream's HTTP version. */
class HealthCheckRequestsTest {

    @RegisterExtension
    static final FakeBackend http1 = FakeBackend.create().healthPath("/ready");

    @RegisterExtension
    static final FakeBackend http2 = FakeBackend.create(options -> options.http2PlainDisabled(false));

    static final Upstream withHost = Upstream.builder().name("with-host").endpoint(http1.uri().toString())
            .healthCheck(HealthCheck.builder("/ready?probe=1").interval(Duration.ofMillis(100))
                    .host("health.internal").build()).build();
    static final Upstream overHttp2 = Upstream.builder().name("h2").endpoint(http2.uri().toString())
            .protocol(UpstreamProtocol.HTTP_2)
            .healthCheck(HealthCheck.builder("/health").interval(Duration.ofMillis(100)).build()).build();

    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.of(b -> b
            .route(r -> r.pathPrefix("/a").upstream(withHost))
            .route(r -> r.pathPrefix("/b").upstream(overHttp2)));

    @Test
    void sendsAGetOfThePathWithTheHostAskedFor() {
        RecordedRequest check = awaitCheck(http1);

        assertThat(check.method()).isEqualTo("GET");
        assertThat(check.path()).isEqualTo("/ready");
        assertThat(check.query()).isEqualTo("probe=1");
        assertThat(check.header("Host")).isEqualTo("health.internal");
        assertThat(check.header("User-Agent")).isEqualTo("proxy4j-health-check");
        assertThat(check.protocol()).isEqualTo("HTTP/1.1");
        assertThat(http1.requestCount()).as("checks are not requests").isZero();
    }

    @Test
    void checksAnHttp2UpstreamOverHttp2() {
        RecordedRequest check = awaitCheck(http2);

        assertThat(check.protocol()).isEqualTo("HTTP/2.0");
        assertThat(check.path()).isEqualTo("/health");
        // The first check may time out on a backend still warming up; one of the next passes.
        for (int i = 0; i < 500 && !overHttp2.endpointStatuses().get(0).lastHealthCheck().orElse("")
                .equals("passed: status 200"); i++) {
            sleep();
        }
        assertThat(overHttp2.endpointStatuses().get(0).lastHealthCheck()).contains("passed: status 200");
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The first health check the backend received, waiting up to 10 s for one. */
    private static RecordedRequest awaitCheck(FakeBackend backend) {
        for (int i = 0; i < 500; i++) {
            List<RecordedRequest> checks = backend.receivedHealthChecks();
            if (!checks.isEmpty()) {
                return checks.get(0);
            }
            sleep();
        }
        throw new AssertionError("no health check reached " + backend + " within 10 s");
    }
}
