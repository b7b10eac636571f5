package dev.proxy4j.examples;

import dev.proxy4j.context.AttributeKey;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.server.ProxyServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asynchronous filter: each request's bearer token is checked with a token-introspection service
 * over HTTP before the request goes on. The call is the JDK's {@link HttpClient#sendAsync}, so its
 * answer comes on one of the client's threads; the filter chain brings the rest of the request back
 * to its event loop. An active token sends the backend {@code X-Subject}; an unknown one gets 401;
 * a service that does not answer within the timeout, or fails, gets 503. Nothing waits on a thread.
 * See docs/filters.md.
 */
public final class TokenIntrospectionExample {

    private static final Logger LOG = LoggerFactory.getLogger(TokenIntrospectionExample.class);

    /** Who the token belongs to, for the filters after this one. */
    static final AttributeKey<String> SUBJECT = AttributeKey.of("subject", String.class);

    private TokenIntrospectionExample() {
    }

    /** Checks {@code Authorization: Bearer <token>} with {@code service}, giving it {@code timeout} to answer. */
    static ProxyFilter introspection(URI service, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();  // one per filter, shared
        return (ctx, request, next) -> {
            String authorization = request.headers().get("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                return CompletableFuture.completedFuture(unauthorized());
            }
            HttpRequest check = HttpRequest.newBuilder(service.resolve("/introspect?token="
                            + URLEncoder.encode(authorization.substring(7), StandardCharsets.UTF_8)))
                    .timeout(timeout)                              // the client gives up too, not just our stage
                    .build();
            return client.sendAsync(check, HttpResponse.BodyHandlers.ofString())
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .<CompletionStage<ProxyResponse>>handle((answer, failure) -> {
                        // On an HttpClient thread (or the timeout's): proceeding from here is allowed;
                        // the chain runs the rest of the request on ctx.eventLoop().
                        if (failure != null || answer.statusCode() >= 500) {
                            // Here is where the failure is dealt with (503), so here is where it is logged.
                            LOG.warn("token introspection failed for request {}: {}", ctx.requestId(),
                                    failure != null ? failure.toString() : "status " + answer.statusCode());
                            return CompletableFuture.completedFuture(
                                    ProxyResponse.text(503, "503 Service Unavailable\n"));
                        }
                        if (answer.statusCode() != 200) {
                            return CompletableFuture.completedFuture(unauthorized());
                        }
                        String subject = answer.body().strip();
                        ctx.setAttr(SUBJECT, subject);
                        return next.proceed(request.toBuilder()
                                .headers(request.headers().toBuilder()
                                        .remove("Authorization")           // the backend trusts X-Subject instead
                                        .set("X-Subject", subject)
                                        .build())
                                .build());
                    })
                    .thenCompose(Function.identity());
        };
    }

    private static ProxyResponse unauthorized() {
        ProxyResponse text = ProxyResponse.text(401, "401 Unauthorized\n");
        return text.toBuilder()
                .headers(text.headers().toBuilder().set("WWW-Authenticate", "Bearer").build())
                .build();
    }

    /** A started proxy on {@code port} (0 for a free one) that checks tokens with {@code service} before {@code backend}. */
    static ProxyServer start(int port, String backend, URI service, Duration timeout) {
        return ProxyServer.builder()
                .listen("127.0.0.1", port)
                .route(r -> r.pathPrefix("/").filter(introspection(service, timeout)).upstream(backend))
                .build()
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server backend = HeaderRulesExample.echoBackend();
        IntrospectionService service = IntrospectionService.start(Map.of("t-alice", "alice", "t-bob", "bob"));
        ProxyServer proxy = start(port, Quickstart.uri(backend), service.uri(), Duration.ofSeconds(1));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop();
            Quickstart.stopQuietly(backend);
            Quickstart.stopQuietly(service.server());
        }));
        int p = proxy.port();
        System.out.printf("""
                proxy on port %d, introspection service at %s; try:
                  curl -i -H 'Authorization: Bearer t-alice' http://127.0.0.1:%d/orders   (backend sees X-Subject: alice)
                  curl -i -H 'Authorization: Bearer nope' http://127.0.0.1:%d/orders      (401)
                  curl -i -H 'Authorization: Bearer slow' http://127.0.0.1:%d/orders      (503 after 1 s)
                """, p, service.uri(), p, p, p);
    }

    /**
     * The simulated token-introspection service: {@code GET /introspect?token=T} answers 200 with the
     * subject of a known token, 404 for an unknown one; the token {@code slow} is answered after 5 s.
     * It counts the calls.
     */
    record IntrospectionService(Server server, AtomicInteger calls) {

        static IntrospectionService start(Map<String, String> subjects) throws Exception {
            AtomicInteger calls = new AtomicInteger();
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract.NonBlocking() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    calls.incrementAndGet();
                    String token = Request.extractQueryParameters(request).getValue("token");
                    String subject = subjects.get(token);
                    Runnable answer = () -> {
                        response.setStatus(subject == null ? 404 : 200);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                        response.write(true, ByteBuffer.wrap((subject == null ? "" : subject + "\n")
                                .getBytes(StandardCharsets.UTF_8)), callback);
                    };
                    if ("slow".equals(token)) {
                        request.getComponents().getScheduler().schedule(answer, 5, TimeUnit.SECONDS);
                    } else {
                        answer.run();
                    }
                    return true;
                }
            });
            server.start();
            return new IntrospectionService(server, calls);
        }

        URI uri() {
            return URI.create(Quickstart.uri(server));
        }
    }
}
