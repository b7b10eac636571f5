package dev.proxy4j.opentelemetry;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.log.RequestLog;
import dev.proxy4j.route.PathMatcher;
import dev.proxy4j.route.RequestPredicate;
import dev.proxy4j.route.Route;
import dev.proxy4j.trace.AttemptTrace;
import dev.proxy4j.trace.RequestTrace;
import dev.proxy4j.upstream.Endpoint;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One request's SERVER span: started with the request, ended with the exchange. */
final class ServerSpan implements RequestTrace {

    private final OpenTelemetryTracing.Bound bound;
    private final Span span;
    private final Context context;
    private final RequestContext ctx;
    private final String method;

    ServerSpan(OpenTelemetryTracing.Bound bound, Context parent, ProxyRequest request, RequestContext ctx) {
        this.bound = bound;
        this.ctx = ctx;
        this.method = SemConv.method(request.method());
        SpanBuilder builder = bound.tracer().spanBuilder(method.equals(SemConv.OTHER) ? "HTTP" : method)
                .setSpanKind(SpanKind.SERVER)
                .setParent(parent);
        SemConv.method(builder, request.method());
        builder.setAttribute(SemConv.URL_SCHEME, request.scheme())
                .setAttribute(SemConv.URL_PATH, request.path())
                .setAttribute(SemConv.CLIENT_ADDRESS, request.clientAddress())
                .setAttribute(SemConv.NETWORK_PROTOCOL_VERSION, SemConv.protocolVersion(request.protocol()))
                .setAttribute(SemConv.REQUEST_ID, ctx.requestId());
        SemConv.serverAddress(builder, request.authority(), request.scheme());
        String userAgent = request.headers().get("User-Agent");
        if (userAgent != null) {
            builder.setAttribute(SemConv.USER_AGENT, userAgent);
        }
        this.span = builder.startSpan();
        this.context = parent.with(span);
    }

    Span span() {
        return span;
    }

    @Override
    public AttemptTrace attempt(ProxyRequest request, Endpoint endpoint, int attempt) {
        return new ClientSpan(bound, context, request, endpoint, attempt);
    }

    @Override
    public void end(RequestLog log) {
        Optional<Route> route = ctx.route();
        String template = route.map(ServerSpan::template).orElse(null);
        if (template != null) {
            span.setAttribute(SemConv.HTTP_ROUTE, template);
            span.updateName((method.equals(SemConv.OTHER) ? "HTTP" : method) + ' ' + template);
        }
        log.route().ifPresent(name -> span.setAttribute(SemConv.PROXY_ROUTE, name));
        log.upstream().ifPresent(name -> span.setAttribute(SemConv.PROXY_UPSTREAM, name));
        int status = log.status();
        if (status > 0) {
            span.setAttribute(SemConv.HTTP_STATUS, status);
        }
        String error = log.failure().map(kind -> kind.name().toLowerCase(Locale.ROOT))
                .orElse(status >= 500 ? Integer.toString(status) : null);
        if (error != null) {
            span.setAttribute(SemConv.ERROR_TYPE, error);
        }
        if (status >= 500 || (status == 0 && error != null)) {
            span.setStatus(StatusCode.ERROR);
        }
        log.refusal().ifPresent(refusal -> span.setAttribute(SemConv.PROXY_REFUSAL, refusal.code()));
        span.end();
    }

    /**
     * The route's path as {@code http.route} wants it, low-cardinality: an exact path or a template
     * as written, a prefix with {@code *} after it, a regex as written; none for a route with no
     * path predicate.
     */
    static @Nullable String template(Route route) {
        for (RequestPredicate predicate : route.predicates()) {
            if (predicate instanceof PathMatcher path) {
                return switch (path.kind()) {
                    case PREFIX -> path.pattern().endsWith("/") ? path.pattern() + '*' : path.pattern() + "/*";
                    case EXACT, TEMPLATE, REGEX -> path.pattern();
                };
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ServerSpan[" + span.getSpanContext().getTraceId() + '/' + span.getSpanContext().getSpanId() + ']';
    }
}
