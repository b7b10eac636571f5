package dev.proxy4j.upstream;

import dev.proxy4j.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * An active health check of every endpoint of an upstream. An {@linkplain Type#HTTP HTTP} check is
 * HAProxy's {@code option httpchk} with {@code check inter rise fall}: the proxy sends
 * {@code GET path} to each endpoint every {@link #interval()} (less a random
 * {@link #jitterPercent()}), and an answer with an {@linkplain #expects(int) expected status}
 * within {@link #timeout()} passes. A {@linkplain Type#TCP TCP} check ({@link #tcp()}) is HAProxy's
 * plain {@code check} on a {@code mode tcp} server: a connect that succeeds within the timeout
 * passes (the connection is closed at once, nothing is sent). Both keep the same rise, fall,
 * interval and jitter.
 *
 * <p>Rise and fall are HAProxy's: an endpoint that is up goes down after {@link #fall()} failed
 * checks in a row; one that is down comes back after {@link #rise()} passed checks in a row. An
 * endpoint starts up but unproven, as HAProxy's default {@code init-state up}: until its first
 * check passes, one failed check takes it down (see {@link HealthCounter}).
 *
 * <pre>{@code
 * HealthCheck.builder("/health").interval(Duration.ofSeconds(2)).rise(2).fall(3).build()
 * HealthCheck.tcpBuilder().interval(Duration.ofSeconds(2)).build()
 * }</pre>
 */
public final class HealthCheck {

    /** What a check does to an endpoint. */
    public enum Type {
        /** {@code GET path}; an expected status passes. */
        HTTP,
        /** A TCP connect; a connection made within the timeout passes. */
        TCP
    }

    /** 1 second between checks of an endpoint: the launcher's default; HAProxy's {@code inter} is 2 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** 1 second for an answer; HAProxy's {@code timeout check} falls back to {@code inter}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** 2 passed checks in a row bring an endpoint back: HAProxy's default {@code rise}. */
    public static final int DEFAULT_RISE = 2;
    /** 3 failed checks in a row take an endpoint out: HAProxy's default {@code fall}. */
    public static final int DEFAULT_FALL = 3;
    /**
     * 10%: each wait between two checks is shortened by a random share of up to this, so that
     * checks of many endpoints do not fall into step (HAProxy's {@code spread-checks}, Envoy's
     * {@code interval_jitter_percent}). Shortened, never lengthened: an endpoint that fails is
     * out within {@code fall x interval} (plus the last check's timeout).
     */
    public static final int DEFAULT_JITTER_PERCENT = 10;
    /** 200-399, as HAProxy's {@code option httpchk}: a redirect means the server is up and answering. */
    public static final List<StatusRange> DEFAULT_EXPECTED_STATUSES = List.of(new StatusRange(200, 399));

    /** Statuses {@code from..to}, both included. */
    public record StatusRange(int from, int to) {
        public StatusRange {
            if (from < 100 || to > 599 || from > to) {
                throw new IllegalArgumentException(
                        "expectedStatuses: " + from + "-" + to + " (expected: statuses 100..599, the first not above the last)");
            }
        }

        /** {@code 200}, or {@code 200-299}. */
        public static StatusRange parse(String text) {
            String t = text.strip();
            int dash = t.indexOf('-');
            try {
                return dash < 0 ? new StatusRange(Integer.parseInt(t), Integer.parseInt(t))
                        : new StatusRange(Integer.parseInt(t.substring(0, dash).strip()),
                                Integer.parseInt(t.substring(dash + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "expectedStatuses: \"" + text + "\" (expected: a status such as 200 or a range such as 200-399)", e);
            }
        }

        boolean contains(int status) {
            return status >= from && status <= to;
        }

        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }

    private final Type type;
    private final String path;
    private final Duration interval;
    private final Duration timeout;
    private final int rise;
    private final int fall;
    private final int jitterPercent;
    private final List<StatusRange> expectedStatuses;
    private final @Nullable String host;

    private HealthCheck(Builder b) {
        this.type = b.type;
        this.path = b.path;
        this.interval = b.interval;
        this.timeout = b.timeout;
        this.rise = b.rise;
        this.fall = b.fall;
        this.jitterPercent = b.jitterPercent;
        this.expectedStatuses = List.copyOf(b.expectedStatuses);
        this.host = b.host;
    }

    /** A check of {@code path} (absolute, a query allowed) with every default. */
    public static HealthCheck of(String path) {
        return builder(path).build();
    }

    public static Builder builder(String path) {
        return new Builder(path);
    }

    /** A TCP connect check with every default. */
    public static HealthCheck tcp() {
        return tcpBuilder().build();
    }

    /** A TCP connect check: interval, timeout, rise, fall and jitter as an HTTP check's; no path, host or statuses. */
    public static Builder tcpBuilder() {
        return new Builder();
    }

    /**
     * This check as a TCP connect check with the same interval, timeout, rise, fall and jitter:
     * what the proxy runs for an upstream it forwards only raw TCP to (TCP listeners, SNI
     * passthrough), where an HTTP request would mean nothing to the backend. Itself when it is one.
     */
    public HealthCheck asTcp() {
        if (type == Type.TCP) {
            return this;
        }
        Builder b = toBuilder();
        b.type = Type.TCP;
        b.path = "";
        b.host = null;
        b.expectedStatuses = DEFAULT_EXPECTED_STATUSES;
        return b.build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public Type type() {
        return type;
    }

    /** The request target of an HTTP check, e.g. {@code /health}; the empty string for a TCP check. */
    public String path() {
        return path;
    }

    /** What is sent, for a log line: {@code GET /health}, or {@code TCP connect}. */
    public String describe() {
        return type == Type.TCP ? "TCP connect" : "GET " + path;
    }

    public Duration interval() {
        return interval;
    }

    public Duration timeout() {
        return timeout;
    }

    public int rise() {
        return rise;
    }

    public int fall() {
        return fall;
    }

    public int jitterPercent() {
        return jitterPercent;
    }

    public List<StatusRange> expectedStatuses() {
        return expectedStatuses;
    }

    /** The Host header sent; empty to send the endpoint's own host and port. */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /** True when a check answered with {@code status} passes. */
    public boolean expects(int status) {
        for (StatusRange range : expectedStatuses) {
            if (range.contains(status)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The wait before the next check of an endpoint: {@link #interval()} shortened by a random
     * share of up to {@link #jitterPercent()}, so within {@code [interval x (1 - jitter), interval]}.
     */
    public Duration nextDelay(RandomGenerator random) {
        long nanos = interval.toNanos();
        long jitter = nanos * jitterPercent / 100;
        return Duration.ofNanos(jitter == 0 ? nanos : nanos - random.nextLong(jitter + 1));
    }

    /**
     * The wait before an endpoint's first check: a random point within the jitter's share of the
     * interval, so that a new endpoint is checked soon and many endpoints are not checked at once.
     */
    public Duration firstDelay(RandomGenerator random) {
        long jitter = interval.toNanos() * jitterPercent / 100;
        return Duration.ofNanos(jitter == 0 ? 0 : random.nextLong(jitter + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HealthCheck h && type == h.type && path.equals(h.path) && interval.equals(h.interval)
                && timeout.equals(h.timeout) && rise == h.rise && fall == h.fall && jitterPercent == h.jitterPercent
                && expectedStatuses.equals(h.expectedStatuses) && Objects.equals(host, h.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, path, interval, timeout, rise, fall, jitterPercent, expectedStatuses, host);
    }

    @Override
    public String toString() {
        return "HealthCheck[" + describe() + (host == null ? "" : ", host=" + host) + ", interval=" + interval
                + ", timeout=" + timeout + ", rise=" + rise + ", fall=" + fall + ", jitter=" + jitterPercent
                + (type == Type.TCP ? "%]" : "%, expected=" + expectedStatuses + ']');
    }

    /** Builds a {@link HealthCheck}; every setting but an HTTP check's path has a default. */
    public static final class Builder {
        private Type type = Type.HTTP;
        private String path;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int rise = DEFAULT_RISE;
        private int fall = DEFAULT_FALL;
        private int jitterPercent = DEFAULT_JITTER_PERCENT;
        private List<StatusRange> expectedStatuses = DEFAULT_EXPECTED_STATUSES;
        private @Nullable String host;

        private Builder(String path) {
            path(path);
        }

        /** A TCP check's. */
        private Builder() {
            type = Type.TCP;
            path = "";
        }

        private Builder(HealthCheck h) {
            type = h.type;
            path = h.path;
            interval = h.interval;
            timeout = h.timeout;
            rise = h.rise;
            fall = h.fall;
            jitterPercent = h.jitterPercent;
            expectedStatuses = h.expectedStatuses;
            host = h.host;
        }

        /** An absolute path, a query allowed: {@code /health}, {@code /status?full=0}. Makes the check an HTTP one. */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || path.contains("#") || path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
                throw Checks.invalid("healthCheck path", path, "an absolute path such as /health");
            }
            this.path = path;
            this.type = Type.HTTP;
            return this;
        }

        /** Between two checks of an endpoint. Default: 1 second. */
        public Builder interval(Duration interval) {
            this.interval = Checks.positive("interval", interval);
            return this;
        }

        /** How long a check may take, connecting included; longer fails it. Default: 1 second. */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout);
            return this;
        }

        /** Passed checks in a row that bring a down endpoint back, 1..100. Default: 2. */
        public Builder rise(int rise) {
            this.rise = count("rise", rise);
            return this;
        }

        /** Failed checks in a row that take an up endpoint out, 1..100. Default: 3. */
        public Builder fall(int fall) {
            this.fall = count("fall", fall);
            return this;
        }

        /** Up to this share (0..50) of the interval is taken off each wait, at random. Default: 10. */
        public Builder jitterPercent(int jitterPercent) {
            if (jitterPercent < 0 || jitterPercent > 50) {
                throw new IllegalArgumentException("jitterPercent: " + jitterPercent + " (expected: 0..50)");
            }
            this.jitterPercent = jitterPercent;
            return this;
        }

        /** The statuses that pass, e.g. {@code "200-299", "302"}. Default: 200-399. */
        public Builder expectedStatuses(String... statuses) {
            List<StatusRange> ranges = new ArrayList<>();
            for (String status : statuses) {
                ranges.add(StatusRange.parse(Objects.requireNonNull(status, "status")));
            }
            return expectedStatuses(ranges);
        }

        public Builder expectedStatuses(List<StatusRange> statuses) {
            if (statuses.isEmpty()) {
                throw new IllegalArgumentException("expectedStatuses: [] (expected: at least one status or range)");
            }
            this.expectedStatuses = List.copyOf(statuses);
            return this;
        }

        /** The Host header of the checks, e.g. {@code health.internal}. Default: the endpoint's host and port. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == 127 || c == '/')) {
                throw Checks.invalid("host", host, "a host name, optionally with :port");
            }
            this.host = host;
            return this;
        }

        public HealthCheck build() {
            if (type == Type.TCP && host != null) {
                throw Checks.invalid("host", host, "none for a TCP check, which sends no request");
            }
            if (type == Type.TCP && !expectedStatuses.equals(DEFAULT_EXPECTED_STATUSES)) {
                throw new IllegalArgumentException("expectedStatuses: " + expectedStatuses
                        + " (expected: none for a TCP check, which gets no status)");
            }
            return new HealthCheck(this);
        }

        private static int count(String field, int value) {
            if (value < 1 || value > 100) {
                throw new IllegalArgumentException(field + ": " + value + " (expected: 1..100)");
            }
            return value;
        }
    }
}
