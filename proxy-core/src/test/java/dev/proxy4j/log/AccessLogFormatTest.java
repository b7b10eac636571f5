package dev.proxy4j.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.TlsInfo;
import dev.proxy4j.time.Ticker;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.UpstreamFailure;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The combined and JSON lines, from a request log whose clock is moved by hand. */
class AccessLogFormatTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = now::get;

    /** 2026-12-01T10:00:00Z, a request that took 3.5 ms with its first byte at 2 ms. */
    private RequestLogBuilder served() {
        RequestLogBuilder log = new RequestLogBuilder("4f1c", "203.0.113.7", "GET", "/a?x=1", "HTTP/1.1",
                1_796_119_200_000L, ticker, now.get());
        log.route("api").upstream("api-backends").client("curl/8.5", "https://ref.example/")
                .tls(new TlsInfo("example.com", "TLSv1.3", "TLS_AES_128_GCM_SHA256"))
                .attempt(new Attempt(Endpoint.of("http://127.0.0.1:9001"), 200, null, 1_000_000))
                .status(200).addRequestBodyBytes(4).addResponseBodyBytes(512);
        now.addAndGet(2_000_000);
        log.firstByte();
        now.addAndGet(1_500_000);
        log.end(List.of());
        return log;
    }

    @Test
    void combinedIsNginxsLineThenTheProxysFields() {
        assertThat(AccessLog.format(served(), AccessLogFormat.COMBINED)).isEqualTo(
                "203.0.113.7 - - [01/Dec/2026:10:00:00 +0000] \"GET /a?x=1 HTTP/1.1\" 200 512 \"https://ref.example/\""
                        + " \"curl/8.5\" rid=4f1c route=api upstream=api-backends upstream_addr=127.0.0.1:9001"
                        + " upstream_status=200 request_time=0.003 ttfb=0.002 tls=TLSv1.3 sni=example.com");
    }

    @Test
    void combinedWritesDashesForWhatIsNotKnownAndNamesTheFailure() {
        RequestLogBuilder log = new RequestLogBuilder("", "10.0.0.1", "GET", "/x", "HTTP/2.0", 0, ticker, now.get());
        log.failure(UpstreamFailure.Kind.CONNECT_REFUSED).status(502).end(List.of());

        assertThat(AccessLog.format(log, AccessLogFormat.COMBINED)).isEqualTo(
                "10.0.0.1 - - [01/Jan/1970:00:00:00 +0000] \"GET /x HTTP/2.0\" 502 0 \"-\" \"-\" rid=- route=-"
                        + " upstream=- upstream_addr=- upstream_status=- request_time=0.000 ttfb=- tls=- sni=-"
                        + " error=connect_refused");
    }

    @Test
    void combinedEscapesWhatTheClientSent() {
        RequestLogBuilder log = new RequestLogBuilder("r", "1.2.3.4", "GET", "/", "HTTP/1.1", 0, ticker, now.get());
        log.client("evil\" \n agent", null).status(200).end(List.of());

        assertThat(AccessLog.format(log, AccessLogFormat.COMBINED))
                .contains("\"-\" \"evil\\x22 \\x0a agent\"").doesNotContain("\n");
    }

    @Test
    void jsonIsOneObjectWithEveryKnownField() {
        assertThat(AccessLog.format(served(), AccessLogFormat.JSON)).isEqualTo("{\"time\":\"2026-12-01T10:00:00Z\","
                + "\"client\":\"203.0.113.7\",\"method\":\"GET\",\"target\":\"/a?x=1\",\"protocol\":\"HTTP/1.1\","
                + "\"status\":200,\"requestBytes\":4,\"responseBytes\":512,\"durationMs\":3.500,\"firstByteMs\":2.000,"
                + "\"requestId\":\"4f1c\",\"route\":\"api\",\"upstream\":\"api-backends\","
                + "\"upstreamAddr\":\"127.0.0.1:9001\",\"upstreamStatus\":200,\"attempts\":1,\"userAgent\":\"curl/8.5\","
                + "\"referer\":\"https://ref.example/\",\"tls\":{\"protocol\":\"TLSv1.3\","
                + "\"cipher\":\"TLS_AES_128_GCM_SHA256\",\"sni\":\"example.com\"}}");
    }

    @Test
    void jsonLeavesOutWhatIsNotKnownAndEscapesStrings() {
        RequestLogBuilder log = new RequestLogBuilder("", "::1", "GET", "/a\"\n", "HTTP/1.1", 0, ticker, now.get());
        log.refusal(Refusal.ESCAPED_SLASH).status(400).end(List.of());

        assertThat(AccessLog.format(log, AccessLogFormat.JSON)).isEqualTo("{\"time\":\"1970-01-01T00:00:00Z\","
                + "\"client\":\"::1\",\"method\":\"GET\",\"target\":\"/a\\\"\\n\",\"protocol\":\"HTTP/1.1\","
                + "\"status\":400,\"requestBytes\":0,\"responseBytes\":0,\"durationMs\":0.000,\"attempts\":0,"
                + "\"refused\":\"escaped_slash\"}");
    }

    @Test
    void everyFormatSaysWhenTheRetryBudgetRefusedARetry() {
        RequestLogBuilder log = new RequestLogBuilder("r", "203.0.113.7", "GET", "/", "HTTP/1.1", 0, ticker, now.get());
        log.attempt(new Attempt(Endpoint.of("http://127.0.0.1:9001"), 503, null, 1_000_000)).retryBudgetSpent(true).status(503);
        log.end(List.of());

        assertThat(AccessLog.format(log, AccessLogFormat.DEFAULT)).endsWith(" rid=r retry_budget=spent");
        assertThat(AccessLog.format(log, AccessLogFormat.COMBINED)).endsWith(" sni=- retry_budget=spent");
        assertThat(AccessLog.format(log, AccessLogFormat.JSON)).endsWith("\"attempts\":1,\"retryBudgetSpent\":true}");
        assertThat(AccessLog.format(served(), AccessLogFormat.JSON)).doesNotContain("retryBudget");
    }

    @Test
    void theDefaultFormatIsTheLineItWasBefore() {
        assertThat(AccessLog.format(served(), AccessLogFormat.DEFAULT))
                .isEqualTo("203.0.113.7 \"GET /a?x=1 HTTP/1.1\" 200 512 3ms upstream=127.0.0.1:9001 upstream_status=200 rid=4f1c");
        assertThat(AccessLog.listener()).isSameAs(AccessLog.listener(AccessLogFormat.DEFAULT));
    }

    @Test
    void formatsAreParsedByName() {
        assertThat(AccessLogFormat.parse("json")).isEqualTo(AccessLogFormat.JSON);
        assertThat(AccessLogFormat.parse("Combined")).isEqualTo(AccessLogFormat.COMBINED);
        assertThatThrownBy(() -> AccessLogFormat.parse("xml"))
                .hasMessage("accessLogFormat: xml (expected: one of default, combined, json)");
    }
}
