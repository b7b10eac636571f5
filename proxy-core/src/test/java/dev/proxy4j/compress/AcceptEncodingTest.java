package dev.proxy4j.compress;

import static dev.proxy4j.compress.Encoding.BROTLI;
import static dev.proxy4j.compress.Encoding.GZIP;
import static dev.proxy4j.compress.Encoding.ZSTD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AcceptEncodingTest {

    private static final List<Encoding> ALL = Compression.DEFAULT_ENCODINGS;

    private static Optional<Encoding> negotiate(String... fields) {
        return AcceptEncoding.negotiate(List.of(fields), ALL);
    }

    @Test
    void equalWeightsGoToTheServersPreference() {
        assertThat(negotiate("gzip, deflate, br, zstd")).contains(ZSTD);
        assertThat(negotiate("gzip, br")).contains(BROTLI);
        assertThat(negotiate("gzip")).contains(GZIP);
        assertThat(AcceptEncoding.negotiate(List.of("gzip, br, zstd"), List.of(GZIP, BROTLI))).contains(GZIP);
    }

    @Test
    void theClientsWeightsComeFirst() {
        assertThat(negotiate("zstd;q=0.5, br;q=0.9, gzip;q=0.8")).contains(BROTLI);
        assertThat(negotiate("zstd;q=0.001, gzip;q=0.002")).contains(GZIP);
        assertThat(negotiate("br;Q=1.0, zstd;q=0.999")).contains(BROTLI);
    }

    @Test
    void qZeroRefusesAndStarStandsForTheRest() {
        assertThat(negotiate("zstd;q=0, br;q=0, gzip")).contains(GZIP);
        assertThat(negotiate("zstd;q=0, br;q=0, gzip;q=0")).isEmpty();
        assertThat(negotiate("*")).contains(ZSTD);
        assertThat(negotiate("*;q=0.5, zstd;q=0")).contains(BROTLI);
        assertThat(negotiate("*;q=0")).isEmpty();
        assertThat(negotiate("identity")).isEmpty();
    }

    @Test
    void noFieldAnEmptyOneOrNothingOfferedMeansIdentity() {
        assertThat(negotiate()).isEmpty();
        assertThat(negotiate("")).isEmpty();
        assertThat(AcceptEncoding.negotiate(List.of("gzip"), List.of())).isEmpty();
    }

    @Test
    void severalFieldsAreOneList() {
        assertThat(negotiate("gzip;q=0.5", "br;q=0.6")).contains(BROTLI);
        assertThat(negotiate("br;q=0", "br")).contains(BROTLI);
    }

    @Test
    void malformedMembersAndWeightsAreIgnoredNotFatal() {
        assertThat(negotiate("gzip;q=high, br")).contains(BROTLI);
        assertThat(negotiate("gzip;q=1.5")).isEmpty();
        assertThat(negotiate("gzip;q=0.1234")).isEmpty();
        assertThat(negotiate(",,, ;q=1, GZIP ;q=0.3")).contains(GZIP);
        assertThat(negotiate("x-gzip")).contains(GZIP);
        assertThat(negotiate("gzip;level=9")).isEmpty();
        assertThat(AcceptEncoding.weight(List.of("gzip;level=9;q=0.4"), "gzip")).isEqualTo(400);
    }
}
