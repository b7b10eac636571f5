package dev.proxy4j.opentelemetry;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.trace.AttemptTrace;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.UpstreamFailure;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** One attempt's CLIENT span: from the attempt's start to the backend's response head or failure. */
final class ClientSpan implements AttemptTrace {

    private final OpenTelemetryTracing.Bound bound;
    private final Span span;

    ClientSpan(OpenTelemetryTracing.Bound bound, Context parent, ProxyRequest request, Endpoint endpoint,
            int attempt) {
        this.bound = bound;
        String method = SemConv.method(request.method());
        URI uri = endpoint.uri();
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        SpanBuilder builder = bound.tracer().spanBuilder(method.equals(SemConv.OTHER) ? "HTTP" : method)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setAttribute(SemConv.SERVER_ADDRESS, endpoint.host())
                .setAttribute(SemConv.SERVER_PORT, port)
                .setAttribute(SemConv.URL_FULL, uri.getScheme() + "://" + endpoint.authority() + request.pathAndQuery());
        SemConv.method(builder, request.method());
        if (attempt > 1) {
            builder.setAttribute(SemConv.RESEND_COUNT, attempt - 1);
        }
        InetAddress address = endpoint.address();
        if (address != null) {
            builder.setAttribute(SemConv.NETWORK_PEER_ADDRESS, address.getHostAddress());
        }
        this.span = builder.startSpan();
    }

    @Override
    public void inject(BiConsumer<String, String> header) {
        bound.propagator().inject(Context.root().with(span), header, (to, name, value) -> {
            if (to != null) {
                to.accept(name, value);
            }
        });
    }

    @Override
    public void end(int status, UpstreamFailure.@Nullable Kind failure) {
        if (status > 0) {
            span.setAttribute(SemConv.HTTP_STATUS, status);
        }
        String error = failure != null ? failure.name().toLowerCase(Locale.ROOT)
                : status >= 400 ? Integer.toString(status) : null;
        if (error != null) {
            span.setAttribute(SemConv.ERROR_TYPE, error);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    @Override
    public String toString() {
        return "ClientSpan[" + span.getSpanContext().getSpanId() + ']';
    }
}
