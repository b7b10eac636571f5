package dev.proxy4j.upstream;

import dev.proxy4j.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy of {@link OutlierDetection} over one upstream's group: told of every completed
 * selection ({@link #completed}), it ejects an endpoint whose run of failures reached a
 * threshold; {@link #sweep()}, which the adapter calls every {@link OutlierDetection#interval()},
 * ends the ejections that are due and lets the count of past ejections fade. Each ejection and
 * each return is logged once (WARN, INFO).
 *
 * <p>The check after each selection reads two counters and a flag, lock-free; ejecting and
 * sweeping take a lock, and publish a new snapshot of the group. Time is the group's ticker.
 */
public final class OutlierDetector {

    private static final Logger LOG = LoggerFactory.getLogger(OutlierDetector.class);

    private final String upstream;
    private final EndpointGroup group;
    private final OutlierDetection detection;
    private final Ticker ticker;
    private final Object lock = new Object();

    OutlierDetector(String upstream, EndpointGroup group, OutlierDetection detection) {
        this.upstream = upstream;
        this.group = group;
        this.detection = Objects.requireNonNull(detection, "detection");
        this.ticker = group.ticker();
    }

    public OutlierDetection detection() {
        return detection;
    }

    /** Called once per completed selection of {@code state}, after its outcome was recorded. */
    void completed(EndpointState state) {
        if (state.isEjected()) {
            return;
        }
        int fiveXx = detection.consecutive5xx();
        int gateway = detection.consecutiveGatewayFailures();
        boolean by5xx = fiveXx > 0 && state.consecutive5xx() >= fiveXx;
        boolean byGateway = gateway > 0 && state.consecutiveGatewayFailures() >= gateway;
        if (by5xx || byGateway) {
            eject(state, byGateway ? state.consecutiveGatewayFailures() + " gateway failures in a row"
                    : state.consecutive5xx() + " 5xx or failures in a row");
        }
    }

    private void eject(EndpointState state, String why) {
        Duration time;
        synchronized (lock) {
            if (state.isEjected() || state.isDraining()) {
                return;
            }
            EndpointGroup.Snapshot snapshot = group.snapshot();
            if (!snapshot.members().contains(state)) {
                return;
            }
            int members = 0;
            int ejected = 0;
            for (EndpointState member : snapshot.members()) {
                if (!member.isDraining()) {
                    members++;
                    if (member.isEjected()) {
                        ejected++;
                    }
                }
            }
            int allowed = Math.max(1, members * detection.maxEjectionPercent() / 100);
            if (ejected >= allowed) {
                LOG.debug("upstream {}: not ejecting {} after {}: {} of {} ejected already (maxEjectionPercent {})",
                        upstream, state.endpoint(), why, ejected, members, detection.maxEjectionPercent());
                return;
            }
            int ejections = state.ejections() + 1;
            time = detection.ejectionTime(ejections);
            state.eject(ticker.nanos() + time.toNanos(), ejections);
            group.republish();
        }
        LOG.warn("upstream {}: endpoint {} ejected for {} after {} (ejected {} time(s) in a row)", upstream,
                state.endpoint(), show(time), why, state.ejections());
    }

    /** Ends the ejections that are due, and takes one off the ejection count of each endpoint in rotation. */
    public void sweep() {
        long now = ticker.nanos();
        boolean changed = false;
        synchronized (lock) {
            for (EndpointState member : group.snapshot().members()) {
                if (member.isEjected()) {
                    if (now - member.ejectedUntil() >= 0) {
                        member.unEject();
                        changed = true;
                        LOG.info("upstream {}: endpoint {} back in rotation after its ejection", upstream,
                                member.endpoint());
                    }
                } else if (member.ejections() > 0) {
                    member.fadeEjections();
                }
            }
            if (changed) {
                group.republish();
            }
        }
    }

    private static String show(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    @Override
    public String toString() {
        return "OutlierDetector[" + upstream + ", " + detection + ']';
    }
}
