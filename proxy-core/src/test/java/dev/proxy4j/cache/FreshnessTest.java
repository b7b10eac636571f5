package dev.proxy4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.Headers;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 9111 4.2: freshness lifetime and current age. */
class FreshnessTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration CAP = Duration.ofDays(1);

    private static StoredHead head(int status, String... headers) {
        return new StoredHead(status, Headers.of(headers), T0, T0);
    }

    private static String date(Instant instant) {
        return HttpDates.format(instant);
    }

    @Test
    void sMaxageWinsOverMaxAgeWhichWinsOverExpires() {
        String expires = date(T0.plusSeconds(1000));
        assertThat(Freshness.lifetime(head(200, "Cache-Control", "max-age=60, s-maxage=120", "Expires", expires,
                "Date", date(T0)), CAP)).isEqualTo(120);
        assertThat(Freshness.lifetime(head(200, "Cache-Control", "max-age=60", "Expires", expires, "Date", date(T0)),
                CAP)).isEqualTo(60);
        assertThat(Freshness.lifetime(head(200, "Expires", expires, "Date", date(T0)), CAP)).isEqualTo(1000);
    }

    @Test
    void expiresCountsFromDateNotFromReception() {
        // the backend's clock is 100 s behind: Expires - Date is what counts
        Instant backendNow = T0.minusSeconds(100);
        assertThat(Freshness.lifetime(head(200, "Date", date(backendNow), "Expires", date(backendNow.plusSeconds(30))),
                CAP)).isEqualTo(30);
    }

    @Test
    void aBadOrDuplicatedExpiresMeansStale() {
        assertThat(Freshness.lifetime(head(200, "Expires", "0", "Last-Modified", date(T0.minusSeconds(10000))), CAP))
                .as("a bad Expires is in the past, and no heuristic applies").isZero();
        assertThat(Freshness.lifetime(head(200, "Expires", date(T0.plusSeconds(60)), "Expires",
                date(T0.plusSeconds(90))), CAP)).isZero();
        assertThat(Freshness.lifetime(head(200, "Cache-Control", "max-age=oops", "Expires", date(T0.plusSeconds(60))),
                CAP)).as("an invalid max-age makes it stale").isZero();
    }

    @Test
    void obsoleteDateFormsAreRead() {
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(HttpDates.parse("tomorrow")).isNull();
    }

    @Test
    void theHeuristicIsTenPercentOfTheLastModifiedAgeCapped() {
        StoredHead tenDaysOld = head(200, "Date", date(T0), "Last-Modified", date(T0.minus(Duration.ofDays(10))));
        assertThat(Freshness.lifetime(tenDaysOld, Duration.ofDays(7))).isEqualTo(Duration.ofDays(1).getSeconds());
        assertThat(Freshness.lifetime(tenDaysOld, Duration.ofHours(1))).isEqualTo(3600);
        assertThat(Freshness.lifetime(tenDaysOld, Duration.ZERO)).as("a zero cap turns it off").isZero();
    }

    @Test
    void theHeuristicAppliesOnlyToHeuristicallyCacheableStatusesOrPublic() {
        String lastModified = date(T0.minusSeconds(1000));
        assertThat(Freshness.lifetime(head(404, "Last-Modified", lastModified), CAP)).isEqualTo(100);
        assertThat(Freshness.lifetime(head(302, "Last-Modified", lastModified), CAP)).isZero();
        assertThat(Freshness.lifetime(head(302, "Last-Modified", lastModified, "Cache-Control", "public"), CAP))
                .isEqualTo(100);
        assertThat(Freshness.lifetime(head(200), CAP)).as("no Last-Modified").isZero();
    }

    @Test
    void currentAgeFollowsSection423() {
        // request at T0, response 2 s later with Date 1 s before it and Age: 5 from a cache nearer the origin
        Instant request = T0;
        Instant response = T0.plusSeconds(2);
        StoredHead head = new StoredHead(200, Headers.of("Date", date(T0.plusSeconds(1)), "Age", "5"), request,
                response);

        // apparent_age = 1, corrected_age_value = 5 + 2 = 7, initial = 7, resident 10 s
        assertThat(Freshness.currentAge(head, response.plusSeconds(10))).isEqualTo(17);
    }

    @Test
    void aDateAheadOfTheCacheGivesNoNegativeAge() {
        StoredHead head = new StoredHead(200, Headers.of("Date", date(T0.plusSeconds(300))), T0, T0);

        assertThat(Freshness.currentAge(head, T0)).isZero();
        assertThat(Freshness.currentAge(head, T0.plusSeconds(4))).isEqualTo(4);
    }

    @Test
    void apparentAgeCountsWhenLargerThanTheAgeField() {
        StoredHead head = new StoredHead(200, Headers.of("Date", date(T0.minusSeconds(50)), "Age", "3"), T0, T0);

        assertThat(Freshness.currentAge(head, T0)).isEqualTo(50);
        assertThat(Freshness.ageValue(Headers.of("Age", "junk"))).isZero();
    }
}
