package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.EscapedSlashes;
import dev.proxy4j.log.AccessLog;
import dev.proxy4j.log.Refusal;
import dev.proxy4j.log.RequestLog;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Routes and filters see the path the backend will act on, so that encoding cannot walk around a
 * route: {@code /private} goes to one backend, everything else to another.
 */
class PathNormalizationTest {

    private final BlockingQueue<RequestLog> logs = new LinkedBlockingQueue<>();
    private final List<String> filtered = new CopyOnWriteArrayList<>();
    private TestBackend privateBackend;
    private TestBackend publicBackend;
    private ProxyServer proxy;

    @BeforeEach
    void startBackends() throws Exception {
        privateBackend = TestBackend.answering("private");
        publicBackend = TestBackend.answering("public");
    }

    private void startProxy(Consumer<ProxyServer.Builder> settings) {
        ProxyServer.Builder builder = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .requestLogListener(logs::add)
                .filter((ctx, request, next) -> {
                    filtered.add(request.path());
                    return next.proceed(request);
                })
                .route(r -> r.pathPrefix("/private").upstream(privateBackend.uri()))
                .route(r -> r.pathPrefix("/").upstream(publicBackend.uri()));
        settings.accept(builder);
        proxy = builder.build().start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        privateBackend.close();
        publicBackend.close();
    }

    private String get(String target) throws Exception {
        return RawHttp.exchange(proxy.port(), "GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest
    @CsvSource({
        "/%70rivate/x, /private/x",
        "/%70%72%69%76%61%74%65/x?q=%2F, /private/x?q=%2F",
        "/public/%2e%2e/private/x, /private/x",
        "/public/../private/x, /private/x",
        "//private//x, /private/x",
        "/./private/./x, /private/x",
    })
    void matchesRoutesOnTheNormalisedPathAndForwardsIt(String target, String forwarded) throws Exception {
        startProxy(b -> { });

        String response = get(target);

        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("private");
        assertThat(privateBackend.take().pathQuery()).isEqualTo(forwarded);
        assertThat(filtered).containsExactly(forwarded.replaceAll("\\?.*", ""));
        assertThat(publicBackend.received()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void normalisesOverEitherProtocol(Clients protocol) throws Exception {
        startProxy(b -> { });
        HttpClient client = protocol.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/%70rivate/x")
                    .timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getContentAsString()).isEqualTo("private");
            assertThat(privateBackend.take().pathQuery()).isEqualTo("/private/x");
        } finally {
            client.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/private%2Fx", "/public%2F..%2Fprivate/x", "/private%5cx"})
    void refusesEncodedSlashesAndBackslashesByDefaultSayingWhy(String target) throws Exception {
        startProxy(b -> { });

        String response = get(target);

        assertThat(response).startsWith("HTTP/1.1 400 ").endsWith("400 Bad Request\nencoded slash or backslash in path\n");
        RequestLog log = logs.poll(10, TimeUnit.SECONDS);
        assertThat(log.refusal()).contains(Refusal.ESCAPED_SLASH);
        assertThat(AccessLog.format(log)).contains("\" 400 ").endsWith(" refused=escaped_slash");
        assertThat(privateBackend.received() + publicBackend.received()).isZero();
        assertThat(filtered).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/private;x=1/data", "/private/data;jsessionid=abc", "/;/private", "/private;/data"})
    void refusesPathParametersByDefaultSayingWhy(String target) throws Exception {
        startProxy(b -> { });

        String response = get(target);

        assertThat(response).startsWith("HTTP/1.1 400 ").endsWith("400 Bad Request\npath parameter (;) in path\n");
        RequestLog log = logs.poll(10, TimeUnit.SECONDS);
        assertThat(log.refusal()).contains(Refusal.PATH_PARAMETER);
        assertThat(AccessLog.format(log)).contains("\" 400 ").endsWith(" refused=path_parameter");
        assertThat(privateBackend.received() + publicBackend.received()).isZero();
        assertThat(filtered).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void refusesPathParametersOverEitherProtocol(Clients protocol) throws Exception {
        startProxy(b -> { });
        HttpClient client = protocol.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", proxy.port()).path("/private;x=1/data")
                    .timeout(10, TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.getContentAsString()).isEqualTo("400 Bad Request\npath parameter (;) in path\n");
            assertThat(privateBackend.received() + publicBackend.received()).isZero();
        } finally {
            client.stop();
        }
    }

    @Test
    void forwardsPathParametersAsTheyCameWhenAllowed() throws Exception {
        startProxy(b -> b.allowPathParameters(true));

        String response = get("/private;x=1/data?q=1");

        // The route sees the segment "private;x=1": not the /private prefix, as nginx's locations.
        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("public");
        assertThat(publicBackend.take().pathQuery()).isEqualTo("/private;x=1/data?q=1");
        assertThat(filtered).containsExactly("/private;x=1/data");
    }

    @Test
    void keepsEncodedSlashesAsPartOfASegmentWhenAskedTo() throws Exception {
        startProxy(b -> b.escapedSlashes(EscapedSlashes.KEEP));

        String response = get("/private%2fx");

        assertThat(response).endsWith("public");
        assertThat(publicBackend.take().pathQuery()).isEqualTo("/private%2Fx");
    }

    @Test
    void decodesEncodedSlashesBeforeRoutingWhenAskedTo() throws Exception {
        startProxy(b -> b.escapedSlashes(EscapedSlashes.DECODE));

        String response = get("/public%2F..%2Fprivate/x");

        assertThat(response).endsWith("private");
        assertThat(privateBackend.take().pathQuery()).isEqualTo("/private/x");
    }

    @ParameterizedTest
    @EnumSource(EscapedSlashes.class)
    void aRawBackslashIsRefusedByJettysParserWhateverTheSetting(EscapedSlashes action) throws Exception {
        startProxy(b -> b.escapedSlashes(action));

        String response = get("/private\\x");

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(logs.poll(10, TimeUnit.SECONDS).refusal()).contains(Refusal.PARSER);
        assertThat(privateBackend.received() + publicBackend.received()).isZero();
    }

    @Test
    void refusesEmptySegmentsWhenSlashesAreNotMerged() throws Exception {
        startProxy(b -> b.mergeSlashes(false));

        String response = get("//private/x");

        assertThat(response).startsWith("HTTP/1.1 400 ").endsWith("400 Bad Request\nempty segment in path\n");
        assertThat(logs.poll(10, TimeUnit.SECONDS).refusal()).contains(Refusal.EMPTY_SEGMENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/a/%2e%2e/%2e%2e/private", "/a%00b", "/private\\x", "/a%zz", "/public/..;/private/data"})
    void whatJettysParserRefusesIsA400LoggedAsSuch(String target) throws Exception {
        startProxy(b -> { });

        String response = get(target);

        assertThat(response).startsWith("HTTP/1.1 400 ").endsWith("400 Bad Request\n");
        RequestLog log = logs.poll(10, TimeUnit.SECONDS);
        assertThat(log.refusal()).contains(Refusal.PARSER);
        assertThat(AccessLog.format(log)).endsWith(" refused=parser");
        assertThat(privateBackend.received() + publicBackend.received()).isZero();
    }

    @Test
    void leavesAPathThatNeedsNothingAsItCame() throws Exception {
        startProxy(b -> b.allowPathParameters(true));

        String response = get("/private/a;b=c/~x?y=%2F");

        assertThat(response).endsWith("private");
        assertThat(privateBackend.take().pathQuery()).isEqualTo("/private/a;b=c/~x?y=%2F");
    }
}
