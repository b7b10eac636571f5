package dev.proxy4j.upstream;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy half of an upstream's active health check: what a check's answer means for the
 * endpoint it checked. The adapter sends the checks on its own schedule
 * ({@link HealthCheck#firstDelay}, {@link HealthCheck#nextDelay}) and reports each answer to
 * {@link #report}; this keeps each member's {@link HealthCounter}, marks the member healthy or
 * unhealthy in the group when the counter says so, and logs each such change once: WARN when an
 * endpoint goes down, INFO when it comes back. Thread-safe.
 */
public final class HealthChecker {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final String upstream;
    private final EndpointGroup group;
    private final HealthCheck check;

    public HealthChecker(Upstream upstream) {
        this(upstream.name(), upstream.group(),
                upstream.healthCheck().orElseThrow(() -> new IllegalArgumentException(
                        "upstream " + upstream.name() + ": no healthCheck (expected: an upstream with one)")));
    }

    /** {@code upstream}'s endpoints checked by {@code check}, which may differ from its own (see {@link HealthCheck#asTcp()}). */
    public HealthChecker(Upstream upstream, HealthCheck check) {
        this(upstream.name(), upstream.group(), check);
    }

    HealthChecker(String upstream, EndpointGroup group, HealthCheck check) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.group = Objects.requireNonNull(group, "group");
        this.check = Objects.requireNonNull(check, "check");
    }

    public HealthCheck check() {
        return check;
    }

    public EndpointGroup group() {
        return group;
    }

    /**
     * Records one check of {@code member}: {@code status} is the answer's status, or 0 when none
     * came (then {@code failure} says why, e.g. {@code "connection refused"}, {@code "timed out"}).
     * A TCP check has no status: it passed when {@code failure} is null (connected). Does nothing
     * for a member no longer in the group.
     *
     * @return true when the check passed
     */
    public boolean report(EndpointState member, int status, @Nullable String failure) {
        boolean tcp = check.type() == HealthCheck.Type.TCP;
        boolean passed = tcp ? failure == null : status != 0 && check.expects(status);
        String detail = tcp && passed ? "connected"
                : status != 0 ? "status " + status : (failure == null ? "no answer" : failure);
        if (!group.snapshot().members().contains(member)) {
            member.checked(passed, detail);
            return passed;
        }
        // Kept on the member, so that an upstream replacing this one by a reconfigure carries it
        // over (Upstream.carryStateFrom). A member already marked unhealthy (by an operator, before
        // its first check) starts down.
        HealthCounter counter = member.healthCounter(check.rise(), check.fall());
        HealthCounter.Change change = passed ? counter.passed() : counter.failed();
        if (change == HealthCounter.Change.WENT_DOWN) {
            group.setHealth(member.endpoint(), EndpointState.Health.UNHEALTHY);
            LOG.warn("upstream {}: endpoint {} is down: {} failed {} in a row, the last: {}",
                    upstream, member.endpoint(), counter.failuresInARow(), checks(), detail);
        } else if (change == HealthCounter.Change.WENT_UP) {
            group.setHealth(member.endpoint(), EndpointState.Health.HEALTHY);
            LOG.info("upstream {}: endpoint {} is up again: {} passed {} in a row",
                    upstream, member.endpoint(), counter.passesInARow(), checks());
        }
        // After the health it changed: a status read in between never shows a failed check beside
        // the health from before it (the admin endpoint's /upstreams reads both).
        member.checked(passed, detail);
        return passed;
    }

    /** {@code health check(s) of /health}, or {@code TCP connect check(s)}: for the log lines above. */
    private String checks() {
        return check.type() == HealthCheck.Type.TCP ? "TCP connect check(s)" : "health check(s) of " + check.path();
    }

    /**
     * Lets go of what is kept for {@code member}, once it has left the group: nothing now, its
     * counter being kept on the member itself, which goes when the group lets go of it.
     */
    public void forget(EndpointState member) {
        Objects.requireNonNull(member, "member");
    }

    @Override
    public String toString() {
        return "HealthChecker[" + upstream + ", " + check + ']';
    }
}
