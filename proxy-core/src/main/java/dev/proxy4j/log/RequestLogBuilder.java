package dev.proxy4j.log;

import dev.proxy4j.context.TlsInfo;
import dev.proxy4j.time.Ticker;
import dev.proxy4j.upstream.UpstreamFailure;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's side of a {@link RequestLog}: written by the adapter as the exchange goes on, ended
 * once with {@link #end(List)}, which hands it to the listeners. Writes come from the request's
 * event loop; reads from other threads see values that are at worst a little late.
 */
public final class RequestLogBuilder implements RequestLog {

    private final String requestId;
    private final String clientAddress;
    private final String method;
    private final String target;
    private final String protocol;
    private final long startMillis;
    private final long startNanos;
    private final Ticker ticker;
    private volatile @Nullable String route;
    /** Immutable, replaced as attempts come: the first is a one-element list, a retry copies (they are few). */
    private volatile List<Attempt> attemptsView = List.of();
    private volatile int status;
    private volatile long requestBodyBytes;
    private volatile long responseBodyBytes;
    private volatile long firstByteNanos = -1;
    private volatile long durationNanos = -1;
    private volatile UpstreamFailure.@Nullable Kind failure;
    private volatile @Nullable Refusal refusal;
    private volatile @Nullable CacheResult cacheResult;
    private volatile @Nullable String userAgent;
    private volatile @Nullable String referer;
    private volatile @Nullable TlsInfo tls;
    private volatile @Nullable String upstream;
    private volatile boolean retryBudgetSpent;

    public RequestLogBuilder(String requestId, String clientAddress, String method, String target, String protocol,
            long startMillis, Ticker ticker, long startNanos) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
        this.method = Objects.requireNonNull(method, "method");
        this.target = Objects.requireNonNull(target, "target");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.startMillis = startMillis;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.startNanos = startNanos;
    }

    public RequestLogBuilder route(String name) {
        this.route = Objects.requireNonNull(name, "name");
        return this;
    }

    /** The client's User-Agent and Referer, each null when not sent. */
    public RequestLogBuilder client(@Nullable String userAgent, @Nullable String referer) {
        this.userAgent = userAgent;
        this.referer = referer;
        return this;
    }

    public RequestLogBuilder tls(@Nullable TlsInfo tls) {
        this.tls = tls;
        return this;
    }

    /** The upstream the request's attempts go to. */
    public RequestLogBuilder upstream(String name) {
        this.upstream = Objects.requireNonNull(name, "name");
        return this;
    }

    public synchronized RequestLogBuilder attempt(Attempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        List<Attempt> before = attemptsView;
        if (before.isEmpty()) {
            attemptsView = List.of(attempt);
        } else {
            Attempt[] all = before.toArray(new Attempt[before.size() + 1]);
            all[before.size()] = attempt;
            attemptsView = List.of(all);
        }
        return this;
    }

    /** Whether a retry was refused by the upstream's retry budget. */
    public RequestLogBuilder retryBudgetSpent(boolean spent) {
        this.retryBudgetSpent = spent;
        return this;
    }

    public RequestLogBuilder status(int status) {
        this.status = status;
        return this;
    }

    public RequestLogBuilder failure(UpstreamFailure.@Nullable Kind failure) {
        this.failure = failure;
        return this;
    }

    public RequestLogBuilder refusal(Refusal refusal) {
        this.refusal = Objects.requireNonNull(refusal, "refusal");
        return this;
    }

    public RequestLogBuilder cacheResult(CacheResult result) {
        this.cacheResult = Objects.requireNonNull(result, "cacheResult");
        return this;
    }

    public RequestLogBuilder addRequestBodyBytes(long bytes) {
        requestBodyBytes += bytes;
        return this;
    }

    public RequestLogBuilder addResponseBodyBytes(long bytes) {
        responseBodyBytes += bytes;
        return this;
    }

    /** The response head is going to the client now; only the first call counts. */
    public RequestLogBuilder firstByte() {
        if (firstByteNanos < 0) {
            firstByteNanos = ticker.nanos() - startNanos;
        }
        return this;
    }

    /** The nanos of {@link #ticker()} this request started at. */
    public long startNanos() {
        return startNanos;
    }

    public Ticker ticker() {
        return ticker;
    }

    /**
     * Ends the log and hands it to each listener in turn; a listener that throws is logged and the
     * others still run. Only the first call does anything.
     */
    public void end(List<RequestLogListener> listeners) {
        synchronized (this) {
            if (durationNanos >= 0) {
                return;
            }
            durationNanos = Math.max(0, ticker.nanos() - startNanos);
        }
        for (RequestLogListener listener : listeners) {
            try {
                listener.onRequestComplete(this);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(RequestLogBuilder.class)
                        .warn("request log listener {} failed", listener, e);
            }
        }
    }

    @Override public String requestId() { return requestId; }
    @Override public String clientAddress() { return clientAddress; }
    @Override public String method() { return method; }
    @Override public String target() { return target; }
    @Override public String protocol() { return protocol; }
    @Override public long startMillis() { return startMillis; }
    @Override public Optional<String> route() { return Optional.ofNullable(route); }
    @Override public List<Attempt> attempts() { return attemptsView; }
    @Override public int status() { return status; }
    @Override public long requestBodyBytes() { return requestBodyBytes; }
    @Override public long responseBodyBytes() { return responseBodyBytes; }
    @Override public long firstByteNanos() { return firstByteNanos; }
    @Override public long durationNanos() { return durationNanos; }
    @Override public Optional<UpstreamFailure.Kind> failure() { return Optional.ofNullable(failure); }
    @Override public Optional<Refusal> refusal() { return Optional.ofNullable(refusal); }
    @Override public Optional<CacheResult> cacheResult() { return Optional.ofNullable(cacheResult); }
    @Override public Optional<String> userAgent() { return Optional.ofNullable(userAgent); }
    @Override public Optional<String> referer() { return Optional.ofNullable(referer); }
    @Override public Optional<TlsInfo> tls() { return Optional.ofNullable(tls); }
    @Override public Optional<String> upstream() { return Optional.ofNullable(upstream); }
    @Override public boolean retryBudgetSpent() { return retryBudgetSpent; }
    @Override public boolean isComplete() { return durationNanos >= 0; }

    @Override
    public String toString() {
        return "RequestLog[" + method + ' ' + target + " -> " + status + ", rid=" + requestId + ']';
    }
}
