package dev.proxy4j.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.proxy4j.context.AttributeKey;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.Body;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.time.Ticker;
import java.net.URI;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * JWT bearer tokens at the edge: {@code Authorization: Bearer <token>}, signed with RS256, ES256 or
 * HS256 (through Nimbus JOSE+JWT), checked against static keys (a JWK set, a PEM public key, a
 * secret) and/or a JWK set URL fetched asynchronously, then its issuer, audience, {@code exp} and
 * {@code nbf} (with a clock skew, on the request context's clock). A valid token goes on with its
 * identity claim ({@code sub} by default) in {@link #IDENTITY} (a rate limit can key on it:
 * {@code RateLimitKey.jwtIdentity()}) and the claims asked for in headers to the backend; incoming
 * copies of those headers are always removed, and so is the token unless {@code forwardToken(true)}.
 * Anything else gets 401 with {@code WWW-Authenticate: Bearer realm="proxy4j"} and, for a token
 * that was sent, {@code error="invalid_token", error_description="..."} (RFC 6750), saying what
 * failed and never what a key or claim holds.
 *
 * <pre>{@code
 * Jwt.builder().jwksUri(URI.create("https://login.example.com/.well-known/jwks.json"))
 *         .issuer("https://login.example.com/").audience("orders-api")
 *         .claimHeader("sub", "X-User").build()
 * }</pre>
 */
public final class Jwt implements ProxyFilter {

    /** The identity claim of a valid token ({@code sub} unless {@code identityClaim} says otherwise). */
    public static final AttributeKey<String> IDENTITY = AttributeKey.of("jwtIdentity", String.class);

    private final List<JWK> staticKeys;
    private final @Nullable RemoteJwkSet remote;
    private final Set<JWSAlgorithm> algorithms;
    private final @Nullable String issuer;
    private final Set<String> audiences;
    private final java.time.Duration clockSkew;
    private final boolean requireExpiry;
    private final Map<String, String> claimHeaders;
    private final String identityClaim;
    private final boolean forwardToken;
    private final String challenge;

    private Jwt(Builder b) {
        this.staticKeys = List.copyOf(b.staticKeys);
        this.remote = b.remote();
        this.algorithms = b.algorithms();
        this.issuer = b.issuer;
        this.audiences = Set.copyOf(b.audiences);
        this.clockSkew = b.clockSkew;
        this.requireExpiry = b.requireExpiry;
        this.claimHeaders = Map.copyOf(b.claimHeaders);
        this.identityClaim = b.identityClaim;
        this.forwardToken = b.forwardToken;
        this.challenge = "Bearer realm=\"" + b.realm + "\"";
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts fetching the JWK set, when there is one, unless a fetch was started already; the
     * proxy calls it at start so that the first request finds the keys. The stage completes once
     * the fetch is done (a failure is logged, never thrown).
     */
    public CompletionStage<Void> prefetch() {
        return remote == null ? CompletableFuture.completedFuture(null) : remote.prefetch().thenApply(keys -> null);
    }

    /** How many times the JWK set was fetched so far (0 without a JWK set URL). */
    public long jwksFetches() {
        return remote == null ? 0 : remote.fetches();
    }

    @Override
    public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
        String token = bearer(request.headers().get("Authorization"));
        if (token == null) {
            return refuse(ctx, null);
        }
        SignedJWT jwt;
        try {
            // A header whose alg is "none" is no JWS header: such a token never parses here.
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            return refuse(ctx, "the token is malformed");
        }
        if (!algorithms.contains(jwt.getHeader().getAlgorithm())) {
            return refuse(ctx, "the algorithm is not accepted");
        }
        if (remote == null) {
            return check(ctx, request, next, jwt, List.of(), false);
        }
        CompletableFuture<List<JWK>> keys = remote.keys().toCompletableFuture();
        if (keys.isDone() && !keys.isCompletedExceptionally()) {
            return check(ctx, request, next, jwt, keys.join(), true);
        }
        return keys.thenComposeAsync(held -> check(ctx, request, next, jwt, held, true), ctx.eventLoop());
    }

    private CompletionStage<ProxyResponse> check(RequestContext ctx, ProxyRequest request, FilterChain next,
            SignedJWT jwt, List<JWK> remoteKeys, boolean mayRefresh) {
        List<JWK> all = staticKeys;
        if (!remoteKeys.isEmpty()) {
            all = new ArrayList<>(staticKeys);
            all.addAll(remoteKeys);
        }
        List<JWK> candidates = JwtCheck.candidates(all, jwt.getHeader());
        if (candidates.isEmpty()) {
            CompletionStage<List<JWK>> refreshed = mayRefresh && remote != null && jwt.getHeader().getKeyID() != null
                    ? remote.refreshForUnknownKey() : null;
            if (refreshed != null) {
                return refreshed.thenComposeAsync(held -> check(ctx, request, next, jwt, held, false), ctx.eventLoop());
            }
            return refuse(ctx, "no key fits the token");
        }
        if (!JwtCheck.signatureValid(jwt, candidates)) {
            return refuse(ctx, "the signature is not valid");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return refuse(ctx, "the token is malformed");
        }
        String problem = JwtCheck.claimsProblem(claims, ctx.clock().instant(), clockSkew, issuer, audiences, requireExpiry);
        if (problem != null) {
            return refuse(ctx, problem);
        }
        String identity = JwtCheck.headerValue(claims.getClaim(identityClaim));
        if (identity != null) {
            ctx.setAttr(IDENTITY, identity);
        }
        return next.proceed(forwarded(request, claims));
    }

    private ProxyRequest forwarded(ProxyRequest request, JWTClaimsSet claims) {
        Headers.Builder headers = request.headers().toBuilder();
        claimHeaders.values().forEach(headers::remove);
        if (!forwardToken) {
            headers.remove("Authorization");
        }
        claimHeaders.forEach((claim, header) -> {
            String value = JwtCheck.headerValue(claims.getClaim(claim));
            if (value != null) {
                headers.set(header, value);
            }
        });
        return request.toBuilder().headers(headers.build()).build();
    }

    private static @Nullable String bearer(@Nullable String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private CompletionStage<ProxyResponse> refuse(RequestContext ctx, @Nullable String description) {
        ctx.refused(dev.proxy4j.log.Refusal.JWT);
        String value = description == null ? challenge
                : challenge + ", error=\"invalid_token\", error_description=\"" + description + "\"";
        return CompletableFuture.completedFuture(ProxyResponse.builder(401)
                .headers(Headers.of("Content-Type", "text/plain; charset=utf-8", "Cache-Control", "no-store",
                        "WWW-Authenticate", value))
                .body(Body.ofUtf8("401 Unauthorized\n" + (description == null ? "bearer token missing" : description) + "\n"))
                .build());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Jwt[");
        s.append(algorithms.stream().map(JWSAlgorithm::getName).sorted().toList());
        if (!staticKeys.isEmpty()) {
            s.append(", ").append(staticKeys.size()).append(" static keys");
        }
        if (remote != null) {
            s.append(", jwks=").append(remote.uri());
        }
        if (issuer != null) {
            s.append(", issuer=").append(issuer);
        }
        if (!audiences.isEmpty()) {
            s.append(", audiences=").append(new java.util.TreeSet<>(audiences));
        }
        return s.append(']').toString();
    }

    /** Builds {@link Jwt}: at least one key source; everything else has a default. */
    public static final class Builder {
        private static final Set<String> SUPPORTED = Set.of("RS256", "ES256", "HS256");

        private final List<JWK> staticKeys = new ArrayList<>();
        private @Nullable URI jwksUri;
        private java.time.Duration jwksCacheDuration = java.time.Duration.ofMinutes(5);
        private java.time.Duration jwksRefreshAhead = java.time.Duration.ofSeconds(30);
        private java.time.Duration jwksMinRefreshInterval = java.time.Duration.ofSeconds(30);
        private java.time.Duration jwksTimeout = java.time.Duration.ofSeconds(5);
        private Ticker ticker = Ticker.system();
        private JwksFetcher fetcher = JwksFetcher.http();
        private @Nullable Set<JWSAlgorithm> algorithms;
        private @Nullable String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private java.time.Duration clockSkew = java.time.Duration.ofSeconds(60);
        private boolean requireExpiry = true;
        private final Map<String, String> claimHeaders = new LinkedHashMap<>();
        private String identityClaim = "sub";
        private boolean forwardToken;
        private String realm = "proxy4j";

        private Builder() {
        }

        /**
         * A JWK set URL (an identity provider's {@code jwks_uri}), fetched with the JDK's asynchronous
         * HTTP client at start, kept for {@link #jwksCacheDuration}, refreshed ahead of its end and
         * when a token names a key id it lacks.
         */
        public Builder jwksUri(URI uri) {
            Objects.requireNonNull(uri, "jwksUri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("jwksUri: " + uri + " (expected: an http or https URI)");
            }
            this.jwksUri = uri;
            return this;
        }

        /** How long a fetched JWK set is used before it is fetched again; default 5 minutes. */
        public Builder jwksCacheDuration(java.time.Duration duration) {
            this.jwksCacheDuration = positive("jwksCacheDuration", duration);
            return this;
        }

        /** How long before the end of {@link #jwksCacheDuration} a request starts a background refresh; default 30 s. */
        public Builder jwksRefreshAhead(java.time.Duration duration) {
            Objects.requireNonNull(duration, "jwksRefreshAhead");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("jwksRefreshAhead: " + duration + " (expected: >= 0)");
            }
            this.jwksRefreshAhead = duration;
            return this;
        }

        /** The least time between two fetches, whatever asks for them (unknown key ids included); default 30 s. */
        public Builder jwksMinRefreshInterval(java.time.Duration duration) {
            this.jwksMinRefreshInterval = positive("jwksMinRefreshInterval", duration);
            return this;
        }

        /** How long a fetch may take; default 5 s. */
        public Builder jwksTimeout(java.time.Duration duration) {
            this.jwksTimeout = positive("jwksTimeout", duration);
            return this;
        }

        /** The elapsed time the JWK set's age is measured with; {@link Ticker#system()} unless a test moves it. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        Builder jwksFetcher(JwksFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        /** Static keys: a JWK set document ({@code {"keys": [...]}}); only public halves are kept. */
        public Builder jwkSet(String json) {
            Objects.requireNonNull(json, "jwkSet");
            try {
                staticKeys.addAll(RemoteJwkSet.publicKeys(com.nimbusds.jose.jwk.JWKSet.parse(json)));
            } catch (ParseException e) {
                throw new IllegalArgumentException("jwkSet: not a JWK set (" + e.getMessage() + ")", e);
            }
            return this;
        }

        /** A static public key in PEM ({@code -----BEGIN PUBLIC KEY-----}, or a certificate): RSA or EC P-256. */
        public Builder publicKey(String pem) {
            staticKeys.add(PemKeys.parse("publicKey", Objects.requireNonNull(pem, "publicKey")));
            return this;
        }

        /** An HS256 secret, at least 32 bytes (RFC 7518 3.2); never printed. */
        public Builder secret(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < 32) {
                throw new IllegalArgumentException("secret: " + secret.length
                        + " bytes (expected: at least 32 bytes, 256 bits, for HS256)");
            }
            staticKeys.add(new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(secret.clone()).build());
            return this;
        }

        /** {@link #secret(byte[])} of the UTF-8 bytes of {@code secret}. */
        public Builder secret(String secret) {
            return secret(Objects.requireNonNull(secret, "secret").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /**
         * The algorithms accepted, of RS256, ES256 and HS256; by default those the keys allow (RS256
         * and ES256 for public keys and JWK sets, HS256 when a secret was given).
         */
        public Builder algorithms(String... names) {
            Set<JWSAlgorithm> chosen = new LinkedHashSet<>();
            for (String name : names) {
                if (!SUPPORTED.contains(name)) {
                    throw new IllegalArgumentException("algorithms: " + name + " (expected: RS256, ES256 or HS256)");
                }
                chosen.add(JWSAlgorithm.parse(name));
            }
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("algorithms: [] (expected: one or more of RS256, ES256, HS256)");
            }
            this.algorithms = chosen;
            return this;
        }

        /** The {@code iss} a token must carry; default: not checked. */
        public Builder issuer(String issuer) {
            Objects.requireNonNull(issuer, "issuer");
            if (issuer.isBlank()) {
                throw new IllegalArgumentException("issuer: \"" + issuer + "\" (expected: not blank)");
            }
            this.issuer = issuer;
            return this;
        }

        /** An accepted audience (repeatable): the token's {@code aud} must hold one of them; default: not checked. */
        public Builder audience(String audience) {
            Objects.requireNonNull(audience, "audience");
            if (audience.isBlank()) {
                throw new IllegalArgumentException("audience: \"" + audience + "\" (expected: not blank)");
            }
            audiences.add(audience);
            return this;
        }

        /** How far {@code exp} and {@code nbf} may be off the proxy's clock; default 60 s. */
        public Builder clockSkew(java.time.Duration skew) {
            Objects.requireNonNull(skew, "clockSkew");
            if (skew.isNegative()) {
                throw new IllegalArgumentException("clockSkew: " + skew + " (expected: >= 0)");
            }
            this.clockSkew = skew;
            return this;
        }

        /** Whether a token without {@code exp} is refused; default true. */
        public Builder requireExpiry(boolean require) {
            this.requireExpiry = require;
            return this;
        }

        /**
         * Passes {@code claim} to the backend in {@code header} (a string, number or boolean as it is,
         * a list joined by commas); a copy the client sent is removed whether the token has the claim or not.
         */
        public Builder claimHeader(String claim, String header) {
            Objects.requireNonNull(claim, "claim");
            if (claim.isEmpty()) {
                throw new IllegalArgumentException("claim: \"\" (expected: a claim name)");
            }
            String name = headerName("claimHeaders." + claim, header);
            String earlier = claimHeaders.putIfAbsent(claim, name);
            if (earlier != null) {
                throw new IllegalArgumentException("claimHeaders." + claim + " was already set to " + earlier);
            }
            return this;
        }

        /** The claim that names the caller, in {@link Jwt#IDENTITY}; default {@code sub}. */
        public Builder identityClaim(String claim) {
            Objects.requireNonNull(claim, "identityClaim");
            if (claim.isEmpty()) {
                throw new IllegalArgumentException("identityClaim: \"\" (expected: a claim name)");
            }
            this.identityClaim = claim;
            return this;
        }

        /** Whether the {@code Authorization} header goes on to the backend; default false (as Envoy's jwt_authn). */
        public Builder forwardToken(boolean forward) {
            this.forwardToken = forward;
            return this;
        }

        /** The realm in {@code WWW-Authenticate}; default {@code proxy4j}. */
        public Builder realm(String realm) {
            Objects.requireNonNull(realm, "realm");
            if (realm.isEmpty() || !realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
                throw new IllegalArgumentException("realm: \"" + realm + "\" (expected: printable ASCII without quotes)");
            }
            this.realm = realm;
            return this;
        }

        private static java.time.Duration positive(String field, java.time.Duration duration) {
            Objects.requireNonNull(duration, field);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(field + ": " + duration + " (expected: positive)");
            }
            return duration;
        }

        private static String headerName(String field, String name) {
            Objects.requireNonNull(name, field);
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException(field + ": \"" + name + "\" (expected: a header name)");
            }
            return name;
        }

        private @Nullable RemoteJwkSet remote() {
            return jwksUri == null ? null : new RemoteJwkSet(jwksUri, jwksCacheDuration, jwksRefreshAhead,
                    jwksMinRefreshInterval, jwksTimeout, ticker, fetcher);
        }

        private Set<JWSAlgorithm> algorithms() {
            if (algorithms != null) {
                return Set.copyOf(algorithms);
            }
            Set<JWSAlgorithm> allowed = new LinkedHashSet<>();
            if (jwksUri != null || staticKeys.stream().anyMatch(k -> !(k instanceof com.nimbusds.jose.jwk.OctetSequenceKey))) {
                allowed.add(JWSAlgorithm.RS256);
                allowed.add(JWSAlgorithm.ES256);
            }
            if (staticKeys.stream().anyMatch(k -> k instanceof com.nimbusds.jose.jwk.OctetSequenceKey)) {
                allowed.add(JWSAlgorithm.HS256);
            }
            return Set.copyOf(allowed);
        }

        /** @throws IllegalStateException without any key source */
        public Jwt build() {
            if (staticKeys.isEmpty() && jwksUri == null) {
                throw new IllegalStateException("keys: none (expected: jwksUri, jwkSet, publicKey or secret)");
            }
            if (jwksRefreshAhead.compareTo(jwksCacheDuration) >= 0) {
                throw new IllegalStateException("jwksRefreshAhead: " + jwksRefreshAhead
                        + " (expected: less than jwksCacheDuration " + jwksCacheDuration + ")");
            }
            return new Jwt(this);
        }
    }
}
