package dev.proxy4j.context;

import dev.proxy4j.log.RequestLog;
import dev.proxy4j.log.RequestLogBuilder;
import dev.proxy4j.route.Route;
import dev.proxy4j.time.Ticker;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What the proxy knows about one request, beside the request itself: who sent it and how, the
 * route that took it, typed attributes filters leave for each other, the request's event loop, an
 * executor for work that must block, the time, and the request's log. One per request, made by
 * the proxy; a filter never keeps it past the exchange.
 *
 * <pre>{@code
 * ProxyFilter audit = (ctx, request, next) -> {
 *     ctx.setAttr(STARTED_BY, request.headers().get("X-User"));
 *     return next.proceed(request);
 * };
 * }</pre>
 */
public final class RequestContext {

    private final String requestId;
    private final String peerAddress;
    private final String clientAddress;
    private final @Nullable TlsInfo tls;
    private final EventLoop eventLoop;
    private final Executor blockingExecutor;
    private final Ticker ticker;
    private final Clock clock;
    private final RequestLogBuilder log;
    /** Made on first use: most requests set no attribute. */
    private volatile @Nullable Map<AttributeKey<?>, Object> attributes;
    private volatile @Nullable Route route;
    private volatile Map<String, String> pathVariables = Map.of();
    /** Work the exchange waits for before it ends; done when there is none. */
    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Void>> pending =
            new java.util.concurrent.atomic.AtomicReference<>(java.util.concurrent.CompletableFuture.completedFuture(null));

    private RequestContext(Builder b) {
        this.requestId = b.requestId;
        this.peerAddress = b.peerAddress;
        this.clientAddress = b.clientAddress == null ? b.peerAddress : b.clientAddress;
        this.tls = b.tls;
        this.eventLoop = Objects.requireNonNull(b.eventLoop, "eventLoop");
        this.blockingExecutor = Objects.requireNonNull(b.blockingExecutor, "blockingExecutor");
        this.ticker = b.ticker;
        this.clock = b.clock;
        this.log = b.log != null ? b.log
                : new RequestLogBuilder(requestId, clientAddress, "GET", "/", "HTTP/1.1", clock.millis(), ticker,
                        ticker.nanos());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The request's id: the client's X-Request-Id when it sent one and it is trusted, otherwise generated. */
    public String requestId() {
        return requestId;
    }

    /** The address of the socket's other end. */
    public String peerAddress() {
        return peerAddress;
    }

    /** The client's address after trusted proxies have been looked through. */
    public String clientAddress() {
        return clientAddress;
    }

    /** The TLS facts, when the client connected with TLS. */
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    /** The route that took the request; empty in server-wide filters, which run before routing. */
    public Optional<Route> route() {
        return Optional.ofNullable(route);
    }

    /** The path template's variables (raw, not decoded); empty before routing or for other path kinds. */
    public Map<String, String> pathVariables() {
        return pathVariables;
    }

    /**
     * Called by the proxy once the request is routed, before the route's filters run.
     *
     * @throws IllegalStateException when the request was already routed
     */
    public void routed(Route route, Map<String, String> pathVariables) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(pathVariables, "pathVariables");
        synchronized (this) {
            Route earlier = this.route;
            if (earlier != null) {
                throw new IllegalStateException("route was already set to " + earlier.name());
            }
            this.pathVariables = Map.copyOf(pathVariables);
            this.route = route;
        }
        log.route(route.name());
    }

    /** The value of attribute {@code key}, when a filter has set it. */
    public <T> Optional<T> attr(AttributeKey<T> key) {
        Objects.requireNonNull(key, "key");
        Map<AttributeKey<?>, Object> map = attributes;
        Object value = map == null ? null : map.get(key);
        return value == null ? Optional.empty() : Optional.of(key.cast(value));
    }

    /** Sets attribute {@code key}, replacing any earlier value. */
    public <T> RequestContext setAttr(AttributeKey<T> key, T value) {
        Objects.requireNonNull(key, "key");
        Object checked = key.cast(Objects.requireNonNull(value, "value"));
        attributes().put(key, checked);
        return this;
    }

