package dev.proxy4j.jetty.internal;

import dev.proxy4j.cache.HttpCache;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.internal.Json;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.EndpointGroup;
import dev.proxy4j.upstream.Upstream;
import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoint's actions on the running proxy, apart from reload: {@code POST /drain} takes
 * an endpoint out of its upstream once its requests in flight finish, {@code POST /purge} removes
 * a URL from the shared cache. Both act on the configuration in force.
 */
final class AdminActions {

    private static final Logger LOG = LoggerFactory.getLogger(AdminActions.class);

    /** A status and its JSON body. */
    record Answer(int status, String json) {
    }

    private AdminActions() {
    }

    /**
     * {@code POST /drain?upstream=api&endpoint=http://10.0.0.5:9000[&address=10.0.0.5]}: 202 once
     * draining began (the endpoint gets no new request and leaves the group when its last one
     * ends), 404 for an upstream or endpoint the proxy does not have, 400 for a missing or bad parameter.
     */
    static Answer drain(ProxyConfig config, Fields query) {
        String name = query.getValue("upstream");
        String uri = query.getValue("endpoint");
        if (name == null || uri == null) {
            return new Answer(400, error("drain: upstream and endpoint are required (expected: "
                    + "POST /drain?upstream=NAME&endpoint=URI)"));
        }
        Optional<Upstream> upstream = config.upstreams().stream().filter(u -> u.name().equals(name)).findFirst();
        if (upstream.isEmpty()) {
            return new Answer(404, error("drain: no upstream named " + name));
        }
        Endpoint endpoint;
        try {
            endpoint = new Endpoint(URI.create(uri), 1);
            String address = query.getValue("address");
            if (address != null) {
                // An IP literal only: getByName then looks nothing up.
                if (!address.matches("[0-9A-Fa-f:.]+")) {
                    return new Answer(400, error("drain: address " + address + " (expected: an IP address)"));
                }
                endpoint = endpoint.withAddress(InetAddress.getByName(address));
            }
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return new Answer(400, error("drain: " + e.getMessage()));
        }
        EndpointGroup group = upstream.get().group();
        if (group.state(endpoint).isEmpty()) {
            return new Answer(404, error("drain: upstream " + name + " has no endpoint " + uri));
        }
        group.drain(endpoint);
        LOG.info("endpoint {} of upstream {} draining through the admin endpoint", endpoint, name);
        StringBuilder json = new StringBuilder("{\"status\":\"draining\",\"upstream\":");
        Json.quote(name, json);
        json.append(",\"endpoint\":");
        Json.quote(uri, json);
        return new Answer(202, json.append('}').toString());
    }

    /**
     * {@code POST /purge?url=https://example.com/a?b=1}: removes what the shared cache holds for the
     * URL under the default cache key (and its Vary variants): 200 when something was removed, 404
     * when nothing was held or the cache is off, 400 for a missing or bad url.
     */
    static CompletionStage<Answer> purge(ProxyConfig config, Fields query) {
        Optional<HttpCache> cache = config.cache();
        if (cache.isEmpty()) {
            return done(404, error("purge: the cache is off"));
        }
        String url = query.getValue("url");
        URI target = url == null ? null : parse(url);
        if (target == null || target.getScheme() == null || target.getRawAuthority() == null) {
            return done(400, error("purge: url " + (url == null ? "is required" : url + " is not an absolute URL")
                    + " (expected: POST /purge?url=https://HOST/PATH)"));
        }
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        String pathAndQuery = target.getRawQuery() == null ? path : path + '?' + target.getRawQuery();
        return cache.get().purge(target.getScheme(), target.getRawAuthority(), pathAndQuery)
                .thenApply(removed -> {
                    if (removed) {
                        LOG.info("{} purged from the cache through the admin endpoint", url);
                    }
                    return removed ? new Answer(200, "{\"status\":\"purged\"}")
                            : new Answer(404, "{\"status\":\"not cached\"}");
                });
    }

    private static @Nullable URI parse(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static CompletionStage<Answer> done(int status, String json) {
        return CompletableFuture.completedFuture(new Answer(status, json));
    }

    private static String error(String message) {
        return "{\"error\":" + Json.quote(message) + "}";
    }
}
