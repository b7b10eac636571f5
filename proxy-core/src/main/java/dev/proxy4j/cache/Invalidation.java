package dev.proxy4j.cache;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.net.URI;
import java.net.URISyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 9111 4.4: a non-error response to an unsafe request invalidates the stored responses of its
 * target URI, and of the URIs in its Location and Content-Location fields when they have the same
 * origin (a different origin could be used to wipe another site's entries). Removing a key removes
 * its Vary index, which orphans every variant.
 */
final class Invalidation {
    private static final Logger LOG = LoggerFactory.getLogger(Invalidation.class);

    private final CacheStore store;
    private final CacheKey keys;

    Invalidation(CacheStore store, CacheKey keys) {
        this.store = store;
        this.keys = keys;
    }

    void invalidate(ProxyRequest request, Headers response) {
        remove(keys.of(request));
        for (String field : new String[] {"Location", "Content-Location"}) {
            String value = response.get(field);
            if (value != null) {
                sameOrigin(request, value.trim());
            }
        }
    }

    private void sameOrigin(ProxyRequest request, String reference) {
        URI target;
        try {
            URI base = new URI(request.scheme(), request.authority(), request.path(), null, null);
            target = base.resolve(new URI(reference));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return;
        }
        if (target.getScheme() == null || target.getRawAuthority() == null || target.getRawPath() == null
                || target.getRawPath().isEmpty()) {
            return;
        }
        if (!target.getScheme().equalsIgnoreCase(request.scheme())
                || !target.getRawAuthority().equalsIgnoreCase(request.authority())) {
            return;
        }
        remove(keys.of(request, request.scheme(), request.authority(), target.getRawPath(), target.getRawQuery()));
    }

    private void remove(String key) {
        store.remove(key).whenComplete((removed, failure) -> {
            if (failure != null) {
                LOG.warn("Cache store failed to invalidate an entry", failure);
            }
        });
    }
}
