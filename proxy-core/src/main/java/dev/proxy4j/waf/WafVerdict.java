package dev.proxy4j.waf;

import java.util.List;

/**
 * What the {@link Waf} made of one request: every rule that matched (each once), the anomaly
 * score they add up to, the threshold, and whether the request was refused. Left on the request's
 * context as {@link Waf#VERDICT} for later filters; the log has the same.
 */
public record WafVerdict(int score, int threshold, List<WafMatch> matches, boolean blocked) {

    public WafVerdict {
        matches = List.copyOf(matches);
    }

    /** Whether the score reached the threshold (in detection mode: whether it would have been refused). */
    public boolean anomalous() {
        return score >= threshold;
    }
}
