package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyResponseTest {

    @Test
    void textIsAPlainUtf8Answer() {
        ProxyResponse response = ProxyResponse.text(502, "Bad Gateway – upstream");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.headers()).isEqualTo(Headers.of("Content-Type", "text/plain; charset=utf-8"));
        assertThat(((Body.Bytes) response.body()).toUtf8()).isEqualTo("Bad Gateway – upstream");
        assertThat(response.body().length()).isEqualTo("Bad Gateway – upstream".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void headersAndBodyDefaultToEmpty() {
        ProxyResponse response = ProxyResponse.builder(204).build();

        assertThat(response.headers()).isSameAs(Headers.empty());
        assertThat(response.body()).isSameAs(Body.empty());
    }

    @Test
    void toBuilderKeepsWhatIsNotChanged() {
        Body body = Body.ofUtf8("hello");
        ProxyResponse original = ProxyResponse.builder(200).headers(Headers.of("X-A", "1")).body(body).build();

        ProxyResponse changed = original.toBuilder().status(201).build();

        assertThat(changed.status()).isEqualTo(201);
        assertThat(changed.headers()).isEqualTo(Headers.of("X-A", "1"));
        assertThat(changed.body()).isSameAs(body);
        assertThat(original.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 200, 599, 999})
    void acceptsThreeDigitStatuses(int status) {
        assertThat(ProxyResponse.builder(status).build().status()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 99, 1000})
    void rejectsStatusesOutsideThreeDigits(int status) {
        assertThatThrownBy(() -> ProxyResponse.builder(status))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status: " + status + " (expected: 100..999)");
    }

    @Test
    void rejectsNullHeadersAndBody() {
        assertThatThrownBy(() -> ProxyResponse.builder(200).headers(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("headers");
        assertThatThrownBy(() -> ProxyResponse.builder(200).body(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("body");
    }
}
