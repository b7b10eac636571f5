package dev.proxy4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyResponse;
import org.junit.jupiter.api.Test;

class BackendIdentityTest {

    private static final ProxyResponse BACKEND = ProxyResponse.builder(200)
            .headers(Headers.of("server", "backend/1.2.3", "X-Powered-By", "PHP/8.3", "X-Powered-By", "Express",
                    "Content-Type", "text/plain"))
            .build();

    @Test
    void hideRemovesEveryCopyOfBothFieldsWhateverTheirCase() {
        ProxyResponse hidden = BackendIdentity.HIDE.apply(BACKEND);
        assertThat(hidden.headers()).isEqualTo(Headers.of("Content-Type", "text/plain"));
        assertThat(hidden.status()).isEqualTo(200);
    }

    @Test
    void hidesNamesTheIdentityFieldsInAnyCaseAndOnlyWhenHiding() {
        assertThat(BackendIdentity.HIDE.hides("Server")).isTrue();
        assertThat(BackendIdentity.HIDE.hides("x-powered-by")).isTrue();
        assertThat(BackendIdentity.HIDE.hides("X-Server")).isFalse();
        assertThat(BackendIdentity.HIDE.hides("Content-Type")).isFalse();
        assertThat(BackendIdentity.PASS.hides("Server")).isFalse();
    }

    @Test
    void passAndAResponseWithoutThemAreLeftAsTheyAre() {
        assertThat(BackendIdentity.PASS.apply(BACKEND)).isSameAs(BACKEND);
        ProxyResponse plain = ProxyResponse.text(200, "ok");
        assertThat(BackendIdentity.HIDE.apply(plain)).isSameAs(plain);
    }
}
