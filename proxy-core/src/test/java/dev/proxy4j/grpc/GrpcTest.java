package dev.proxy4j.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.upstream.UpstreamFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrpcTest {

    @Test
    void grpcIsTheContentTypeAndItsSuffixedFormsButNotGrpcWeb() {
        assertThat(Grpc.isGrpc("application/grpc")).isTrue();
        assertThat(Grpc.isGrpc("application/grpc+proto")).isTrue();
        assertThat(Grpc.isGrpc("Application/GRPC; charset=utf-8")).isTrue();
        assertThat(Grpc.isGrpc("application/grpc-web")).isFalse();
        assertThat(Grpc.isGrpc("application/json")).isFalse();
        assertThat(Grpc.isGrpc((String) null)).isFalse();
    }

    @Test
    void timeoutsAreDigitsAndAUnit() {
        assertThat(Grpc.timeout("5S")).contains(Duration.ofSeconds(5));
        assertThat(Grpc.timeout("100m")).contains(Duration.ofMillis(100));
        assertThat(Grpc.timeout("2H")).contains(Duration.ofHours(2));
        assertThat(Grpc.timeout("3M")).contains(Duration.ofMinutes(3));
        assertThat(Grpc.timeout("250u")).contains(Duration.ofNanos(250_000));
        assertThat(Grpc.timeout("99999999n")).contains(Duration.ofNanos(99_999_999));
    }

    @Test
    void aMalformedTimeoutIsIgnored() {
        assertThat(Grpc.timeout(null)).isEmpty();
        assertThat(Grpc.timeout("S")).isEmpty();
        assertThat(Grpc.timeout("5s")).isEmpty();
        assertThat(Grpc.timeout("-5S")).isEmpty();
        assertThat(Grpc.timeout("123456789S")).as("nine digits").isEmpty();
        assertThat(Grpc.timeout("1.5S")).isEmpty();
    }

    @Test
    void theProxysStatusesMapOntoGrpcCodes() {
        assertThat(Grpc.statusFor(502, UpstreamFailure.Kind.CONNECT_REFUSED)).isEqualTo(Grpc.UNAVAILABLE);
        assertThat(Grpc.statusFor(503, UpstreamFailure.Kind.NO_ENDPOINT)).isEqualTo(Grpc.UNAVAILABLE);
        assertThat(Grpc.statusFor(504, UpstreamFailure.Kind.RESPONSE_TIMEOUT)).isEqualTo(Grpc.DEADLINE_EXCEEDED);
        assertThat(Grpc.statusFor(504, null)).isEqualTo(Grpc.DEADLINE_EXCEEDED);
        assertThat(Grpc.statusFor(413, UpstreamFailure.Kind.REQUEST_BODY_TOO_LARGE)).isEqualTo(Grpc.RESOURCE_EXHAUSTED);
        assertThat(Grpc.statusFor(404, null)).isEqualTo(Grpc.UNIMPLEMENTED);
        assertThat(Grpc.statusFor(500, null)).isEqualTo(Grpc.INTERNAL);
        assertThat(Grpc.statusFor(401, null)).isEqualTo(Grpc.UNAUTHENTICATED);
        assertThat(Grpc.statusFor(403, null)).isEqualTo(Grpc.PERMISSION_DENIED);
        assertThat(Grpc.statusFor(429, null)).isEqualTo(Grpc.UNAVAILABLE);
        assertThat(Grpc.statusFor(418, null)).isEqualTo(Grpc.UNKNOWN);
    }

    @Test
    void anErrorIsTrailersOnly() {
        ProxyResponse error = Grpc.error(502, UpstreamFailure.Kind.CONNECT_REFUSED, "502 Bad Gateway 100%");

        assertThat(error.status()).isEqualTo(200);
        assertThat(error.headers().get("Content-Type")).isEqualTo("application/grpc");
        assertThat(error.headers().get("grpc-status")).isEqualTo("14");
        assertThat(error.headers().get("grpc-message")).isEqualTo("502 Bad Gateway 100%25");
        assertThat(error.body().length()).isZero();
    }

    @Test
    void messagesArePercentEncodedOutsidePrintableAscii() {
        assertThat(Grpc.encodeMessage("plain text")).isEqualTo("plain text");
        assertThat(Grpc.encodeMessage("a\nb")).isEqualTo("a%0Ab");
        assertThat(Grpc.encodeMessage("né")).isEqualTo("n%C3%A9");
    }
}
