package dev.proxy4j.jetty.internal;

import dev.proxy4j.admin.ConnectionStats;
import dev.proxy4j.admin.ProxyStatus;
import dev.proxy4j.admin.UpstreamStatus;
import dev.proxy4j.internal.Json;
import dev.proxy4j.metrics.ProxyMetrics;
import dev.proxy4j.route.Route;
import dev.proxy4j.upstream.EndpointStatus;
import dev.proxy4j.upstream.Upstream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoints, JSON unless said otherwise (docs/operations.md): {@code GET /live},
 * {@code GET /ready} (503 while starting or draining), {@code GET /routes}, {@code GET /upstreams},
 * {@code GET /metrics} (the metrics' own text), {@code POST /reload} (the config file and the
 * certificates), {@code POST /drain} and {@code POST /purge} ({@link AdminActions}). With a token, every request
 * needs {@code Authorization: Bearer <token>} (401 otherwise). Runs on the admin server's threads,
 * where blocking (a scrape, a reload that reads a file) is allowed.
 */
final class AdminHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final String JSON = "application/json";

    private final Optional<byte[]> token;
    private final ProxyStatus status;
    private final Optional<ProxyMetrics> metrics;
    private final java.util.function.Supplier<Optional<AdminServer.Reload>> reload;
    private final AdminServer.Certificates certificates;

    AdminHandler(Optional<String> token, ProxyStatus status, Optional<ProxyMetrics> metrics,
            java.util.function.Supplier<Optional<AdminServer.Reload>> reload, AdminServer.Certificates certificates) {
        this.certificates = certificates;
        this.token = token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.US_ASCII));
        this.status = status;
        this.metrics = metrics;
        this.reload = reload;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (token.isPresent()) {
            String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (given == null || !MessageDigest.isEqual(token.get(), given.getBytes(StandardCharsets.US_ASCII))) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"proxy4j-admin\"");
                return send(response, callback, 401, JSON, error("a bearer token is required"));
            }
        }
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        String allowed = switch (path) {
            case "/live", "/ready", "/routes", "/upstreams", "/metrics" -> "GET";
            case "/reload", "/drain", "/purge" -> "POST";
            default -> null;
        };
        if (allowed == null) {
            return send(response, callback, 404, JSON, error("no such admin endpoint: " + path));
        }
        boolean head = method.equals("HEAD") && allowed.equals("GET");
        if (!method.equals(allowed) && !head) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            return send(response, callback, 405, JSON, error(path + " takes " + allowed));
        }
        return switch (path) {
            case "/live" -> send(response, callback, 200, JSON, "{\"status\":\"live\"}");
            case "/ready" -> ready(response, callback);
            case "/routes" -> send(response, callback, 200, JSON, routes());
            case "/upstreams" -> send(response, callback, 200, JSON, upstreams());
            case "/metrics" -> metrics(response, callback);
            case "/drain" -> answer(response, callback,
                    AdminActions.drain(status.config(), Request.extractQueryParameters(request)));
            case "/purge" -> {
                AdminActions.purge(status.config(), Request.extractQueryParameters(request))
                        .whenComplete((answer, failure) -> answer(response, callback, failure == null ? answer
                                : new AdminActions.Answer(500, error("purge failed: " + failure.getMessage()))));
                yield true;
            }
            default -> reload(response, callback);
        };
    }

    private boolean ready(Response response, Callback callback) {
        if (status.isReady()) {
            return send(response, callback, 200, JSON, "{\"status\":\"ready\"}");
        }
        String state = status.isDraining() ? "draining" : "starting";
        return send(response, callback, 503, JSON,
                "{\"status\":\"" + state + "\",\"inFlight\":" + status.inFlightRequests() + "}");
    }

    private String routes() {
        StringBuilder json = new StringBuilder("{\"routes\":[");
        boolean first = true;
        for (Route route : status.config().routes().routes()) {
            json.append(first ? "" : ",").append("{\"name\":");
            first = false;
            Json.quote(route.name(), json);
            json.append(",\"target\":");
            Json.quote(String.valueOf(route.target()), json);
            json.append(",\"upstreams\":[");
            boolean firstUpstream = true;
            for (Upstream upstream : route.target().upstreams()) {
                json.append(firstUpstream ? "" : ",");
                firstUpstream = false;
                Json.quote(upstream.name(), json);
            }
            json.append("],\"filters\":").append(route.filters().size()).append('}');
        }
        return json.append("]}").toString();
    }

    private String upstreams() {
        StringBuilder json = new StringBuilder("{\"upstreams\":[");
        boolean first = true;
        for (UpstreamStatus upstream : status.upstreams()) {
            json.append(first ? "" : ",").append("{\"name\":");
            first = false;
            Json.quote(upstream.name(), json);
            json.append(",\"loadBalancer\":");
            Json.quote(upstream.loadBalancer(), json);
            json.append(",\"endpoints\":[");
            boolean firstEndpoint = true;
            for (EndpointStatus endpoint : upstream.endpoints()) {
                json.append(firstEndpoint ? "" : ",").append("{\"uri\":");
                firstEndpoint = false;
                Json.quote(endpoint.endpoint().uri().toString(), json);
                java.net.InetAddress address = endpoint.endpoint().address();
                if (address != null) {
                    json.append(",\"address\":");
                    Json.quote(address.getHostAddress(), json);
                }
                json.append(",\"weight\":").append(endpoint.endpoint().weight())
                        .append(",\"inFlight\":").append(endpoint.inFlight())
                        .append(",\"health\":");
                Json.quote(endpoint.health().name().toLowerCase(java.util.Locale.ROOT), json);
                json.append(",\"ejected\":").append(endpoint.ejected());
                endpoint.ejectedFor().ifPresent(left -> json.append(",\"ejectedForMillis\":").append(left.toMillis()));
                json.append(",\"ejections\":").append(endpoint.ejections())
                        .append(",\"selectable\":").append(endpoint.selectable())
                        .append(",\"draining\":").append(endpoint.draining())
                        .append(",\"consecutive5xx\":").append(endpoint.consecutive5xx())
                        .append(",\"consecutiveGatewayFailures\":").append(endpoint.consecutiveGatewayFailures());
                endpoint.lastHealthCheck().ifPresent(check -> {
                    json.append(",\"lastHealthCheck\":");
                    Json.quote(check, json);
                });
                json.append('}');
            }
            ConnectionStats pool = upstream.connections();
            json.append("],\"connections\":{\"active\":").append(pool.active()).append(",\"idle\":").append(pool.idle())
                    .append(",\"pending\":").append(pool.pending()).append("}}");
        }
        return json.append("]}").toString();
    }

    private boolean metrics(Response response, Callback callback) {
        if (metrics.isEmpty()) {
            return send(response, callback, 404, JSON,
                    error("metrics are off (expected: ProxyServer.Builder.metrics(...), metrics: prometheus in the"
                            + " config file, with proxy-micrometer on the class path)"));
        }
        ProxyMetrics source = metrics.get();
        String text;
        try {
            text = source.scrape();
        } catch (RuntimeException e) {
            LOG.warn("metrics scrape failed", e);
            return send(response, callback, 500, JSON, error("metrics scrape failed: " + e.getMessage()));
        }
        return send(response, callback, 200, source.contentType(), text);
    }

    /**
     * The configuration from its source, then the TLS listeners' certificate files, each loaded
     * again. A refused configuration leaves both as they were (422); a bad certificate file keeps
     * the certificates in use (422 naming it) after the configuration was swapped in. 409 when there
     * is neither a source nor a TLS listener.
     */
    private boolean reload(Response response, Callback callback) {
        Optional<AdminServer.Reload> action = reload.get();
        int tls = certificates.listeners();
        if (action.isEmpty() && tls == 0) {
            return send(response, callback, 409, JSON,
                    error("reload: the proxy was not started from a config file it can read again"));
        }
        String configuration = "\"configuration\":\"not from a file\"";
        if (action.isPresent()) {
            try {
                action.get().reload();
            } catch (Exception e) {
                LOG.warn("reload refused, the running configuration stays in force: {}", e.getMessage());
                return send(response, callback, 422, JSON, "{\"status\":\"refused\",\"error\":"
                        + Json.quote(String.valueOf(e.getMessage())) + "}");
            }
            LOG.info("configuration reloaded through the admin endpoint");
            configuration = "\"configuration\":\"reloaded\"";
        }
        int reloaded;
        try {
            reloaded = certificates.reload();
        } catch (RuntimeException e) {
            // CertificateWatcher has logged it at WARN, naming the listener and the file.
            return send(response, callback, 422, JSON, "{\"status\":\"refused\",\"error\":"
                    + Json.quote(String.valueOf(e.getMessage())) + "," + configuration + "}");
        }
        if (tls > 0) {
            LOG.info("certificates of {} TLS listener(s) reloaded through the admin endpoint", reloaded);
        }
        return send(response, callback, 200, JSON, "{\"status\":\"reloaded\"," + configuration
                + ",\"certificates\":" + reloaded + "}");
    }

    private static boolean answer(Response response, Callback callback, AdminActions.Answer answer) {
        return send(response, callback, answer.status(), JSON, answer.json());
    }

    private static String error(String message) {
        return "{\"error\":" + Json.quote(message) + "}";
    }

    private static boolean send(Response response, Callback callback, int code, String type, String body) {
        byte[] bytes = body.concat(type.equals(JSON) ? "\n" : "").getBytes(StandardCharsets.UTF_8);
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type.equals(JSON) ? JSON : type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
