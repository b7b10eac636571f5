package dev.proxy4j.waf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.http.Bodies;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.log.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The filter: scoring against the threshold, blocking or detecting, exclusions, bodies read ahead and passed on. */
class WafTest {

    private final List<ProxyRequest> forwarded = new ArrayList<>();
    private final List<String> forwardedBodies = new ArrayList<>();

    private ProxyResponse run(Waf waf, RequestContext ctx, ProxyRequest request) throws Exception {
        return waf.filter(ctx, request, passed -> {
            forwarded.add(passed);
            return Bodies.aggregate(passed.body(), 10_000_000).thenApply(bytes -> {
                forwardedBodies.add(bytes.toUtf8());
                return ProxyResponse.text(200, "ok");
            });
        }).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static ProxyRequest get(String target) {
        return ProxyRequest.builder().pathAndQuery(target).build();
    }

    @Test
    void blockingAnswers403WithNoWordOfTheRuleAndRecordsTheRefusal() throws Exception {
        RequestContext ctx = TestContexts.direct();

        ProxyResponse response = run(Waf.block(), ctx, get("/search?q=%27%20OR%201%3D1--"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(((Body.Bytes) response.body()).toUtf8()).isEqualTo("403 Forbidden\nrequest blocked\n");
        assertThat(response.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(forwarded).isEmpty();
        assertThat(ctx.log().refusal()).contains(Refusal.WAF);
        WafVerdict verdict = ctx.attr(Waf.VERDICT).orElseThrow();
        assertThat(verdict.blocked()).isTrue();
        assertThat(verdict.score()).isGreaterThanOrEqualTo(5);
        assertThat(verdict.matches()).extracting(WafMatch::part).containsOnly("query:q");
    }

    @Test
    void detectionOnlyLetsTheRequestGoOnAndLeavesTheVerdict() throws Exception {
        RequestContext ctx = TestContexts.direct();

        ProxyResponse response = run(Waf.detect(), ctx, get("/search?q=%27%20OR%201%3D1--"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(forwarded).hasSize(1);
        assertThat(ctx.log().refusal()).isEmpty();
        WafVerdict verdict = ctx.attr(Waf.VERDICT).orElseThrow();
        assertThat(verdict.anomalous()).isTrue();
        assertThat(verdict.blocked()).isFalse();
    }

    @Test
    void aCleanRequestPassesUntouchedWithNoVerdict() throws Exception {
        RequestContext ctx = TestContexts.direct();
        ProxyRequest request = get("/search?q=O%27Brien");

        assertThat(run(Waf.block(), ctx, request).status()).isEqualTo(200);

        assertThat(forwarded).containsExactly(request);
        assertThat(ctx.attr(Waf.VERDICT)).isEmpty();
    }

    @Test
    void severitiesAddUpAgainstTheThresholdAndEachRuleCountsOncePerRequest() throws Exception {
        Waf waf = Waf.builder().mode(WafMode.BLOCK)
                .rule(WafRule.of("app-100", Severity.NOTICE, 1, "beta flag", Pattern.compile("beta"), Target.ARG))
                .rule(WafRule.of("app-110", Severity.WARNING, 1, "debug flag", Pattern.compile("debug"), Target.ARG))
                .build();

        // a notice, twice (counted once): 2 < 5
        assertThat(run(waf, TestContexts.direct(), get("/x?a=beta&b=beta")).status()).isEqualTo(200);
        // a notice and a warning: 2 + 3 = 5
        RequestContext ctx = TestContexts.direct();
        assertThat(run(waf, ctx, get("/x?a=beta&b=debug")).status()).isEqualTo(403);
        assertThat(ctx.attr(Waf.VERDICT).orElseThrow().score()).isEqualTo(5);
        // a higher threshold lets the same through
        assertThat(run(waf.toBuilder().threshold(6).build(), TestContexts.direct(), get("/x?a=beta&b=debug")).status())
                .isEqualTo(200);
    }

    @Test
    void exclusionsByIdAndByFamily() throws Exception {
        String target = "/search?q=%3Cscript%3Ealert(1)%3C/script%3E";
        Waf waf = Waf.block();
        List<String> ids = waf.inspect(get(target)).matches().stream().map(WafMatch::ruleId).toList();
        assertThat(ids).contains("xss-100");

        assertThat(run(waf.withExclusions(List.of("xss")), TestContexts.direct(), get(target)).status()).isEqualTo(200);
        Waf withoutOne = waf.withExclusions(List.of("xss-100"));
        assertThat(withoutOne.inspect(get(target)).matches()).extracting(WafMatch::ruleId).doesNotContain("xss-100");
        assertThat(withoutOne.exclusions()).containsExactly("xss-100");
    }

    @Test
    void badSettingsFailAtBuildNamingThem() {
        assertThatThrownBy(() -> Waf.builder().exclude("sqli-999").build())
                .hasMessageStartingWith("waf exclusion: \"sqli-999\" (expected: a rule id such as sqli-110, or a family: [");
        assertThatThrownBy(() -> Waf.builder().paranoia(5)).hasMessage("paranoia: 5 (expected: 1..4)");
        assertThatThrownBy(() -> Waf.builder().threshold(0)).hasMessage("threshold: 0 (expected: 1..10000)");
        assertThatThrownBy(() -> Waf.builder().bodyLimit(-1)).hasMessage("bodyLimit: -1 (expected: 0..1048576)");
        assertThatThrownBy(() -> WafMode.parse("deny")).hasMessage("waf mode: \"deny\" (expected: detect or block)");
        assertThatThrownBy(() -> Waf.builder().rule(WafRule.of("sqli-100", Severity.NOTICE, 1, "x", Pattern.compile("x"), Target.ARG)))
                .hasMessage("rule id: \"sqli-100\" (expected: one not already used)");
    }

    @Test
    void paranoiaSelectsRules() {
        assertThat(Waf.block().activeRules()).allMatch(rule -> rule.paranoia() == 1);
        assertThat(Waf.builder().paranoia(2).build().activeRules()).anyMatch(rule -> rule.paranoia() == 2)
                .hasSizeGreaterThan(Waf.block().activeRules().size());
    }

    private static ProxyRequest post(String contentType, Body body) {
        return ProxyRequest.builder().method("POST").path("/api/comments")
                .headers(Headers.of("Content-Type", contentType)).body(body).build();
    }

    @Test
    void jsonAndFormBodiesAreInspected() throws Exception {
        RequestContext ctx = TestContexts.direct();
        ProxyResponse response = run(Waf.block(), ctx,
                post("application/json", Body.ofUtf8("{\"post\":7,\"text\":\"${jndi:ldap://x/a}\"}")));
        assertThat(response.status()).isEqualTo(403);
        assertThat(ctx.attr(Waf.VERDICT).orElseThrow().matches()).extracting(WafMatch::part).contains("body:text");

        assertThat(run(Waf.block(), TestContexts.direct(),
                post("application/x-www-form-urlencoded", Body.ofUtf8("user=admin%27--&pass=x"))).status()).isEqualTo(403);
        assertThat(forwarded).isEmpty();
    }

    @Test
    void aBenignBodyReachesTheBackendWholeAndOtherTypesAreNotInspected() throws Exception {
        String json = "{\"text\":\"O'Brien's review: 5 stars\"}";
        assertThat(run(Waf.block(), TestContexts.direct(), post("application/json", Body.ofUtf8(json))).status())
                .isEqualTo(200);
        assertThat(forwardedBodies).containsExactly(json);

        String script = "<script>alert(1)</script>";
        assertThat(run(Waf.block(), TestContexts.direct(), post("text/plain", Body.ofUtf8(script))).status()).isEqualTo(200);
        ProxyRequest gzipped = post("application/json", Body.ofUtf8(script)).toBuilder()
                .headers(Headers.of("Content-Type", "application/json", "Content-Encoding", "gzip")).build();
        assertThat(run(Waf.block(), TestContexts.direct(), gzipped).status()).isEqualTo(200);
    }

    @Test
    void onlyTheBodyLimitIsReadAheadAndTheRestStreamsOnUninspected() throws Exception {
        StringBuilder big = new StringBuilder("{\"filler\":\"");
        big.append("a".repeat(200));
        big.append("\",\"late\":\"<script>alert(1)</script>\"}");
        Waf waf = Waf.builder().mode(WafMode.BLOCK).bodyLimit(100).build();
        ChunkedBody body = new ChunkedBody(big.toString(), 30);

        int[] readWhenForwarded = new int[1];
        ProxyResponse response = waf.filter(TestContexts.direct(), post("application/json", body), passed -> {
            readWhenForwarded[0] = body.position;
            return Bodies.aggregate(passed.body(), 10_000).thenApply(bytes -> {
                forwardedBodies.add(bytes.toUtf8());
                return ProxyResponse.text(200, "ok");
            });
        }).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(200); // the script is past the limit
        assertThat(forwardedBodies).containsExactly(big.toString());
        // read ahead: the limit, and no more than the rest of the chunk that crossed it
        assertThat(readWhenForwarded[0]).isEqualTo(120);

        // within the limit, the same is found
        assertThat(run(Waf.builder().mode(WafMode.BLOCK).build(), TestContexts.direct(),
                post("application/json", new ChunkedBody(big.toString(), 30))).status()).isEqualTo(403);
    }

    /** A body of 'size'-byte chunks that says how far it was read. */
    private static final class ChunkedBody implements Body {
        private final byte[] bytes;
        private final int size;
        int position;

        ChunkedBody(String text, int size) {
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
            this.size = size;
        }

        @Override
        public long length() {
            return -1;
        }

        @Override
        public dev.proxy4j.http.Chunk read() {
            int end = Math.min(bytes.length, position + size);
            dev.proxy4j.http.Chunk chunk = dev.proxy4j.http.Chunk.of(
                    java.nio.ByteBuffer.wrap(bytes, position, end - position), end == bytes.length);
            position = end;
            return chunk;
        }

        @Override
        public void demand(Runnable onReady) {
            onReady.run();
        }

        @Override
        public void fail(Throwable failure) {
        }
    }

    @Test
    void matchesAreEscapedAndCutForTheLog() {
        WafMatch match = new WafMatch("protocol-150", Severity.CRITICAL, "query:q\u0000", "\r\nSet-Cookie: " + "x".repeat(100));
        assertThat(match.toString()).startsWith("protocol-150 +5 query:q\\x00 \"\\x0d\\x0aSet-Cookie: xxx")
                .endsWith("...\"").doesNotContain("\r", "\n");
    }
}
