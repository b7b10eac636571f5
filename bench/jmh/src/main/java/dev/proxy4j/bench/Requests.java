package dev.proxy4j.bench;

import dev.proxy4j.context.EventLoop;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.time.Duration;

/** Requests as they arrive from a browser-like client, for the benchmarks. */
final class Requests {

    private Requests() {
    }

    static Headers typicalHeaders() {
        return Headers.of(
                "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36",
                "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language", "en-US,en;q=0.5",
                "Accept-Encoding", "gzip, deflate, br",
                "Cookie", "session=0123456789abcdef; theme=dark",
                "Connection", "keep-alive",
                "Cache-Control", "no-cache");
    }

    static ProxyRequest get(String host, String path) {
        return ProxyRequest.builder()
                .method("GET")
                .authority(host)
                .path(path)
                .headers(typicalHeaders())
                .peerAddress("192.0.2.10")
                .build();
    }

    /** A loop that is the calling thread, for benchmarks of policies that only need a context. */
    static final EventLoop DIRECT_LOOP = new EventLoop() {
        @Override
        public boolean inEventLoop() {
            return true;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException("the benchmark loop has no timer");
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };
}
