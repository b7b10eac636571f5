package dev.proxy4j.upstream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an upstream does with each completed selection beyond the endpoint's own counters: its
 * outlier detector, if it has one, looks at it; and an endpoint that starts failing (or answers
 * again after it did) is logged, once per run of failures, whether or not the requests were
 * retried elsewhere and whatever else watches it.
 */
final class EndpointEvents {

    /**
     * 3 gateway failures in a row (refused, reset, timed out, 502, 503, 504) make an endpoint
     * "failing" in the log: fewer would log a backend's every odd reset.
     */
    static final int LOGGED_RUN = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    private final String upstream;
    private final @Nullable OutlierDetector detector;

    EndpointEvents(String upstream, @Nullable OutlierDetector detector) {
        this.upstream = upstream;
        this.detector = detector;
    }

    /** {@code run} is what {@link EndpointState#record} returned for {@code outcome}. */
    void completed(EndpointState state, Outcome outcome, int run) {
        if (run == LOGGED_RUN) {
            LOG.warn("upstream {}: endpoint {} is failing: {} gateway failures in a row, the last: {}", upstream,
                    state.endpoint(), run, describe(outcome));
        } else if (run <= -LOGGED_RUN) {
            LOG.info("upstream {}: endpoint {} answers again (status {}) after {} gateway failures in a row", upstream,
                    state.endpoint(), outcome.status(), -run);
        }
        if (detector != null) {
            detector.completed(state);
        }
    }

    /** {@code run} is what {@link EndpointState#recordConnected} returned. */
    void connected(EndpointState state, int run) {
        if (run <= -LOGGED_RUN) {
            LOG.info("upstream {}: endpoint {} takes connections again after {} gateway failures in a row", upstream,
                    state.endpoint(), -run);
        }
    }

    @Nullable OutlierDetector detector() {
        return detector;
    }

    private static String describe(Outcome outcome) {
        return outcome.failure() != null ? outcome.failure().name() : "status " + outcome.status();
    }
}
