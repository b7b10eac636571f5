package dev.proxy4j.testkit;

import com.github.tomakehurst.wiremock.http.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** What a {@link FakeBackend} received: requests in arrival order, and health checks apart. */
final class RequestLog {

    private static final int MAX_LISTED_REQUESTS = 10;

    private final List<RecordedRequest> received = new ArrayList<>();
    private final BlockingQueue<RecordedRequest> unconsumed = new LinkedBlockingQueue<>();
    private final List<RecordedRequest> healthChecks = new ArrayList<>();

    void record(Request request) {
        request.getBody(); // read outside the lock; WireMock caches it
        synchronized (this) {
            RecordedRequest recorded = RecordedRequest.of(received.size(), request);
            received.add(recorded);
            unconsumed.add(recorded);
        }
    }

    void recordHealthCheck(Request request) {
        request.getBody();
        synchronized (this) {
            healthChecks.add(RecordedRequest.of(healthChecks.size(), request));
        }
    }

    @Nullable RecordedRequest poll(Duration timeout) throws InterruptedException {
        return unconsumed.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    synchronized List<RecordedRequest> received() {
        return List.copyOf(received);
    }

    synchronized List<RecordedRequest> healthChecks() {
        return List.copyOf(healthChecks);
    }

    synchronized int count() {
        return received.size();
    }

    synchronized void clear() {
        received.clear();
        unconsumed.clear();
        healthChecks.clear();
    }

    /** {@code 2 received so far, all taken already: GET /a, GET /b}, for a failed take. */
    synchronized String describeReceived(String healthPath) {
        StringBuilder text = new StringBuilder().append(received.size()).append(" received so far");
        if (!received.isEmpty()) {
            text.append(", all taken already: ").append(received.stream()
                    .limit(MAX_LISTED_REQUESTS)
                    .map(RecordedRequest::toString)
                    .collect(Collectors.joining(", ")));
            if (received.size() > MAX_LISTED_REQUESTS) {
                text.append(", ...");
            }
        }
        if (!healthChecks.isEmpty()) {
            text.append("; ").append(healthChecks.size())
                    .append(" health check(s) on ").append(healthPath).append(" not counted");
        }
        return text.toString();
    }
}
