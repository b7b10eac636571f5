package dev.proxy4j.jetty.internal;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.filter.FilterChains;
import dev.proxy4j.filter.ProxyFilter;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.route.Route;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The data path: client-to-proxy request in, core view built, route matched, filters run, backend
 * called, proxy-to-client response out. Never blocks; every step continues on completion.
 *
 * <p>It runs on the event loop that read the request ({@link LoopConnector}), and sends the backend
 * request with that loop's client, so the response is read and written back by the same thread.
 */
public final class ForwardingHandler extends Handler.Abstract {

    private final ProxyConfig config;
    private final UpstreamClients clients;
    private final Map<Route, RouteRuntime> runtimes = new IdentityHashMap<>();

    public ForwardingHandler(ProxyConfig config, UpstreamClients clients) {
        this.config = config;
        this.clients = clients;
        for (Route route : config.routes().routes()) {
            List<ProxyFilter> filters = new ArrayList<>(config.filters());
            filters.addAll(route.filters());
            runtimes.put(route, new RouteRuntime(route, List.copyOf(filters), config.timeoutsFor(route),
                    clients.clientsFor(route.upstream())));
        }
        addBean(clients, true);
    }

    /** Never blocks, so Jetty runs it on the event loop that read the request. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request clientToProxyRequest, Response proxyToClientResponse, Callback callback) {
        long start = System.nanoTime();
        HttpURI uri = clientToProxyRequest.getHttpURI();
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) {
            return refuse(clientToProxyRequest, proxyToClientResponse, callback, 400, start);
        }
        if (path.contains("/.")) {
            path = URIUtil.normalizePath(path);
            if (path == null) {
                return refuse(clientToProxyRequest, proxyToClientResponse, callback, 400, start);
            }
        }
        long length = clientToProxyRequest.getLength();
        if (length > config.limits().maxRequestBodyBytes()) {
            return refuse(clientToProxyRequest, proxyToClientResponse, callback, 413, start);
        }

        String host = clientToProxyRequest.getHeaders().get(HttpHeader.HOST);
        String authority = host != null ? host : uri.getAuthority();
        Headers.Builder headers = Headers.builder();
        for (HttpField field : clientToProxyRequest.getHeaders()) {
            if (field.getHeader() != HttpHeader.HOST) {
                headers.add(field.getName(), field.getValue());
            }
        }
        ProxyRequest received = ProxyRequest.builder()
                .method(clientToProxyRequest.getMethod())
                .scheme(clientToProxyRequest.isSecure() ? "https" : "http")
                .authority(authority == null ? "" : authority)
                .path(path)
                .query(uri.getQuery())
                .headers(headers.build())
                .protocol(clientToProxyRequest.getConnectionMetaData().getProtocol())
                .peerAddress(Request.getRemoteAddr(clientToProxyRequest))
                .build();
        ProxyRequest request = config.forwarding().apply(received);

        Optional<Route> route = config.routes().match(request);
        if (route.isEmpty()) {
            AccessLog.log(request.clientAddress(), request.method(), uri.getPathQuery(), request.protocol(),
                    404, ErrorResponses.body(404).length, start, "-", 0, request.requestId());
            ErrorResponses.write(proxyToClientResponse, callback, 404, request.requestId());
            return true;
        }
        RouteRuntime runtime = runtimes.get(route.get());
        Exchange exchange = new Exchange(this, runtime, clientToProxyRequest, proxyToClientResponse, callback,
                request, uri.getPathQuery(), start, loopOf(clientToProxyRequest));
        FilterChains.run(runtime.filters(), exchange::forward, route.get().rewrite(request))
                .whenComplete(exchange::respond);
        return true;
    }

    /** The loop the client's connection is on, so that the backend connection is on the same one. */
    private static int loopOf(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint instanceof SslConnection.SslEndPoint ssl) {
            endPoint = ssl.getSslConnection().getEndPoint();
        }
        return endPoint instanceof LoopConnector.LoopEndPoint loop ? loop.loop() : 0;
    }

    /** Answers a request that goes no further than the door, and logs it. */
    private static boolean refuse(Request request, Response response, Callback callback, int status, long start) {
        AccessLog.log(Request.getRemoteAddr(request), request.getMethod(), request.getHttpURI().getPathQuery(),
                request.getConnectionMetaData().getProtocol(), status, ErrorResponses.body(status).length, start, "-", 0, "-");
        ErrorResponses.write(response, callback, status, "");
        return true;
    }

    ProxyConfig config() {
        return config;
    }

    Scheduler scheduler() {
        return getServer().getScheduler();
    }
}
