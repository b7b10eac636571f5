package dev.proxy4j.forward;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.filter.FilterChain;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import dev.proxy4j.internal.IpAddresses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * IP allow/deny, as nginx's {@code allow} and {@code deny}: rules tried in order on the client's
 * address (after trusted proxies, {@link RequestContext#clientAddress()}), the first that matches
 * decides; no match allows. Denied requests get 403 and never reach a backend. An IPv4-mapped IPv6
 * address ({@code ::ffff:10.1.2.3}) is matched as the IPv4 address it carries. Server-wide (before
 * routing) or on a route, as any filter.
 */
public final class IpAccess implements ProxyFilter {

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    /** One rule: allow or deny a network. */
    public record Rule(boolean allow, String network) {
        @Override
        public String toString() {
            return (allow ? "allow " : "deny ") + network;
        }
    }

    private final List<Rule> rules;
    private final List<Cidr[]> networks;

    private IpAccess(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        List<Cidr[]> parsed = new ArrayList<>();
        for (Rule rule : rules) {
            parsed.add(networks(rule.network()));
        }
        this.networks = List.copyOf(parsed);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Whether {@code address} (an IP literal) may pass: the first matching rule's verdict, else yes. */
    public boolean allows(String address) {
        byte[] bytes = IpAddresses.parse(address);
        if (bytes == null) {
            // Not an address (a Unix socket, say): only a rule for every address can decide.
            return rules.isEmpty() || firstRuleForAll();
        }
        if (bytes.length == 16 && Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        for (int i = 0; i < networks.size(); i++) {
            for (Cidr network : networks.get(i)) {
                if (network.contains(bytes)) {
                    return rules.get(i).allow();
                }
            }
        }
        return true;
    }

    private boolean firstRuleForAll() {
        for (Rule rule : rules) {
            if (rule.network().equals("all")) {
                return rule.allow();
            }
        }
        return true;
    }

    @Override
    public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
        if (allows(ctx.clientAddress())) {
            return next.proceed(request);
        }
        ctx.refused(dev.proxy4j.log.Refusal.ACCESS_DENIED);
        return CompletableFuture.completedFuture(ProxyResponse.text(403, "403 Forbidden\n"));
    }

    @Override
    public String toString() {
        return "IpAccess" + rules;
    }

    private static Cidr[] networks(String network) {
        if (network.equals("all")) {
            return new Cidr[] {Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")};
        }
        return new Cidr[] {Cidr.parse(network)};
    }

    /** Builds an {@link IpAccess}: rules in the order they are added. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        /** Allows a network (CIDR or address, IPv4 or IPv6), or {@code all}. */
        public Builder allow(String network) {
            return add(true, network);
        }

        /** Denies a network (CIDR or address, IPv4 or IPv6), or {@code all}. */
        public Builder deny(String network) {
            return add(false, network);
        }

        private Builder add(boolean allow, String network) {
            Objects.requireNonNull(network, "network");
            try {
                networks(network);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException((allow ? "allow" : "deny") + ": \"" + network
                        + "\" (expected: an IP address, a CIDR such as 10.0.0.0/8 or fd00::/8, or all)", e);
            }
            rules.add(new Rule(allow, network));
            return this;
        }

        public IpAccess build() {
            return new IpAccess(rules);
        }
    }
}
