package dev.proxy4j.upstream;

import dev.proxy4j.internal.XxHash64;
import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@link LoadBalancer#stickyCookie}: HAProxy's {@code cookie NAME insert}. A request whose cookie
 * names a selectable member (not excluded) goes to it; any other goes to the fallback balancer's
 * choice, and the response sets the cookie to the member that answered. The cookie's value is
 * opaque: 16 hex digits of XXH64 of the member's scheme, host and port, the same on every proxy and
 * after restarts, and not the backend's address.
 */
final class StickyCookieLoadBalancer implements LoadBalancer {

    /** Sets sticky values apart from other hashes of the same endpoint key. */
    private static final long SEED = 0x5717C4C00C1EL;

    private final String cookie;
    private final LoadBalancer fallback;

    StickyCookieLoadBalancer(String cookie, LoadBalancer fallback) {
        this.cookie = cookie;
        this.fallback = fallback;
    }

    /** The cookie value that names {@code endpoint}. */
    static String value(Endpoint endpoint) {
        String hex = Long.toHexString(XxHash64.hash(endpoint.key(), SEED));
        return "0".repeat(16 - hex.length()) + hex;
    }

    @Override
    public EndpointSelector newSelector(EndpointGroup group) {
        EndpointSelector fallbackSelector = fallback.newSelector(group);
        PerSnapshot<Map<String, EndpointState>> byValue = new PerSnapshot<>(group, snapshot -> {
            Map<String, EndpointState> members = new HashMap<>();
            for (EndpointState member : snapshot.selectable()) {
                members.put(value(member.endpoint()), member);
            }
            return members;
        });
        return new EndpointSelector() {
            @Override
            public @Nullable EndpointState select(RequestContext ctx, ProxyRequest request, Set<Endpoint> excluded) {
                String value = HashKeys.cookie(request.headers(), cookie);
                if (value != null) {
                    EndpointState pinned = byValue.get().get(value);
                    if (pinned != null && !Selectors.isExcluded(excluded, pinned)) {
                        return pinned;
                    }
                }
                return fallbackSelector.select(ctx, request, excluded);
            }

            @Override
            public Headers responseHeaders(RequestContext ctx, ProxyRequest request, EndpointState chosen) {
                String value = value(chosen.endpoint());
                if (value.equals(HashKeys.cookie(request.headers(), cookie))) {
                    return Headers.empty();
                }
                return Headers.of("Set-Cookie", cookie + '=' + value + "; Path=/; HttpOnly"
                        + (ctx.tls().isPresent() ? "; Secure" : ""));
            }

            @Override
            public String toString() {
                return StickyCookieLoadBalancer.this + group.snapshot().endpoints().toString();
            }
        };
    }

    @Override
    public String toString() {
        return "stickyCookie(" + cookie + ", " + fallback + ")";
    }
}