    /** Removes attribute {@code key}. */
    public RequestContext removeAttr(AttributeKey<?> key) {
        Objects.requireNonNull(key, "key");
        Map<AttributeKey<?>, Object> map = attributes;
        if (map != null) {
            map.remove(key);
        }
        return this;
    }

    private Map<AttributeKey<?>, Object> attributes() {
        Map<AttributeKey<?>, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>(4);
                    attributes = map;
                }
            }
        }
        return map;
    }

    /**
     * Keeps the exchange from ending before {@code work} completes, for a filter that goes on after the
     * client has its answer (a cache's background revalidation): the backend attempt it made is not
     * aborted, the request log is written after it. The client's response is sent meanwhile; on
     * HTTP/1.1 its connection takes the next request once the work is done. The work must be bounded
     * (the upstream's timeouts bound a backend call).
     */
    public void extendUntil(java.util.concurrent.CompletionStage<?> work) {
        Objects.requireNonNull(work, "work");
        pending.updateAndGet(earlier -> java.util.concurrent.CompletableFuture.allOf(earlier,
                work.toCompletableFuture().handle((value, failure) -> null)));
    }

    /** What the exchange waits for before it ends ({@link #extendUntil}); done when nothing. */
    public java.util.concurrent.CompletableFuture<Void> pendingWork() {
        return pending.get();
    }

    /** The request's event loop: run short non-blocking work there, schedule timers there. */
    public EventLoop eventLoop() {
        return eventLoop;
    }

    /**
     * For work that blocks (a file read, a blocking client): never block the event loop. The stage
     * of such work completes on the executor's thread; the filter chain brings the request back.
     */
    public Executor blockingExecutor() {
        return blockingExecutor;
    }

    /** Elapsed time for policies; a manual ticker in tests. */
    public Ticker ticker() {
        return ticker;
    }

    /** Wall-clock time (for Date, Expires, Age); a fixed clock in tests. */
    public Clock clock() {
        return clock;
    }

    /** What has happened to the request so far. */
    public RequestLog log() {
        return log;
    }

    /**
     * Records that a built-in filter refused the request for {@code refusal}: the access log says
     * {@code refused=<code>} and request-log listeners (metrics) see {@link RequestLog#refusal()}.
     * The filter still answers the request itself.
     */
    public void refused(dev.proxy4j.log.Refusal refusal) {
        log.refusal(refusal);
    }

    @Override
    public String toString() {
        Route r = route;
        return "RequestContext[" + requestId + ", client=" + clientAddress
                + (r == null ? "" : ", route=" + r.name()) + ']';
    }

    /**
     * Builds a {@link RequestContext}. The proxy makes one per request; tests of filters make their
     * own with an event loop of their choosing. Defaults: peer 127.0.0.1, no TLS, the system
     * ticker and clock, a log for {@code GET /}.
     */
    public static final class Builder {
        private String requestId = "";
        private String peerAddress = "127.0.0.1";
        private @Nullable String clientAddress;
        private @Nullable TlsInfo tls;
        private @Nullable EventLoop eventLoop;
        private @Nullable Executor blockingExecutor;
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();
        private @Nullable RequestLogBuilder log;

        private Builder() {
        }

        public Builder requestId(String requestId) {
            this.requestId = Objects.requireNonNull(requestId, "requestId");
            return this;
        }

        public Builder peerAddress(String peerAddress) {
            this.peerAddress = Objects.requireNonNull(peerAddress, "peerAddress");
            return this;
        }

        public Builder clientAddress(String clientAddress) {
            this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
            return this;
        }

        public Builder tls(@Nullable TlsInfo tls) {
            this.tls = tls;
            return this;
        }

        /** Required. */
        public Builder eventLoop(EventLoop eventLoop) {
            this.eventLoop = Objects.requireNonNull(eventLoop, "eventLoop");
            return this;
        }

        /** Required. */
        public Builder blockingExecutor(Executor blockingExecutor) {
            this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
            return this;
        }

        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder log(RequestLogBuilder log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /** @throws NullPointerException when no event loop or blocking executor was given */
        public RequestContext build() {
            return new RequestContext(this);
        }
    }
}
