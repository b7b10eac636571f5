package dev.proxy4j.auth;

import dev.proxy4j.context.AttributeKey;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.internal.FormDecoding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * API keys at the edge: a key from a request header (default {@code X-Api-Key}) or a query
 * parameter, checked against keys stored only as SHA-256 hashes, each with an identity. A request
 * with a known key goes on with its identity in {@link #IDENTITY} (a rate limit can key on it:
 * {@code RateLimitKey.apiKeyIdentity()}), and, when asked, in a header to the backend (an incoming
 * copy of that header is removed first); the key itself is removed before the request is
 * forwarded. A request without a key, or with an unknown one, gets 401 with
 * {@code WWW-Authenticate: ApiKey realm="...", header="X-Api-Key"} and never reaches a backend.
 *
 * <pre>{@code
 * ApiKeys.builder().key("billing-service", ApiKeys.hash(secretFromVault)).identityHeader("X-Consumer").build()
 * }</pre>
 */
public final class ApiKeys implements ProxyFilter {

    /** The identity of the key a request presented, set once the key is known. */
    public static final AttributeKey<String> IDENTITY = AttributeKey.of("apiKeyIdentity", String.class);

    private static final String PREFIX = "sha256:";

    private final @Nullable String header;
    private final @Nullable String queryParameter;
    private final Map<String, String> identityByHash;
    private final @Nullable String identityHeader;
    private final String challenge;

    private ApiKeys(Builder b) {
        this.header = b.header;
        this.queryParameter = b.queryParameter;
        this.identityByHash = Map.copyOf(b.identityByHash);
        this.identityHeader = b.identityHeader;
        this.challenge = "ApiKey realm=\"" + b.realm + "\""
                + (header != null ? ", header=\"" + header + "\"" : "")
                + (queryParameter != null ? ", query=\"" + queryParameter + "\"" : "");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the configuration stores for {@code key}: {@code sha256:} and the hex of its SHA-256. */
    public static String hash(String key) {
        Objects.requireNonNull(key, "key");
        return PREFIX + HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
        String presented = header == null ? null : request.headers().get(header);
        if (presented == null && queryParameter != null) {
            presented = FormDecoding.parameter(request.query(), queryParameter);
        }
        // The lookup is by hash: how long it takes says nothing about the keys held.
        String identity = presented == null || presented.isEmpty() ? null : identityByHash.get(hash(presented));
        if (identity == null) {
            ctx.refused(dev.proxy4j.log.Refusal.API_KEY);
            return CompletableFuture.completedFuture(ProxyResponse.builder(401)
                    .headers(Headers.of("Content-Type", "text/plain; charset=utf-8", "Cache-Control", "no-store",
                            "WWW-Authenticate", challenge))
                    .body(dev.proxy4j.http.Body.ofUtf8(presented == null ? "401 Unauthorized\napi key missing\n"
                            : "401 Unauthorized\napi key not valid\n"))
                    .build());
        }
        ctx.setAttr(IDENTITY, identity);
        return next.proceed(withoutKey(request, identity));
    }

    private ProxyRequest withoutKey(ProxyRequest request, String identity) {
        Headers.Builder headers = request.headers().toBuilder();
        if (header != null) {
            headers.remove(header);
        }
        if (identityHeader != null) {
            headers.set(identityHeader, identity);
        }
        ProxyRequest.Builder b = request.toBuilder().headers(headers.build());
        if (queryParameter != null && request.query() != null) {
            b.query(withoutParameter(request.query(), queryParameter));
        }
        return b.build();
    }

    private static @Nullable String withoutParameter(String query, String name) {
        List<String> kept = new ArrayList<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String decoded = FormDecoding.decode(pair, 0, eq < 0 ? pair.length() : eq);
            if (!name.equals(decoded)) {
                kept.add(pair);
            }
        }
        return kept.isEmpty() ? null : String.join("&", kept);
    }

    /** Identities known, in no order. */
    public List<String> identities() {
        return List.copyOf(new java.util.TreeSet<>(identityByHash.values()));
    }

    @Override
    public String toString() {
        return "ApiKeys[" + (header != null ? "header=" + header : "") + (header != null && queryParameter != null ? ", " : "")
                + (queryParameter != null ? "query=" + queryParameter : "") + ", " + identityByHash.size() + " keys]";
    }

    /** Builds {@link ApiKeys}. */
    public static final class Builder {
        private @Nullable String header = "X-Api-Key";
        private @Nullable String queryParameter;
        private final Map<String, String> identityByHash = new LinkedHashMap<>();
        private @Nullable String identityHeader;
        private String realm = "proxy4j";

        private Builder() {
        }

        /** The request header the key comes in; default {@code X-Api-Key}. */
        public Builder header(String name) {
            this.header = token("header", name);
            return this;
        }

        /** Keys in the query only: no header is looked at. */
        public Builder noHeader() {
            this.header = null;
            return this;
        }

        /** Also (or, with {@link #noHeader()}, only) a query parameter, e.g. {@code api_key}; the header wins when both are sent. */
        public Builder queryParameter(String name) {
            Objects.requireNonNull(name, "queryParameter");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("queryParameter: \"\" (expected: a parameter name)");
            }
            this.queryParameter = name;
            return this;
        }

        /**
         * A key, as {@link ApiKeys#hash(String)} gives it ({@code sha256:} and 64 hex digits), and the
         * identity it stands for; several keys may share an identity (while one is rotated).
         */
        public Builder key(String identity, String hash) {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(hash, "hash");
            if (identity.isBlank()) {
                throw new IllegalArgumentException("identity: \"" + identity + "\" (expected: not blank)");
            }
            String hex = hash.startsWith(PREFIX) ? hash.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT) : "";
            if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("key of " + identity + ": \"" + hash
                        + "\" (expected: sha256: and 64 hex digits, as ApiKeys.hash(key) gives)");
            }
            String earlier = identityByHash.putIfAbsent(PREFIX + hex, identity);
            if (earlier != null) {
                throw new IllegalArgumentException("key of " + identity + ": already the key of " + earlier);
            }
            return this;
        }

        /** A header that carries the identity to the backend (any copy the client sent is replaced); default none. */
        public Builder identityHeader(String name) {
            this.identityHeader = token("identityHeader", name);
            return this;
        }

        /** The realm in {@code WWW-Authenticate}; default {@code proxy4j}. */
        public Builder realm(String realm) {
            Objects.requireNonNull(realm, "realm");
            if (!realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
                throw new IllegalArgumentException("realm: \"" + realm + "\" (expected: printable ASCII without quotes)");
            }
            this.realm = realm;
            return this;
        }

        private static String token(String field, String name) {
            Objects.requireNonNull(name, field);
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException(field + ": \"" + name + "\" (expected: a header name)");
            }
            return name;
        }

        /** @throws IllegalStateException when no key was given, or neither a header nor a query parameter */
        public ApiKeys build() {
            if (identityByHash.isEmpty()) {
                throw new IllegalStateException("keys: none (expected: at least one key(identity, hash))");
            }
            if (header == null && queryParameter == null) {
                throw new IllegalStateException("header: none and no queryParameter (expected: where the key comes from)");
            }
            return new ApiKeys(this);
        }
    }
}
