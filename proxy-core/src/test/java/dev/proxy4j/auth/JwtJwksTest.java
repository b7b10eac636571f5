package dev.proxy4j.auth;

import static dev.proxy4j.auth.Tokens.NOW;
import static dev.proxy4j.auth.Tokens.RSA;
import static dev.proxy4j.auth.Tokens.RSA_2;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The JWK set behind a URL: prefetched, cached, refreshed ahead of its end and for an unknown key id, rate-limited. */
class JwtJwksTest {

    private final ManualTime time = new ManualTime(NOW);
    /** What the identity provider publishes now; a null answer fails the fetch. */
    private volatile String published = Tokens.jwks(RSA);
    private final List<CompletableFuture<String>> fetches = new ArrayList<>();
    private boolean answerAtOnce = true;

    private final Jwt jwt = Jwt.builder().jwksUri(URI.create("https://idp.example/jwks")).ticker(time)
            .jwksCacheDuration(Duration.ofMinutes(5)).jwksRefreshAhead(Duration.ofSeconds(30))
            .jwksMinRefreshInterval(Duration.ofSeconds(30))
            .jwksFetcher(this::fetch).build();

    private CompletionStage<String> fetch(URI uri, Duration timeout) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        fetches.add(answer);
        if (answerAtOnce) {
            answer(answer);
        }
        return answer;
    }

    private void answer(CompletableFuture<String> fetch) {
        String body = published;
        if (body == null) {
            fetch.completeExceptionally(new IOException("status 500"));
        } else {
            fetch.complete(body);
        }
    }

    private CompletableFuture<ProxyResponse> send(RSAKey key) {
        return jwt.filter(time.context(), ProxyRequest.builder().path("/")
                .headers(Headers.of("Authorization", "Bearer " + Tokens.rs256(key, c -> c))).build(),
                r -> CompletableFuture.completedFuture(ProxyResponse.text(200, "ok\n"))).toCompletableFuture();
    }

    private int status(RSAKey key) {
        CompletableFuture<ProxyResponse> response = send(key);
        assertThat(response).as("answered without waiting: the test's fetches complete at once").isDone();
        return response.join().status();
    }

    @Test
    void thePrefetchedSetServesRequestsWithoutAnotherFetch() {
        jwt.prefetch();

        assertThat(status(RSA)).isEqualTo(200);
        assertThat(status(RSA)).isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(1);
    }

    @Test
    void aRequestBeforeTheFirstFetchCompletesWaitsForIt() {
        answerAtOnce = false;
        jwt.prefetch();
        CompletableFuture<ProxyResponse> first = send(RSA);

        assertThat(first).isNotDone();
        answer(fetches.get(0));
        assertThat(first).isDone();
        assertThat(first.join().status()).isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(1);
    }

    @Test
    void anUnknownKeyIdTriggersOneRefresh() {
        jwt.prefetch();
        published = Tokens.jwks(RSA, RSA_2);
        time.advance(Duration.ofSeconds(30));

        assertThat(status(RSA_2)).as("rsa-2 was published after the prefetch").isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(2);
        assertThat(status(RSA_2)).isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(2);
    }

    @Test
    void anUnknownKeyIdRightAfterAFetchWaitsForTheInterval() {
        jwt.prefetch();
        published = Tokens.jwks(RSA, RSA_2);

        assertThat(status(RSA_2)).as("fetched less than 30 s ago").isEqualTo(401);
        assertThat(jwt.jwksFetches()).isEqualTo(1);
    }

    @Test
    void unknownKeyIdsRefreshAtMostOncePerInterval() {
        jwt.prefetch();
        RSAKey unknown = Tokens.generateRsa("made-up");
        time.advance(Duration.ofSeconds(30));

        assertThat(status(unknown)).isEqualTo(401);
        assertThat(jwt.jwksFetches()).isEqualTo(2);
        time.advance(Duration.ofSeconds(29));
        for (int i = 0; i < 10; i++) {
            assertThat(status(unknown)).isEqualTo(401);
        }
        assertThat(jwt.jwksFetches()).as("rate-limited").isEqualTo(2);
        published = Tokens.jwks(RSA, unknown);
        time.advance(Duration.ofSeconds(1));
        assertThat(status(unknown)).isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(3);
    }

    @Test
    void theSetIsRefreshedInTheBackgroundAheadOfItsEnd() {
        jwt.prefetch();
        time.advance(Duration.ofSeconds(269));
        assertThat(status(RSA)).isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(1);

        // Rotated: rsa-1 is gone. The request that starts the refresh is still checked with the set held.
        answerAtOnce = false;
        published = Tokens.jwks(RSA_2);
        time.advance(Duration.ofSeconds(1));
        assertThat(status(RSA)).isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(2);
        answer(fetches.get(1));

        assertThat(status(RSA)).as("the refreshed set no longer has rsa-1").isEqualTo(401);
        assertThat(status(RSA_2)).isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(2);
    }

    @Test
    void aFailedFetchKeepsTheLastGoodSet() {
        jwt.prefetch();
        published = null;
        time.advance(Duration.ofMinutes(10));

        assertThat(status(RSA)).isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(2);
        assertThat(status(RSA)).isEqualTo(200);
    }

    @Test
    void withoutAnySetEveryTokenIsRefusedAndTheFetchesStayRateLimited() {
        published = null;
        jwt.prefetch();

        assertThat(status(RSA)).isEqualTo(401);
        assertThat(status(RSA)).isEqualTo(401);
        assertThat(jwt.jwksFetches()).isEqualTo(1);
        published = Tokens.jwks(RSA);
        time.advance(Duration.ofSeconds(30));
        assertThat(status(RSA)).isEqualTo(200);
        assertThat(jwt.jwksFetches()).isEqualTo(2);
    }
}
