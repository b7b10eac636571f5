package dev.proxy4j.testkit;

import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Misbehaviour of a {@link FakeBackend}, for every path ({@code backend.faults()}) or for the
 * paths under a prefix ({@code backend.faults("/orders")}). Faults stay until {@link #clear()} or
 * the backend's reset (before each test when the backend is a JUnit extension).
 *
 * <p>For each request, in this order:
 * <ol>
 *   <li>the delay, if any, passes before WireMock even matches the request;
 *   <li>a pending {@link #failNext failure} answers instead of the stubs;
 *   <li>a connection fault ({@link #resetBeforeHeaders}, {@link #closeMidBody},
 *       {@link #malformedResponse}) answers instead of the stubs;
 *   <li>otherwise the stubs answer, and {@link #slowBody} paces the body.
 * </ol>
 * Where a path's faults and the backend-wide faults both set something, the longer prefix wins.
 * Setting a delay replaces the earlier delay, and a connection fault the earlier one. The health
 * path is exempt from every fault: flip it with {@link FakeBackend#healthy(boolean)}.
 *
 * <p>Thread-safe; configuring a stopped backend throws {@link IllegalStateException}.
 */
public final class Faults {

    private final FakeBackend backend;
    private final String pathPrefix;

    private volatile @Nullable Delay delay;
    private volatile int bytesPerSecond;
    private volatile @Nullable Fault connectionFault;
    private int failuresLeft;
    private int failureStatus;

    Faults(FakeBackend backend, String pathPrefix) {
        this.backend = backend;
        this.pathPrefix = pathPrefix;
    }

    /** Waits {@code delay} before anything is sent back. */
    public Faults delayBeforeHeaders(Duration delay) {
        checkPositive("delay", delay);
        return setDelay(delay, delay);
    }

    /** Waits a uniformly random time in [{@code min}, {@code max}] before anything is sent back. */
    public Faults randomDelay(Duration min, Duration max) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative()) {
            throw new IllegalArgumentException("min: " + min + " (expected: >= 0)");
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= " + min + ")");
        }
        return setDelay(min, max);
    }

    /**
     * Sends the body at about {@code bytesPerSecond}, in chunks (WireMock's chunked dribble delay):
     * headers go at once, the body over {@code length / bytesPerSecond} seconds. Applies to
     * responses of stubs; WireMock's own 404 for an unmatched request is not slowed.
     */
    public Faults slowBody(int bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond: " + bytesPerSecond + " (expected: > 0)");
        }
        checkRunning();
        this.bytesPerSecond = bytesPerSecond;
        return this;
    }

    /** Resets the connection (TCP RST) instead of answering: WireMock's {@link Fault#CONNECTION_RESET_BY_PEER}. */
    public Faults resetBeforeHeaders() {
        return setConnectionFault(Fault.CONNECTION_RESET_BY_PEER);
    }

    /**
     * Sends a status line and headers, then garbage where the first chunk should be, then closes:
     * WireMock's {@link Fault#MALFORMED_RESPONSE_CHUNK}. The client sees a {@code 200} with
     * {@code Transfer-Encoding: chunked} and a body that breaks; the stub's own status, headers and
     * body are not used.
     */
    public Faults closeMidBody() {
        return setConnectionFault(Fault.MALFORMED_RESPONSE_CHUNK);
    }

    /** Sends garbage instead of a status line, then closes: WireMock's {@link Fault#RANDOM_DATA_THEN_CLOSE}. */
    public Faults malformedResponse() {
        return setConnectionFault(Fault.RANDOM_DATA_THEN_CLOSE);
    }

    /**
     * Answers the next {@code count} requests with {@code status} and a short text body, then lets
     * the stubs answer again. Replaces failures still pending from an earlier call.
     */
    public Faults failNext(int count, int status) {
        if (count <= 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: > 0)");
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
        }
        checkRunning();
        synchronized (this) {
            failuresLeft = count;
            failureStatus = status;
        }
        return this;
    }

    /** Removes every fault of this scope. Allowed on a stopped backend. */
    public Faults clear() {
        delay = null;
        bytesPerSecond = 0;
        connectionFault = null;
        synchronized (this) {
            failuresLeft = 0;
        }
        return this;
    }

    /** The path prefix this scope applies to; empty for every path. */
    public String pathPrefix() {
        return pathPrefix;
    }

    @Override
    public String toString() {
        return "faults of " + backend + (pathPrefix.isEmpty() ? "" : " under " + pathPrefix);
    }

    boolean appliesTo(String path) {
        return pathPrefix.isEmpty()
                || path.equals(pathPrefix)
                || path.startsWith(pathPrefix.endsWith("/") ? pathPrefix : pathPrefix + '/');
    }

    @Nullable Delay delay() {
        return delay;
    }

    int bytesPerSecond() {
        return bytesPerSecond;
    }

    @Nullable Fault connectionFault() {
        return connectionFault;
    }

    /** The status to fail this request with, using up one failure; 0 when none is pending. */
    synchronized int takeFailure() {
        if (failuresLeft == 0) {
            return 0;
        }
        failuresLeft--;
        return failureStatus;
    }

    private Faults setDelay(Duration min, Duration max) {
        checkRunning();
        delay = new Delay(min, max);
        return this;
    }

    private Faults setConnectionFault(Fault fault) {
        checkRunning();
        connectionFault = fault;
        return this;
    }

    private void checkRunning() {
        if (!backend.isRunning()) {
            throw new IllegalStateException(backend + " is stopped; start it before configuring faults");
        }
    }

    private static void checkPositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: positive)");
        }
    }

    /** A delay drawn uniformly from [min, max]. */
    record Delay(Duration min, Duration max) {
        long pickMillis() {
            return ThreadLocalRandom.current().nextLong(min.toMillis(), max.toMillis() + 1);
        }
    }
}
