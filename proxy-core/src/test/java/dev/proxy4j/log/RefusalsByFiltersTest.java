package dev.proxy4j.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.auth.ApiKeys;
import dev.proxy4j.auth.Jwt;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.forward.IpAccess;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A filter that answers a refusal itself marks it in the request log, so that metrics count it by reason. */
class RefusalsByFiltersTest {

    private static final ProxyRequest REQUEST = ProxyRequest.builder().path("/a").build();

    private static RequestContext refuse(ProxyFilter filter, int status) {
        RequestContext ctx = TestContexts.direct();
        ProxyResponse response = filter.filter(ctx, REQUEST,
                r -> CompletableFuture.completedFuture(ProxyResponse.text(200, "ok\n"))).toCompletableFuture().join();
        assertThat(response.status()).isEqualTo(status);
        return ctx;
    }

    @Test
    void anIpRulesDenialIsAccessDenied() {
        assertThat(refuse(IpAccess.builder().deny("all").build(), 403).log().refusal()).contains(Refusal.ACCESS_DENIED);
    }

    @Test
    void aMissingApiKeyIsApiKey() {
        ApiKeys keys = ApiKeys.builder().key("alice", ApiKeys.hash("alice-secret")).build();

        assertThat(refuse(keys, 401).log().refusal()).contains(Refusal.API_KEY);
    }

    @Test
    void aMissingBearerTokenIsJwt() {
        Jwt jwt = Jwt.builder().secret("0123456789abcdef0123456789abcdef").build();

        assertThat(refuse(jwt, 401).log().refusal()).contains(Refusal.JWT);
    }

    @Test
    void anAdmittedRequestIsNoRefusal() {
        RequestContext ctx = refuse(IpAccess.builder().allow("all").build(), 200);

        assertThat(ctx.log().refusal()).isEmpty();
    }

    @Test
    void filterRefusalsHaveCodesForTheAccessLogAndMetrics() {
        assertThat(Refusal.RATE_LIMITED.code()).isEqualTo("rate_limited");
        assertThat(Refusal.RATE_LIMITED.status()).isEqualTo(429);
        assertThat(Refusal.ACCESS_DENIED.status()).isEqualTo(403);
    }
}
