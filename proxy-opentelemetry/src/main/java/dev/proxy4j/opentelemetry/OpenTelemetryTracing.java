package dev.proxy4j.opentelemetry;

import dev.proxy4j.context.AttributeKey;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.trace.ProxyTracing;
import dev.proxy4j.trace.RequestTrace;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's own spans on the application's {@link OpenTelemetry}:
 *
 * <pre>{@code
 * ProxyServer.builder().listen(8080).tracing(OpenTelemetryTracing.of(openTelemetry))...
 * }</pre>
 *
 * <ul>
 *   <li>one SERVER span per request, from its head read to the exchange's end, child of the
 *       client's {@code traceparent} when it sent one; named {@code GET /api/*} (method and
 *       {@code http.route}); attributes {@code http.request.method}, {@code url.scheme},
 *       {@code url.path}, {@code server.address}, {@code server.port}, {@code client.address},
 *       {@code network.protocol.version}, {@code user_agent.original}, {@code http.route},
 *       {@code http.response.status_code}, {@code error.type}, and {@code proxy4j.request.id} (the
 *       {@code X-Request-Id} of the access log), {@code proxy4j.route}, {@code proxy4j.upstream};
 *       status ERROR for a 5xx;
 *   <li>one CLIENT span per attempt at a backend (a retry is a span of its own, with
 *       {@code http.request.resend_count}), child of the SERVER span, to the backend's response
 *       head or failure: {@code http.request.method}, {@code server.address} and {@code server.port}
 *       of the endpoint, {@code url.full}, {@code network.peer.address} for a resolved name,
 *       {@code http.response.status_code}, {@code error.type}; status ERROR for a 4xx, 5xx or failure;
 *   <li>the CLIENT span's context sent to the backend as {@code traceparent} (and
 *       {@code tracestate}), replacing the client's, with the instance's propagators (W3C trace
 *       context when it has none).
 * </ul>
 *
 * <p>Spans are started and ended on the request's event loop or the backend client's threads: give
 * the SDK a batching span processor (its default through autoconfigure), not a simple one, whose
 * export would run there. The SERVER span is in the request's context under {@link #SPAN}.
 */
public final class OpenTelemetryTracing implements ProxyTracing {

    /** The request's SERVER span, for filters that add events or attributes of their own. */
    public static final AttributeKey<Span> SPAN = AttributeKey.of("opentelemetry.span", Span.class);

    static final String INSTRUMENTATION = "dev.proxy4j";

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> names = new ArrayList<>(carrier.size());
            for (int i = 0; i < carrier.size(); i++) {
                names.add(carrier.name(i));
            }
            return names;
        }

        @Override
        public @Nullable String get(@Nullable Headers carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final @Nullable OpenTelemetry openTelemetry;
    private volatile @Nullable Bound bound;

    /** What spans are made with: resolved once (for {@link #global()}, at the first request). */
    record Bound(Tracer tracer, TextMapPropagator propagator) {
    }

    private OpenTelemetryTracing(@Nullable OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
    }

    /** Spans on {@code openTelemetry}'s tracer provider, propagated with its propagators (W3C when it has none). */
    public static OpenTelemetryTracing of(OpenTelemetry openTelemetry) {
        return new OpenTelemetryTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /**
     * Spans on {@link GlobalOpenTelemetry}, looked up at the first request (so that an application
     * or the Java agent may set it after the proxy is built); {@code tracing: opentelemetry} in a config file.
     */
    public static OpenTelemetryTracing global() {
        return new OpenTelemetryTracing(null);
    }

    @Override
    public RequestTrace start(ProxyRequest request, RequestContext ctx) {
        Bound b = bound();
        Context parent = b.propagator().extract(Context.root(), request.headers(), HEADERS);
        ServerSpan trace = new ServerSpan(b, parent, request, ctx);
        ctx.setAttr(SPAN, trace.span());
        return trace;
    }

    private Bound bound() {
        Bound b = bound;
        if (b == null) {
            OpenTelemetry otel = openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.get();
            TextMapPropagator propagator = otel.getPropagators().getTextMapPropagator();
            if (propagator.fields().isEmpty()) {
                // An SDK built without propagators would send nothing: W3C trace context is what the proxy promises.
                propagator = W3CTraceContextPropagator.getInstance();
            }
            b = new Bound(otel.getTracer(INSTRUMENTATION), propagator);
            bound = b;
        }
        return b;
    }

    @Override
    public String toString() {
        return openTelemetry == null ? "opentelemetry (global)" : "opentelemetry";
    }
}
