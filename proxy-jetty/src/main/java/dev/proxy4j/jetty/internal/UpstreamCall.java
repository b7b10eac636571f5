package dev.proxy4j.jetty.internal;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.grpc.Grpc;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.route.Timeouts;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.log.Attempt;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.Outcome;
import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.Selection;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamFailure;
import dev.proxy4j.trace.AttemptTrace;
import dev.proxy4j.trace.RequestTrace;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's way to one upstream: an endpoint selected, an attempt made, and, while the
 * upstream's {@link RetryPolicy} and retry budget allow it, another attempt (on an endpoint not
 * yet tried while one is left) at once when it is the first and goes to an endpoint not tried yet,
 * otherwise after the policy's backoff or the response's Retry-After, waited for on the request's
 * loop, never by sleeping. A retry only ever replaces an answer the client has
 * not seen: once a response goes on to the filters, it is the answer. Every selection is completed with its outcome, once: a failed attempt
 * when it fails, the one that answered when the client's exchange ends. Each attempt goes in the
 * request log.
 */
final class UpstreamCall {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);

    private final AttemptHost exchange;
    private final RequestContext ctx;
    private final RouteRuntime route;
    private final UpstreamRuntime upstream;
    private final String upgrade;
    private final CompletableFuture<ProxyResponse> result = new CompletableFuture<>();
    /** The one endpoint tried while there is one; then {@link #triedSet} has them all (most requests make one attempt). */
    private @Nullable Endpoint firstTried;
    private @Nullable Set<Endpoint> triedSet;
    private int attempts;
    private org.eclipse.jetty.client.Request.@Nullable Content lastContent;
    /** When the client's grpc-timeout runs out, on the exchange's ticker; null for none. */
    private @Nullable Long grpcDeadline;

    /** {@code upgrade}: the protocol to ask the backend to switch to (a tunnel on 101), or {@code ""}. */
    UpstreamCall(AttemptHost exchange, RequestContext ctx, RouteRuntime route, UpstreamRuntime upstream,
            String upgrade) {
        this.exchange = exchange;
        this.ctx = ctx;
        this.route = route;
        this.upstream = upstream;
        this.upgrade = upgrade;
    }

    CompletionStage<ProxyResponse> send(ProxyRequest request) {
        if (Grpc.isGrpc(request)) {
            grpcDeadline = Grpc.timeout(request.headers().get("grpc-timeout"))
                    .map(timeout -> exchange.ticker().nanos() + timeout.toNanos()).orElse(null);
        }
        Optional<Selection> first;
        try {
            first = upstream.upstream().select(ctx, request, Set.of());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (first.isEmpty()) {
            return CompletableFuture.failedFuture(noEndpoint());
        }
        attempt(request, first.get());
        return result;
    }

    private UpstreamFailure noEndpoint() {
        return new UpstreamFailure(UpstreamFailure.Kind.NO_ENDPOINT,
                "no endpoint of " + upstream.upstream().name() + " to send to");
    }

    private void attempt(ProxyRequest request, Selection selection) {
        attempt(request, selection, false);
    }

    /**
     * {@code newConnection}: the same selection sent again on a connection of its own after its
     * kept-alive one failed ({@link RetryPolicy#retryOnNewConnection}); not counted as an attempt.
     */
    private void attempt(ProxyRequest request, Selection selection, boolean newConnection) {
        Endpoint chosen = selection.endpoint();
        if (!newConnection) {
            tried(chosen);
            attempts++;
        }
        Timeouts timeouts = timeouts();
        BackendAttempt attempt = new BackendAttempt(upstream, chosen, timeouts,
                route.route().tunnelIdleTimeout().orElse(timeouts.idle()), route.route().hostHeader(),
                exchange.loop(), exchange.backendIdentity());
        if (newConnection) {
            attempt.onNewConnection();
        }
        upstream.upstream().proxyProtocol().ifPresent(version -> {
            org.eclipse.jetty.server.ConnectionMetaData client = exchange.clientConnection();
            attempt.tag(ProxyProtocolTags.of(version, client), client == null ? null : client.getConnection());
        });
        attempt.clientFields(exchange.clientFields());
        exchange.attempting(attempt);
        org.eclipse.jetty.client.Request.@Nullable Content content = content(request);
        lastContent = content;
        AttemptTrace traced = attemptTrace(request, chosen);
        if (request.body() instanceof ClientBody client && upstream.upstream().protocol() == dev.proxy4j.upstream.UpstreamProtocol.HTTP_2) {
            // Request trailers (gRPC's, say) go on to an HTTP/2 backend. Not to HTTP/1.1 ones: Jetty's client
            // would make every request with a trailers supplier chunked, Content-Length or not.
            attempt.trailers(client.content()::trailers);
        }
        attempt.send(request, content, upgrade, traced, (response, failure) -> {
            long took = selection.elapsedNanos();
            if (traced != AttemptTrace.NONE) {
                endTrace(traced, response, failure);
            }
            try {
                if (response != null) {
                    onResponse(request, selection, response, took);
                } else if (!newConnection && attempt.failedOnStaleConnection()
                        && onStaleConnection(request, selection, Objects.requireNonNull(failure, "failure"), took)) {
                    return;
                } else {
                    onFailed(request, selection, Objects.requireNonNull(failure, "failure"), took);
                }
            } catch (RuntimeException e) {
                // A selector or policy that broke its contract: the request must not hang on it.
                if (!selection.isComplete()) {
                    selection.complete(Outcome.abandoned(took));
                }
                if (response != null) {
                    response.body().fail(e);
                }
                result.completeExceptionally(e);
            }
        });
    }

    private AttemptTrace attemptTrace(ProxyRequest request, Endpoint endpoint) {
        RequestTrace trace = exchange.trace();
        if (trace == RequestTrace.NONE) {
            return AttemptTrace.NONE;
        }
        try {
            return trace.attempt(request, endpoint, attempts);
        } catch (RuntimeException e) {
            LOG.warn("tracing an attempt of {} failed", request, e);
            return AttemptTrace.NONE;
        }
    }

    private static void endTrace(AttemptTrace traced, @Nullable ProxyResponse response,
            @Nullable UpstreamFailure failure) {
        try {
            traced.end(response != null ? response.status() : 0, failure != null ? failure.kind() : null);
        } catch (RuntimeException e) {
            LOG.warn("tracing the end of an attempt failed", e);
        }
    }

    /**
     * The route's timeouts, the total one shortened to what is left of the client's grpc-timeout:
     * the deadline holds for the whole call, retries included (gRPC's semantics).
     */
    private Timeouts timeouts() {
        Timeouts timeouts = route.timeouts();
        Long deadline = grpcDeadline;
        if (deadline == null) {
            return timeouts;
        }
        Duration left = Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - exchange.ticker().nanos()));
        return timeouts.total().isZero() || left.compareTo(timeouts.total()) < 0 ? timeouts.withTotal(left) : timeouts;
    }

    /**
     * The body as this attempt sends it: the client's own through its replay, so that a retry can
     * send it again. Only a method the policy may repeat after sending keeps a copy: any other is
     * retried only when none of it went, which needs none.
     */
    private org.eclipse.jetty.client.Request.@Nullable Content content(ProxyRequest request) {
        if (request.body() instanceof ClientBody client) {
            RetryPolicy policy = upstream.upstream().retryPolicy();
            long keep = policy.maxAttempts() > 1 && policy.idempotentMethods().contains(request.method())
                    ? policy.maxReplayBodyBytes() : 0;
            return client.attemptContent(keep, ctx.eventLoop());
        }
        return BackendAttempt.content(request.body());
    }

    private void onResponse(ProxyRequest request, Selection selection, ProxyResponse response, long took) {
        exchange.log().upstream(upstream.upstream().name());
        exchange.log().attempt(new Attempt(selection.endpoint(), response.status(), null, took));
        Body body = response.body();
        Outcome outcome = Outcome.response(response.status(), took);
        RetryPolicy policy = upstream.upstream().retryPolicy();
        if (policy.retriesOnStatus(response.status()) && !(body instanceof TunnelBody)) {
            Optional<Selection> next = retry(request, outcome);
            Optional<Duration> delay = next.flatMap(n -> delay(n, response.headers().get("Retry-After")));
            if (delay.isPresent()) {
                LOG.debug("retrying {} after status {} in {}", request, response.status(), delay.get());
                selection.complete(outcome);
                body.fail(new IllegalStateException("response " + response.status() + " retried"));
                later(request, next.get(), delay.get(), null);
                return;
            }
            // A Retry-After longer than the policy waits for, before the same endpoint: the response is the answer.
            next.ifPresent(n -> n.complete(Outcome.abandoned(0)));
        }
        Body answered = exchange.received(body, selection, outcome);
        ProxyResponse answer = answered == body ? response : response.toBuilder().body(answered).build();
        // The backend's identity fields were left out as its headers were copied (BackendAttempt.responseHeaders).
        result.complete(withSelectionHeaders(answer, selection));
    }

    /** The headers the selector named for the endpoint that answered (a sticky cookie), added before the route's filters see the response. */
    private static ProxyResponse withSelectionHeaders(ProxyResponse response, Selection selection) {
        Headers added = selection.responseHeaders();
        if (added.isEmpty()) {
            return response;
        }
        Headers.Builder headers = response.headers().toBuilder();
        for (int i = 0; i < added.size(); i++) {
            headers.add(added.name(i), added.value(i));
        }
        return response.toBuilder().headers(headers.build()).build();
    }

    private void onFailed(ProxyRequest request, Selection selection, UpstreamFailure failure, long took) {
        exchange.log().upstream(upstream.upstream().name());
        exchange.log().attempt(new Attempt(selection.endpoint(), 0, failure.kind(), took));
        Outcome outcome = Outcome.failure(failure.kind(), took);
        // An attempt cut short because the client went away says nothing about the endpoint.
        selection.complete(exchange.inFlight() ? outcome : Outcome.abandoned(took));
        Optional<Selection> next = retry(request, outcome);
        if (next.isPresent()) {
            Duration delay = delay(next.get(), null).orElseThrow();
            LOG.debug("retrying {} after {} in {}", request, failure.kind(), delay);
            later(request, next.get(), delay, failure);
            return;
        }
        result.completeExceptionally(failure);
    }

    /** The wait before {@code next}: none for a first retry to an endpoint not tried yet, else the policy's backoff. */
    private Optional<Duration> delay(Selection next, @Nullable String retryAfter) {
        return upstream.upstream().retryPolicy().delay(attempts, next.isToUntriedEndpoint(), retryAfter, ctx.clock(),
                ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The backend closed the kept-alive connection as the request went out: when the policy allows
     * it, the same selection is sent again at once on a new connection, outside the attempts and the
     * retry budget, and the failure is not the endpoint's (its selection stays open for the new try).
     */
    private boolean onStaleConnection(ProxyRequest request, Selection selection, UpstreamFailure failure, long took) {
        Outcome outcome = Outcome.failure(failure.kind(), took);
        boolean bodyStarted = request.body() instanceof ClientBody client ? client.started()
                : request.body() != Body.empty();
        if (!exchange.inFlight() || upstream.upstream().protocol() != dev.proxy4j.upstream.UpstreamProtocol.HTTP_1_1
                || !upstream.upstream().retryPolicy().retryOnNewConnection(request, outcome, true, bodyStarted,
                        bodySent(request.body()))) {
            return false;
        }
        exchange.log().upstream(upstream.upstream().name());
        exchange.log().attempt(new Attempt(selection.endpoint(), 0, failure.kind(), took));
        LOG.debug("sending {} again on a new connection: {} on a kept-alive one", request, failure.kind());
        attempt(request, selection, true);
        return true;
    }

    private Optional<Selection> retry(ProxyRequest request, Outcome outcome) {
        if (!exchange.inFlight()) {
            return Optional.empty();
        }
        Upstream target = upstream.upstream();
        return target.retry(ctx, request, tried(), attempts, outcome, bodySent(request.body()));
    }

    /**
     * The retry {@code next} after {@code delay}, scheduled on the request's loop; given up
     * (abandoned) if the client went away meanwhile. {@code failure}: the last attempt's, or null
     * when it answered with a status that is being retried.
     */
    private void later(ProxyRequest request, Selection next, Duration delay, @Nullable UpstreamFailure failure) {
        if (delay.isZero()) {
            attempt(request, next);
            return;
        }
        try {
            ctx.eventLoop().schedule(delay, () -> {
                if (exchange.inFlight()) {
                    attempt(request, next);
                    return;
                }
                next.complete(Outcome.abandoned(0));
                result.completeExceptionally(failure != null ? failure : new ClientExchange.ExchangeEnded());
            });
        } catch (RuntimeException refused) {
            // The loop is gone (the proxy stops): the retry is not made.
            next.complete(Outcome.abandoned(0));
            result.completeExceptionally(failure != null ? failure : refused);
        }
    }

    private void tried(Endpoint endpoint) {
        if (triedSet != null) {
            triedSet.add(endpoint);
        } else if (firstTried == null || firstTried.equals(endpoint)) {
            firstTried = endpoint;
        } else {
            triedSet = new HashSet<>(4);
            triedSet.add(firstTried);
            triedSet.add(endpoint);
        }
    }

    /** The endpoints tried so far. */
    private Set<Endpoint> tried() {
        if (triedSet != null) {
            return triedSet;
        }
        return firstTried == null ? Set.of() : Set.of(firstTried);
    }

    /** Whether a byte of the body may have gone and cannot be sent again. */
    private boolean bodySent(Body body) {
        if (body instanceof ClientBody client) {
            return !client.replayable();
        }
        if (body == Body.empty() || body instanceof Body.Bytes) {
            return false;
        }
        return lastContent instanceof CoreContent core && core.started();
    }

    @Override
    public String toString() {
        return "UpstreamCall[" + upstream.upstream().name() + ']';
    }
}
