package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/2 without TLS on a plain listener: by prior knowledge (the client starts with the HTTP/2
 * preface) always, through {@code Upgrade: h2c} only when the configuration allows it. RFC 9113
 * deprecates the upgrade and edge proxies refuse it; a refused upgrade is served as the HTTP/1.1
 * request it also is, its {@code Upgrade} and {@code HTTP2-Settings} dropped as hop-by-hop.
 */
final class PriorKnowledgeH2c extends HTTP2CServerConnectionFactory {

    private final boolean upgrade;

    PriorKnowledgeH2c(HttpConfiguration http, boolean upgrade) {
        super(http);
        this.upgrade = upgrade;
    }

    @Override
    public @Nullable Connection upgradeConnection(Connector connector, EndPoint endPoint, MetaData.Request request,
            HttpFields.Mutable response101) {
        // Prior knowledge reaches here as the preface's "PRI * HTTP/2.0"; anything else is an Upgrade header.
        if (!upgrade && !HttpMethod.PRI.is(request.getMethod())) {
            return null;
        }
        return super.upgradeConnection(connector, endPoint, request, response101);
    }
}
