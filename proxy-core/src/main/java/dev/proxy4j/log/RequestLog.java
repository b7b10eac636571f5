package dev.proxy4j.log;

import dev.proxy4j.context.TlsInfo;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.UpstreamFailure;
import java.util.List;
import java.util.Optional;

/**
 * Everything that happened to one request: who asked for what, the route, every attempt at a
 * backend, what the client got, bytes both ways and the timings. Filled in by the proxy as the
 * exchange goes on (a filter sees what is known so far) and complete when listeners receive it.
 * Times are in nanoseconds from the moment the proxy had read the request head.
 */
public interface RequestLog {

    String requestId();

    /** The client's address after trusted proxies. */
    String clientAddress();

    String method();

    /** Path and query as the client sent them. */
    String target();

    /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}. */
    String protocol();

    /** Wall-clock time the request arrived, in milliseconds since the epoch. */
    long startMillis();

    /** The name of the route that took the request; empty for requests no route took. */
    Optional<String> route();

    /** Every try at a backend, in order. */
    List<Attempt> attempts();

    /** The endpoint of the last attempt. */
    default Optional<Endpoint> endpoint() {
        List<Attempt> attempts = attempts();
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1).endpoint());
    }

    /** The status of the last backend response, or 0 when none came. */
    default int upstreamStatus() {
        List<Attempt> attempts = attempts();
        return attempts.isEmpty() ? 0 : attempts.get(attempts.size() - 1).status();
    }

    /** The status sent to the client, or 0 while not yet known. */
    int status();

    /** Body bytes read from the client. */
    long requestBodyBytes();

    /** Body bytes sent to the client. */
    long responseBodyBytes();

    /** From the start to the response head going to the client, or -1 while it has not. */
    long firstByteNanos();

    /** From the start to the end of the exchange, or -1 while it goes on. */
    long durationNanos();

    /** How the backend failed, when the answer is the proxy's error for it. */
    Optional<UpstreamFailure.Kind> failure();

    /** Why the proxy refused the request at the door, when it did (a malformed path, too many headers, ...). */
    default Optional<Refusal> refusal() {
        return Optional.empty();
    }

    /** What the shared cache did, for a request on a route that has the cache. */
    default Optional<CacheResult> cacheResult() {
        return Optional.empty();
    }

    /**
     * True when the retry policy called for another attempt and the upstream's retry budget
     * refused it ({@link dev.proxy4j.upstream.RetryBudget}): the client got the last attempt's answer.
     */
    default boolean retryBudgetSpent() {
        return false;
    }

    /** The client's {@code User-Agent}, when it sent one. */
    default Optional<String> userAgent() {
        return Optional.empty();
    }

    /** The client's {@code Referer}, when it sent one. */
    default Optional<String> referer() {
        return Optional.empty();
    }

    /** The TLS facts of the client's connection, when it is TLS. */
    default Optional<TlsInfo> tls() {
        return Optional.empty();
    }

    /** The name of the upstream the attempts went to, when the request reached one. */
    default Optional<String> upstream() {
        return Optional.empty();
    }

    /** True once the exchange has ended and listeners have it. */
    boolean isComplete();
}
