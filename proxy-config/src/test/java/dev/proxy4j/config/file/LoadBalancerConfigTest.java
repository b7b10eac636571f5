package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.Upstream;
import org.junit.jupiter.api.Test;

/** {@code loadBalancer}: the launcher's spelling as a string, or a mapping with a type and its settings. */
class LoadBalancerConfigTest {

    private static Upstream upstream(String loadBalancer) {
        ProxyConfig config = ConfigFile.parse("listeners: [{port: 8080}]\nroutes:\n  - upstream:\n"
                + "      endpoints: [http://127.0.0.1:9001, http://127.0.0.1:9002]\n"
                + "      loadBalancer: " + loadBalancer + "\n");
        return config.routes().routes().get(0).upstream().orElseThrow();
    }

    private static void refused(String loadBalancer, String message) {
        assertThatThrownBy(() -> upstream(loadBalancer)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void takesEveryLauncherSpellingAsAString() {
        assertThat(upstream("round-robin").loadBalancer()).isSameAs(LoadBalancer.roundRobin());
        assertThat(upstream("random").loadBalancer()).isSameAs(LoadBalancer.random());
        assertThat(upstream("least-requests").loadBalancer()).isSameAs(LoadBalancer.leastRequests());
        assertThat(upstream("p2c").loadBalancer()).isSameAs(LoadBalancer.powerOfTwoChoices());
        assertThat(upstream("\"ring-hash:header:X-User\"").loadBalancer())
                .hasToString("ringHash(header:X-User, pointsPerWeight=160)");
        assertThat(upstream("maglev:ip").loadBalancer()).hasToString("maglev(ip, tableSize=65537)");
        assertThat(upstream("sticky-cookie:srv").loadBalancer()).hasToString("stickyCookie(srv, weightedRoundRobin)");
    }

    @Test
    void takesAMappingForTheSettingsTheSpellingLeavesAtTheirDefaults() {
        assertThat(upstream("{type: ring-hash, key: \"cookie:sid\", pointsPerWeight: 400}").loadBalancer())
                .hasToString("ringHash(cookie:sid, pointsPerWeight=400)");
        assertThat(upstream("{type: maglev, key: path, tableSize: 251}").loadBalancer())
                .hasToString("maglev(path, tableSize=251)");
        assertThat(upstream("{type: least-requests, slowStart: 30s}").loadBalancer())
                .hasToString("leastRequests(SlowStart[window=PT30S, aggression=1.0, minWeightPercent=10.0])");
        assertThat(upstream("{type: random, slowStart: {window: 1m, aggression: 1.5, minWeightPercent: 5}}").loadBalancer())
                .hasToString("random(SlowStart[window=PT1M, aggression=1.5, minWeightPercent=5.0])");
        assertThat(upstream("{type: sticky-cookie, cookie: srv, fallback: {type: least-requests, slowStart: 10s}}")
                .loadBalancer()).hasToString(
                        "stickyCookie(srv, leastRequests(SlowStart[window=PT10S, aggression=1.0, minWeightPercent=10.0]))");
        assertThat(upstream("{type: p2c}").loadBalancer()).isSameAs(LoadBalancer.powerOfTwoChoices());
    }

    @Test
    void namesTheFieldAndTheValueThatAreWrong() {
        refused("bogus", "routes[0].upstream.loadBalancer: \"bogus\" (expected: round-robin, weighted-round-robin,"
                + " random, least-requests, p2c, ring-hash:KEY, maglev:KEY or sticky-cookie:NAME, where KEY is ip, path,"
                + " header:NAME, cookie:NAME or query:NAME)");
        refused("{type: ring-hash, key: host}", "routes[0].upstream.loadBalancer.key: \"host\""
                + " (expected: ip, path, header:NAME, cookie:NAME or query:NAME)");
        refused("{type: ring-hash}", "routes[0].upstream.loadBalancer.key: missing (expected: a value)");
        refused("{type: maglev, key: ip, tableSize: 1000}", "routes[0].upstream.loadBalancer.tableSize: 1000"
                + " (expected: a prime in 3..16777213)");
        refused("{type: random, key: ip}", "routes[0].upstream.loadBalancer.key: not a setting of random"
                + " (expected: only with type ring-hash or maglev)");
        refused("{type: least-requests, slowStart: 0}", "routes[0].upstream.loadBalancer.slowStart: PT0S"
                + " (expected: positive)");
        refused("{type: fastest}", "routes[0].upstream.loadBalancer.type: \"fastest\" (expected: one of round-robin,"
                + " weighted-round-robin, random, least-requests, p2c, ring-hash, maglev, sticky-cookie)");
    }
}
