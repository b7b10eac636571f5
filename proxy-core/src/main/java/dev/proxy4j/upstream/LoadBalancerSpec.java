package dev.proxy4j.upstream;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** {@link LoadBalancer#parse}: the launcher's and the config file's names for the built-in balancers. */
final class LoadBalancerSpec {

    static final String EXPECTED = "round-robin, weighted-round-robin, random, least-requests, p2c, ring-hash:KEY,"
            + " maglev:KEY or sticky-cookie:NAME, where KEY is " + HashKeys.SPELLINGS;

    private LoadBalancerSpec() {
    }

    static LoadBalancer parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        try {
            switch (spec) {
                case "round-robin":
                    return LoadBalancer.roundRobin();
                case "weighted-round-robin":
                    return LoadBalancer.weightedRoundRobin();
                case "random":
                    return LoadBalancer.random();
                case "least-requests":
                    return LoadBalancer.leastRequests();
                case "p2c":
                    return LoadBalancer.powerOfTwoChoices();
                default:
                    break;
            }
            if (spec.startsWith("ring-hash:")) {
                return LoadBalancer.ringHash(HashKey.parse(spec.substring("ring-hash:".length())));
            }
            if (spec.startsWith("maglev:")) {
                return LoadBalancer.maglev(HashKey.parse(spec.substring("maglev:".length())));
            }
            if (spec.startsWith("sticky-cookie:")) {
                return LoadBalancer.stickyCookie(spec.substring("sticky-cookie:".length()));
            }
        } catch (IllegalArgumentException e) {
            throw invalid(spec, e);
        }
        throw invalid(spec, null);
    }

    private static IllegalArgumentException invalid(String spec, @Nullable Throwable cause) {
        return new IllegalArgumentException("loadBalancer: \"" + spec + "\" (expected: " + EXPECTED + ")", cause);
    }
}
