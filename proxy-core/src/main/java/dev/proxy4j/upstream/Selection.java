package dev.proxy4j.upstream;

import dev.proxy4j.http.Headers;
import dev.proxy4j.time.Ticker;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint chosen for one attempt, from {@link Upstream#select} or {@link Upstream#retry}:
 * the attempt is in flight on the endpoint from the selection until {@link #complete(Outcome)},
 * which the adapter calls exactly once, whatever happens (a response, a failure, the client
 * leaving). Completing records the outcome on the endpoint's {@link EndpointState}, lets a
 * draining endpoint go once it is idle, and gives back the retry budget a retry took.
 *
 * <p>Thread-safe: it may be completed on any thread.
 */
public final class Selection {

    private final Endpoint endpoint;
    private final EndpointState state;
    private final EndpointGroup group;
    private final RetryBudget budget;
    private final boolean retry;
    private final boolean untried;
    private final EndpointEvents events;
    private final Ticker ticker;
    private final long startNanos;
    private final Headers responseHeaders;
    private final AtomicReference<@Nullable Outcome> outcome = new AtomicReference<>();

    Selection(EndpointState state, EndpointGroup group, RetryBudget budget, boolean retry, boolean untried,
            EndpointEvents events, Ticker ticker, Headers responseHeaders) {
        this.endpoint = state.endpoint();
        this.state = state;
        this.group = group;
        this.budget = budget;
        this.retry = retry;
        this.untried = untried;
        this.events = events;
        this.ticker = ticker;
        this.startNanos = ticker.nanos();
        this.responseHeaders = responseHeaders;
    }

    /** The endpoint to send to, with its weight as it was when chosen. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The endpoint's live state. */
    public EndpointState state() {
        return state;
    }

    /**
     * What the adapter adds to the response head when this endpoint answers: the selector's
     * {@link EndpointSelector#responseHeaders}, such as a sticky-session cookie. Usually empty.
     */
    public Headers responseHeaders() {
        return responseHeaders;
    }

    /** True when this is a retry, counted in the upstream's retry budget until completed. */
    public boolean isRetry() {
        return retry;
    }

    /**
     * True when the endpoint is one the request had not tried before this selection: always for a
     * first attempt; for a retry, false when every selectable endpoint had been tried and the
     * retry goes back to one of them (after a backoff, {@link RetryPolicy#delay(int, boolean,
     * String, java.time.Clock, double)}).
     */
    public boolean isToUntriedEndpoint() {
        return untried;
    }

    /** Nanoseconds since the selection, by the upstream's ticker: what an adapter may report as latency. */
    public long elapsedNanos() {
        return Math.max(0, ticker.nanos() - startNanos);
    }

    /**
     * Reports what came of the attempt. Call it exactly once.
     *
     * @throws IllegalStateException when the selection was already completed: a second report
     *     would count the attempt twice, so it fails loudly, naming both outcomes, and changes nothing
     */
    public void complete(Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        if (!this.outcome.compareAndSet(null, outcome)) {
            throw new IllegalStateException("selection of " + endpoint + " was already completed with "
                    + this.outcome.get() + " (expected: one complete per selection, got " + outcome + ")");
        }
        budget.requestEnded(retry);
        int run = state.record(outcome);
        try {
            events.completed(state, outcome, run);
        } finally {
            if (state.finish() == 0) {
                group.idle(state);
            }
        }
    }

    /**
     * Reports that the attempt reached the endpoint, for connections whose outcome carries no status
     * (a TCP connection, known to be good once it opens and to end only hours later): the
     * endpoint's run of gateway failures ends here, as a response would end it, so refused connects
     * spread over time do not add up to an ejection. The attempt stays in flight until
     * {@link #complete(Outcome)}. Does nothing once completed; may be called more than once.
     */
    public void connected() {
        if (outcome.get() == null) {
            events.connected(state, state.recordConnected());
        }
    }

    /** True once {@link #complete(Outcome)} was called. */
    public boolean isComplete() {
        return outcome.get() != null;
    }

    @Override
    public String toString() {
        Outcome o = outcome.get();
        return "Selection[" + endpoint + (retry ? ", retry" : "") + (o == null ? ", in flight" : ", " + o) + ']';
    }
}
