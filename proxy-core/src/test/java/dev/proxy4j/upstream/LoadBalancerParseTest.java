package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadBalancerParseTest {

    @Test
    void namesEveryBuiltInAsTheLaunchersFlagDoes() {
        assertThat(LoadBalancer.parse("round-robin")).isSameAs(LoadBalancer.roundRobin());
        assertThat(LoadBalancer.parse("weighted-round-robin")).isSameAs(LoadBalancer.weightedRoundRobin());
        assertThat(LoadBalancer.parse("random")).isSameAs(LoadBalancer.random());
        assertThat(LoadBalancer.parse("least-requests")).isSameAs(LoadBalancer.leastRequests());
        assertThat(LoadBalancer.parse("p2c")).isSameAs(LoadBalancer.powerOfTwoChoices());
        assertThat(LoadBalancer.parse("ring-hash:header:X-User")).hasToString("ringHash(header:X-User, pointsPerWeight=160)");
        assertThat(LoadBalancer.parse("maglev:ip")).hasToString("maglev(ip, tableSize=65537)");
        assertThat(LoadBalancer.parse("ring-hash:cookie:sid")).hasToString("ringHash(cookie:sid, pointsPerWeight=160)");
        assertThat(LoadBalancer.parse("maglev:query:user")).hasToString("maglev(query:user, tableSize=65537)");
        assertThat(LoadBalancer.parse("sticky-cookie:srv")).hasToString("stickyCookie(srv, weightedRoundRobin)");
    }

    @Test
    void refusesAnythingElseNamingTheValueAndWhatIsExpected() {
        String expected = " (expected: round-robin, weighted-round-robin, random, least-requests, p2c, ring-hash:KEY,"
                + " maglev:KEY or sticky-cookie:NAME, where KEY is ip, path, header:NAME, cookie:NAME or query:NAME)";
        for (String spec : new String[] {"bogus", "least_requests", "ring-hash", "ring-hash:", "maglev:host",
                "sticky-cookie:", "sticky-cookie:a;b", "P2C"}) {
            assertThatThrownBy(() -> LoadBalancer.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("loadBalancer: \"" + spec + "\"" + expected);
        }
    }

    @Test
    void refusesARingOrTableOfTheWrongSize() {
        assertThatThrownBy(() -> LoadBalancer.ringHash(HashKey.path(), 0))
                .hasMessage("pointsPerWeight: 0 (expected: 1..65536)");
        assertThatThrownBy(() -> LoadBalancer.maglev(HashKey.path(), 65_536))
                .hasMessage("tableSize: 65536 (expected: a prime in 3..16777213)");
        assertThat(LoadBalancer.maglev(HashKey.path(), 251)).hasToString("maglev(path, tableSize=251)");
    }
}
