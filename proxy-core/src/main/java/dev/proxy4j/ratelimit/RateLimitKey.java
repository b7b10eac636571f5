package dev.proxy4j.ratelimit;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.route.Route;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What a rate limit counts requests by. An empty key means the request is not counted by that limit
 * (as nginx does not account an empty key): a request without the header a header key reads passes
 * that limit untouched; put a limit by client address beside it to cover those.
 */
@FunctionalInterface
public interface RateLimitKey {

    Optional<String> key(RequestContext ctx, ProxyRequest request);

    /** The client's address after trusted proxies ({@link RequestContext#clientAddress()}); {@code ip} in the config file. */
    static RateLimitKey clientIp() {
        return new Named("ip", (ctx, request) -> Optional.of(ctx.clientAddress()));
    }

    /**
     * The value of a request header, say an API key ({@code header:NAME}). The first value counts;
     * a request without the header is not counted by this limit.
     */
    static RateLimitKey header(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("key header: \"" + name + "\" (expected: a header name)");
        }
        return new Named("header:" + name, (ctx, request) -> Optional.ofNullable(request.headers().get(name)));
    }

    /** The route's name: one budget for everyone on the route. Server-wide (before routing) nothing is counted. */
    static RateLimitKey route() {
        return new Named("route", (ctx, request) -> ctx.route().map(Route::name));
    }

    /** The normalised path, without the query: one budget per path. */
    static RateLimitKey path() {
        return new Named("path", (ctx, request) -> Optional.of(request.path()));
    }

    /**
     * A string attribute an earlier filter set, e.g. {@code ApiKeys.IDENTITY}; a request without it is
     * not counted. The name is the attribute's.
     */
    static RateLimitKey attribute(dev.proxy4j.context.AttributeKey<String> attribute) {
        Objects.requireNonNull(attribute, "attribute");
        return new Named("attribute:" + attribute.name(), (ctx, request) -> ctx.attr(attribute));
    }

    /** The identity of the request's API key ({@code apikey}): one budget per consumer, whichever of its keys it uses. */
    static RateLimitKey apiKeyIdentity() {
        return new Named("apikey", (ctx, request) -> ctx.attr(dev.proxy4j.auth.ApiKeys.IDENTITY));
    }

    /**
     * The identity claim of the request's JWT ({@code jwt}; {@code sub} unless the filter names
     * another claim): one budget per caller. Put the limit after the {@code Jwt} filter.
     */
    static RateLimitKey jwtIdentity() {
        return new Named("jwt", (ctx, request) -> ctx.attr(dev.proxy4j.auth.Jwt.IDENTITY));
    }

    /** One budget for every request the limit sees: a ceiling on the total rate. */
    static RateLimitKey global() {
        return new Named("global", (ctx, request) -> Optional.of(""));
    }

    /** {@code ip}, {@code header:NAME}, {@code apikey}, {@code jwt}, {@code route}, {@code path} or {@code global}, as the config file writes a key. */
    static RateLimitKey parse(String key) {
        return RateLimitSpec.key(java.util.Objects.requireNonNull(key, "key"));
    }

    /** Any function of the request and its context, with a name for logs and {@code toString}. */
    static RateLimitKey of(String name, BiFunction<RequestContext, ProxyRequest, Optional<String>> function) {
        return new Named(Objects.requireNonNull(name, "name"), Objects.requireNonNull(function, "function"));
    }

    /** A key with a name for printing. */
    record Named(String name, BiFunction<RequestContext, ProxyRequest, Optional<String>> function) implements RateLimitKey {
        @Override
        public Optional<String> key(RequestContext ctx, ProxyRequest request) {
            return function.apply(ctx, request);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
