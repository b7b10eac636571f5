package dev.proxy4j.upstream;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Endpoints named by a host name, re-resolved as their DNS answers change (Envoy's strict DNS,
 * nginx's {@code resolve}): each address of the name is an endpoint of its own, with the name's URI
 * (the Host header and TLS server name stay the name) and weight. The proxy looks every name up when
 * it starts and then every {@code interval}, on its scheduler and the resolver's own threads, never
 * on an event loop; addresses that appear are added, addresses that are gone are drained (their
 * requests in flight finish, no new one goes to them).
 *
 * <p>A failed lookup (no such host, no answer) keeps the last known addresses, and the next lookup
 * comes after {@code interval} doubled for each failure in a row, at most
 * {@code maxFailureInterval}. An answer with no address is handled as {@code onEmpty} says:
 * {@link OnEmpty#KEEP} (the default) keeps the last known addresses as a failure does,
 * {@link OnEmpty#REMOVE} drains them all (Envoy's choice), so that requests get 503.
 *
 * <p>Endpoints whose host is an IP literal are left as they are. Until a name's first answer the
 * upstream has none of its addresses; {@code ProxyServer.start()} waits a few seconds for the first
 * answers.
 */
public final class DnsResolution {

    /** 5 seconds, as Envoy's {@code dns_refresh_rate}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** 30 seconds: a name that stops answering is asked again at least this often. */
    public static final Duration DEFAULT_MAX_FAILURE_INTERVAL = Duration.ofSeconds(30);
    /** The shortest interval, 100 ms, so that a slip of the pen does not flood the DNS servers. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /** The longest interval or failure interval, a day. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(1);
    /** Keep the last known addresses when an answer has none. */
    public static final OnEmpty DEFAULT_ON_EMPTY = OnEmpty.KEEP;

    /** What an answer with no address does. */
    public enum OnEmpty {
        /** Keep the last known addresses, as for a failed lookup (nginx keeps them on any failure). */
        KEEP,
        /** Drain every address of the name: the name has no endpoint until an answer has one (Envoy). */
        REMOVE
    }

    private final Duration interval;
    private final Duration maxFailureInterval;
    private final OnEmpty onEmpty;
    private final @Nullable Resolver resolver;

    private DnsResolution(Builder b) {
        this.interval = b.interval;
        this.maxFailureInterval = b.maxFailureInterval;
        this.onEmpty = b.onEmpty;
        this.resolver = b.resolver;
    }

    /** Every default: every 5 s, failures up to 30 s apart, an empty answer kept, the JVM's resolver. */
    public static DnsResolution defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.interval = interval;
        b.maxFailureInterval = maxFailureInterval;
        b.onEmpty = onEmpty;
        b.resolver = resolver;
        return b;
    }

    /** How long after an answer the name is looked up again. */
    public Duration interval() {
        return interval;
    }

    /** The longest wait after failed lookups in a row. */
    public Duration maxFailureInterval() {
        return maxFailureInterval;
    }

    public OnEmpty onEmpty() {
        return onEmpty;
    }

    /** The resolver set; empty for the JVM's ({@link Resolver#system}) on the proxy's blocking executor. */
    public Optional<Resolver> resolver() {
        return Optional.ofNullable(resolver);
    }

    /**
     * How long to wait before the next lookup after {@code failuresInRow} failed ones (0 after an
     * answer): the interval, doubled per failure, at most {@link #maxFailureInterval()}.
     */
    public Duration nextDelay(int failuresInRow) {
        if (failuresInRow < 0) {
            throw new IllegalArgumentException("failuresInRow: " + failuresInRow + " (expected: >= 0)");
        }
        if (failuresInRow == 0) {
            return interval;
        }
        long max = maxFailureInterval.toNanos();
        long delay = interval.toNanos();
        for (int i = 0; i < failuresInRow && delay < max; i++) {
            delay = delay > max / 2 ? max : delay * 2;
        }
        return Duration.ofNanos(Math.min(delay, max));
    }

    @Override
    public String toString() {
        return "DnsResolution{interval=" + interval + ", maxFailureInterval=" + maxFailureInterval + ", onEmpty="
                + onEmpty + (resolver == null ? "" : ", resolver=" + resolver) + '}';
    }

    /** Builds a {@link DnsResolution}; every setting has a default. */
    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private Duration maxFailureInterval = DEFAULT_MAX_FAILURE_INTERVAL;
        private OnEmpty onEmpty = DEFAULT_ON_EMPTY;
        private @Nullable Resolver resolver;

        private Builder() {
        }

        /** How long after an answer a name is looked up again, 100 ms to a day. Default: 5 s. */
        public Builder interval(Duration interval) {
            this.interval = bounded("interval", interval);
            return this;
        }

        /**
         * The longest wait between failed lookups in a row, 100 ms to a day and at least the interval
         * (checked by {@code build()}). Default: 30 s.
         */
        public Builder maxFailureInterval(Duration maxFailureInterval) {
            this.maxFailureInterval = bounded("maxFailureInterval", maxFailureInterval);
            return this;
        }

        /** What an answer with no address does. Default: {@link OnEmpty#KEEP}. */
        public Builder onEmpty(OnEmpty onEmpty) {
            this.onEmpty = Objects.requireNonNull(onEmpty, "onEmpty");
            return this;
        }

        /** Who answers the lookups. Default: the JVM's resolver on the proxy's blocking executor. */
        public Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** @throws IllegalArgumentException when maxFailureInterval is below interval */
        public DnsResolution build() {
            if (maxFailureInterval.compareTo(interval) < 0) {
                if (maxFailureInterval.equals(DEFAULT_MAX_FAILURE_INTERVAL)) {
                    // Only the interval was raised: failures wait no longer than it.
                    maxFailureInterval = interval;
                } else {
                    throw new IllegalArgumentException("maxFailureInterval: " + maxFailureInterval
                            + " (expected: >= interval " + interval + ")");
                }
            }
            return new DnsResolution(this);
        }

        private static Duration bounded(String field, Duration value) {
            Objects.requireNonNull(value, field);
            if (value.compareTo(MIN_INTERVAL) < 0 || value.compareTo(MAX_INTERVAL) > 0) {
                throw new IllegalArgumentException(field + ": " + value + " (expected: 100ms..1d)");
            }
            return value;
        }
    }
}
