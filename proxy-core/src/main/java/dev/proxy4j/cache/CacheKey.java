package dev.proxy4j.cache;

import dev.proxy4j.http.ProxyRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What makes two requests the same cache entry: by default the scheme, the authority (host and port,
 * lower-cased), the path and the whole query, as RFC 9111 4 says (the target URI); a route may
 * leave out the scheme, the host or the query, keep only some query parameters (sorted, so their
 * order does not matter), or add request headers. GET and HEAD share entries (HEAD is answered from
 * a stored GET), so the method is not part of a key. {@code Vary} adds to the key by itself.
 */
public final class CacheKey {

    private static final CacheKey DEFAULTS = new CacheKey(true, true, true, null, List.of());

    private final boolean scheme;
    private final boolean host;
    private final boolean query;
    private final @Nullable Set<String> queryParams;
    private final List<String> headers;

    private CacheKey(boolean scheme, boolean host, boolean query, @Nullable Set<String> queryParams,
            List<String> headers) {
        this.scheme = scheme;
        this.host = host;
        this.query = query;
        this.queryParams = queryParams;
        this.headers = headers;
    }

    /** Scheme, authority, path and query. */
    public static CacheKey defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The key of {@code request}. */
    public String of(ProxyRequest request) {
        return of(request, request.scheme(), request.authority(), request.path(), request.query());
    }

    /** The key {@code request} would have for another target (for invalidating Location, RFC 9111 4.4). */
    String of(ProxyRequest request, String scheme, String authority, String path, @Nullable String rawQuery) {
        StringBuilder key = new StringBuilder(64);
        key.append(this.scheme ? scheme : "").append("://");
        key.append(this.host ? authority.toLowerCase(Locale.ROOT) : "").append(path);
        if (query && rawQuery != null) {
            key.append('?');
            Set<String> only = queryParams;
            if (only == null) {
                key.append(rawQuery);
            } else {
                TreeSet<String> kept = new TreeSet<>();
                for (String pair : rawQuery.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    if (only.contains(name)) {
                        kept.add(pair);
                    }
                }
                key.append(String.join("&", kept));
            }
        }
        for (String header : headers) {
            key.append('\n').append(header).append(": ");
            List<String> values = request.headers().getAll(header);
            key.append(String.join(", ", values));
        }
        return key.toString();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (scheme) {
            parts.add("scheme");
        }
        if (host) {
            parts.add("host");
        }
        parts.add("path");
        if (query) {
            parts.add(queryParams == null ? "query" : "query" + queryParams);
        }
        headers.forEach(h -> parts.add("header:" + h));
        return "CacheKey" + parts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheKey that && that.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Builds a {@link CacheKey}; starts from {@link #defaults()}. */
    public static final class Builder {
        private boolean scheme = true;
        private boolean host = true;
        private boolean query = true;
        private @Nullable Set<String> queryParams;
        private final List<String> headers = new ArrayList<>();

        private Builder() {
        }

        /** http and https share entries. */
        public Builder withoutScheme() {
            scheme = false;
            return this;
        }

        /** Every host of the route shares entries. */
        public Builder withoutHost() {
            host = false;
            return this;
        }

        /** The query is ignored. */
        public Builder withoutQuery() {
            query = false;
            queryParams = null;
            return this;
        }

        /** Only these query parameters count (in any order); the others are ignored. */
        public Builder queryParams(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("queryParams: [] (expected: at least one name)");
            }
            query = true;
            queryParams = Set.copyOf(List.of(names));
            return this;
        }

        /** The values of request header {@code name} count too. */
        public Builder header(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("header: \"" + name + "\" (expected: a header name)");
            }
            headers.add(name.toLowerCase(Locale.ROOT));
            return this;
        }

        public CacheKey build() {
            if (scheme && host && query && queryParams == null && headers.isEmpty()) {
                return DEFAULTS;
            }
            return new CacheKey(scheme, host, query, queryParams, List.copyOf(headers));
        }
    }
}
