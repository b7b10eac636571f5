package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyTest {

    @Test
    void emptyHasNoBytes() {
        assertThat(Body.empty().length()).isZero();
        assertThat(((Body.Bytes) Body.empty()).toByteArray()).isEmpty();
    }

    @Test
    void ofUtf8CountsBytesNotCharacters() {
        Body body = Body.ofUtf8("é€");

        assertThat(body.length()).isEqualTo(5);
        assertThat(((Body.Bytes) body).toUtf8()).isEqualTo("é€");
    }

    @Test
    void ofCopiesTheArraySoLaterChangesDoNotLeakIn() {
        byte[] bytes = {1, 2, 3};
        Body body = Body.of(bytes);

        bytes[0] = 9;

        assertThat(((Body.Bytes) body).toByteArray()).containsExactly(1, 2, 3);
    }

    @Test
    void toByteArrayHandsOutACopy() {
        Body.Bytes body = (Body.Bytes) Body.of(new byte[] {1, 2, 3});

        body.toByteArray()[0] = 9;

        assertThat(body.toByteArray()).containsExactly(1, 2, 3);
    }

    @Test
    void printsItsLengthNotItsContent() {
        assertThat(Body.ofUtf8("secret")).hasToString("Body.Bytes[6 bytes]");
    }
}
