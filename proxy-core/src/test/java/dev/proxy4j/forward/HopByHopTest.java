package dev.proxy4j.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.Headers;
import org.junit.jupiter.api.Test;

class HopByHopTest {

    @Test
    void stripsTheStandardHopByHopHeadersAndKeepsTheRestInOrder() {
        Headers headers = Headers.of(
                "Accept", "*/*",
                "Connection", "keep-alive",
                "Keep-Alive", "timeout=5",
                "Proxy-Connection", "keep-alive",
                "Proxy-Authenticate", "Basic",
                "Proxy-Authorization", "Basic eDp5",
                "TE", "trailers",
                "Trailer", "X-Checksum",
                "Transfer-Encoding", "chunked",
                "Upgrade", "h2c",
                "HTTP2-Settings", "AAMAAABkAAQAAP__",
                "Host", "example.com");

        assertThat(HopByHop.strip(headers)).isEqualTo(Headers.of("Accept", "*/*", "Host", "example.com"));
    }

    @Test
    void stripsEveryHeaderTheConnectionHeaderNames() {
        Headers headers = Headers.of(
                "Connection", "X-Session, x-Trace",
                "connection", " Close ,,",
                "X-Session", "abc",
                "X-TRACE", "1",
                "X-Kept", "yes");

        assertThat(HopByHop.strip(headers)).isEqualTo(Headers.of("X-Kept", "yes"));
    }

    @Test
    void matchesNamesIgnoringCase() {
        Headers headers = Headers.of("TRANSFER-ENCODING", "chunked", "upgrade", "websocket", "X-A", "1");

        assertThat(HopByHop.strip(headers)).isEqualTo(Headers.of("X-A", "1"));
        assertThat(HopByHop.isHopByHop("Keep-ALIVE")).isTrue();
        assertThat(HopByHop.isHopByHop("Content-Length")).isFalse();
    }

    @Test
    void returnsTheSameInstanceWhenThereIsNothingToStrip() {
        Headers headers = Headers.of("Accept", "*/*", "Host", "example.com");

        assertThat(HopByHop.strip(headers)).isSameAs(headers);
        assertThat(HopByHop.strip(Headers.empty())).isSameAs(Headers.empty());
    }
}
