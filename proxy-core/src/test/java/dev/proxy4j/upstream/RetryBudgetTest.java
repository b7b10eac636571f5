package dev.proxy4j.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.upstream.UpstreamFailure.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private static final ProxyRequest POST = ProxyRequest.builder().method("POST").path("/").build();
    private static final Outcome REFUSED = Outcome.failure(Kind.CONNECT_REFUSED, 0);

    private final Endpoint a = Endpoint.of("http://a:1");
    private final Endpoint b = Endpoint.of("http://b:1");

    @Test
    void grantsARetryOnAnotherEndpointAndReleasesItWhenTheRetryCompletes() {
        Upstream upstream = Upstream.builder().endpoint(a).endpoint(b).build();
        Selection first = select(upstream);
        first.complete(REFUSED);

        Selection retry = upstream.retry(Picks.CTX, POST, Set.of(first.endpoint()), 1, REFUSED, false).orElseThrow();

        assertThat(retry.endpoint()).isEqualTo(b);
        assertThat(retry.isRetry()).isTrue();
        assertThat(first.isToUntriedEndpoint()).isTrue();
        assertThat(retry.isToUntriedEndpoint()).as("b was not tried: no backoff before it").isTrue();
        assertThat(upstream.retryBudget().activeRetries()).isEqualTo(1);
        retry.complete(Outcome.response(200, 0));
        assertThat(upstream.retryBudget().activeRetries()).isZero();
        assertThat(upstream.retryBudget().activeRequests()).isZero();
    }

    @Test
    void givesTheBudgetBackWhenNoEndpointIsLeftToRetryOn() {
        Upstream upstream = Upstream.builder().endpoint(a).endpoint(b).build();
        upstream.group().remove(a);
        upstream.group().remove(b);

        assertThat(upstream.retry(Picks.CTX, POST, Set.of(a), 1, REFUSED, false)).isEmpty();

        assertThat(upstream.retryBudget().activeRetries()).isZero();
    }

    @Test
    void retriesOnAnEndpointAlreadyTriedWhenEveryEndpointWasTried() {
        Upstream upstream = Upstream.builder().endpoint(a).endpoint(b).build();

        Selection retry = upstream.retry(Picks.CTX, POST, Set.of(a, b), 2, REFUSED, false).orElseThrow();

        assertThat(retry.endpoint()).isIn(a, b);
        assertThat(retry.isRetry()).isTrue();
        assertThat(retry.isToUntriedEndpoint()).as("both tried: the retry backs off").isFalse();
        assertThat(upstream.retryBudget().activeRetries()).isEqualTo(1);
        retry.complete(REFUSED);
        assertThat(upstream.retryBudget().activeRetries()).isZero();
    }

    @Test
    void retriesATimeoutOnlyOnAnEndpointNotTriedYet() {
        Upstream upstream = Upstream.builder().endpoint(a).endpoint(b).build();
        ProxyRequest get = ProxyRequest.builder().method("GET").path("/").build();

        for (Kind timeout : new Kind[] {Kind.CONNECT_TIMEOUT, Kind.RESPONSE_TIMEOUT}) {
            Outcome timedOut = Outcome.failure(timeout, 0);
            assertThat(upstream.retry(Picks.CTX, get, Set.of(a, b), 2, timedOut, false)).as(timeout.name()).isEmpty();
            Selection next = upstream.retry(Picks.CTX, get, Set.of(a), 1, timedOut, false).orElseThrow();
            assertThat(next.endpoint()).isEqualTo(b);
            next.complete(Outcome.response(200, 0));
        }
        assertThat(upstream.retryBudget().activeRetries()).isZero();
    }

    @Test
    void doesNotRetryWhatThePolicyRefusesAndTakesNothingFromTheBudget() {
        Upstream upstream = Upstream.builder().endpoint(a).endpoint(b).build();

        assertThat(upstream.retry(Picks.CTX, POST, Set.of(a), 1, Outcome.response(503, 0), false)).isEmpty();
        assertThat(upstream.retry(Picks.CTX, POST, Set.of(a), 1, REFUSED, true)).isEmpty();
        assertThat(upstream.retry(Picks.CTX, POST, Set.of(a), 3, REFUSED, false)).isEmpty();

        assertThat(upstream.retryBudget().activeRetries()).isZero();
    }

    @Test
    void allowsTheMinimumRetryConcurrencyWhateverTheLoad() {
        Upstream upstream = Upstream.builder().endpoint(a).endpoint(b).build();

        List<Optional<Selection>> retries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            retries.add(upstream.retry(Picks.CTX, POST, Set.of(a), 1, REFUSED, false));
        }

        assertThat(retries).extracting(Optional::isPresent).containsExactly(true, true, true, false);
        retries.get(0).orElseThrow().complete(Outcome.response(200, 0));
        assertThat(upstream.retry(Picks.CTX, POST, Set.of(a), 1, REFUSED, false)).isPresent();
    }

    @Test
    void aRetryTheBudgetRefusesIsCountedAndMarkedInTheRequestLog() {
        Upstream upstream = Upstream.builder().endpoint(a).endpoint(b)
                .retryPolicy(RetryPolicy.builder().minRetryConcurrency(1).build()).build();
        RequestContext granted = context();
        RequestContext refused = context();

        assertThat(upstream.retry(granted, POST, Set.of(a), 1, REFUSED, false)).isPresent();
        assertThat(upstream.retry(refused, POST, Set.of(a), 1, REFUSED, false)).isEmpty();

        assertThat(upstream.retryBudget().refused()).isEqualTo(1);
        assertThat(refused.log().retryBudgetSpent()).isTrue();
        assertThat(granted.log().retryBudgetSpent()).isFalse();
        assertThat(upstream.retryBudget()).hasToString("RetryBudget[activeRetries=1, activeRequests=1, limit=1, refused=1]");
    }

    private static RequestContext context() {
        return RequestContext.builder().requestId("r").eventLoop(dev.proxy4j.context.TestContexts.DIRECT)
                .blockingExecutor(Runnable::run).peerAddress("10.1.1.1").clientAddress("10.1.1.1").build();
    }

    @Test
    void allowsTheBudgetsShareOfTheAttemptsInFlightBeyondTheMinimum() {
        Upstream upstream = Upstream.builder().endpoint(a).endpoint(b)
                .retryPolicy(RetryPolicy.builder().budgetPercent(20).minRetryConcurrency(1).build())
                .build();
        List<Selection> firstAttempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            firstAttempts.add(select(upstream));
        }

        // 20 attempts in flight: 20% is 4; the granted retries, in flight too, raise it only to 4.8.
        int granted = 0;
        while (upstream.retry(Picks.CTX, POST, Set.of(a), 1, REFUSED, false).isPresent()) {
            granted++;
        }

        assertThat(granted).isEqualTo(4);
        assertThat(upstream.retryBudget().limit()).isEqualTo(4);
        firstAttempts.forEach(s -> s.complete(Outcome.response(200, 0)));
        assertThat(upstream.retryBudget().activeRequests()).isEqualTo(4);
        assertThat(upstream.retryBudget().limit()).isEqualTo(1);
    }

    @Test
    void grantsNoRetryWithANoughtBudget() {
        Upstream upstream = Upstream.builder().endpoint(a).endpoint(b)
                .retryPolicy(RetryPolicy.builder().budgetPercent(0).minRetryConcurrency(0).build())
                .build();

        assertThat(upstream.retry(Picks.CTX, POST, Set.of(a), 1, REFUSED, false)).isEmpty();
    }

    private static Selection select(Upstream upstream) {
        return upstream.select(Picks.CTX, POST, Set.of()).orElseThrow();
    }
}
