package dev.proxy4j.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.UpstreamFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestLogBuilderTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RequestLogBuilder log = new RequestLogBuilder("rid", "203.0.113.7", "GET", "/a?b=1", "HTTP/1.1",
            1_700_000_000_000L, now::get, 1_000);
    private final Endpoint first = Endpoint.of("http://127.0.0.1:9001");
    private final Endpoint second = Endpoint.of("http://127.0.0.1:9002");

    @Test
    void timesCountFromTheStartAndTheFirstByteIsTakenOnce() {
        now.set(1_500);
        log.firstByte();
        now.set(1_900);
        log.firstByte();
        now.set(3_000);
        log.end(List.of());

        assertThat(log.firstByteNanos()).isEqualTo(500);
        assertThat(log.durationNanos()).isEqualTo(2_000);
        assertThat(log.isComplete()).isTrue();
    }

    @Test
    void theLastAttemptNamesTheEndpointAndItsStatus() {
        log.attempt(new Attempt(first, 0, UpstreamFailure.Kind.CONNECT_REFUSED, 10));
        log.attempt(new Attempt(second, 503, null, 20));

        assertThat(log.attempts()).hasSize(2);
        assertThat(log.endpoint()).contains(second);
        assertThat(log.upstreamStatus()).isEqualTo(503);
        assertThat(log.attempts().get(0).failure()).contains(UpstreamFailure.Kind.CONNECT_REFUSED);
    }

    @Test
    void attemptsKeepTheirOrderAndAListOnceTakenDoesNotChange() {
        assertThat(log.attempts()).isEmpty();
        Attempt a = new Attempt(first, 0, UpstreamFailure.Kind.CONNECT_REFUSED, 10);
        Attempt b = new Attempt(second, 503, null, 20);
        Attempt c = new Attempt(first, 200, null, 30);

        log.attempt(a);
        List<Attempt> afterOne = log.attempts();
        log.attempt(b);
        log.attempt(c);

        assertThat(afterOne).containsExactly(a);
        assertThat(log.attempts()).containsExactly(a, b, c);
        assertThat(log.endpoint()).contains(first);
        assertThat(log.upstreamStatus()).isEqualTo(200);
    }

    @Test
    void listenersGetTheLogOnceEvenWhenOneOfThemThrows() {
        List<String> got = new ArrayList<>();
        List<RequestLogListener> listeners = List.of(
                l -> { throw new IllegalStateException("broken listener"); },
                l -> got.add(l.requestId() + " " + l.status()));
        log.status(200);

        log.end(listeners);
        log.end(listeners);

        assertThat(got).containsExactly("rid 200");
    }

    @Test
    void countsBodyBytesBothWays() {
        log.addRequestBodyBytes(10).addRequestBodyBytes(5).addResponseBodyBytes(7);

        assertThat(log.requestBodyBytes()).isEqualTo(15);
        assertThat(log.responseBodyBytes()).isEqualTo(7);
    }

    @Test
    void theAccessLogLineIsMadeFromTheLog() {
        log.route("orders");
        log.attempt(new Attempt(first, 200, null, 10));
        log.status(200).addResponseBodyBytes(512);
        now.set(3_001_000);
        log.end(List.of());

        assertThat(AccessLog.format(log)).isEqualTo(
                "203.0.113.7 \"GET /a?b=1 HTTP/1.1\" 200 512 3ms upstream=127.0.0.1:9001 upstream_status=200 rid=rid");
    }
}
