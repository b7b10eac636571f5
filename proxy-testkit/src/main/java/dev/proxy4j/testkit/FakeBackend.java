package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A backend for tests: a WireMock server on {@code 127.0.0.1} that records every request it
 * receives and misbehaves on demand.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FakeBackend orders = FakeBackend.create();
 *
 * @Test
 * void forwardsTheRequestId() {
 *     orders.stubFor(get("/orders/1").willReturn(ok("{}")));
 *     // ... call the proxy in front of orders.uri() ...
 *     assertThat(orders.takeRequest()).hasHeader("X-Request-Id", "r-1");
 * }
 * }</pre>
 *
 * <p>As a JUnit 5 extension in a static field it starts once per class and is {@link #reset()}
 * before each test; in an instance field it starts before and stops after each test. Without
 * JUnit, call {@link #start()} and {@link #close()}.
 *
 * <p>Stubbing is WireMock's: {@link #stubFor(MappingBuilder)} and {@link #wireMock()}. A request
 * no stub matches gets WireMock's 404, unless {@link #respondToEverything(int, String)} says
 * otherwise. The {@linkplain #healthPath() health path} answers {@code 200 UP} or
 * {@code 503 DOWN} ({@link #healthy(boolean)}) whatever the stubs say; health checks are kept
 * apart from other requests: {@link #takeRequest()}, {@link #requestCount()} and
 * {@link #receivedRequests()} skip them, {@link #receivedHealthChecks()} has them.
 *
 * <p>By default the server speaks HTTP/1.1 only (no h2c) and never gzips responses; change that,
 * or anything else WireMock offers, with {@link #create(Consumer)}.
 */
public final class FakeBackend implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, AutoCloseable {

    /** How long {@link #takeRequest()} waits. */
    public static final Duration DEFAULT_TAKE_TIMEOUT = Duration.ofSeconds(5);
    /** The health path unless {@link #healthPath(String)} changes it. */
    public static final String DEFAULT_HEALTH_PATH = "/health";

    private static final UUID CATCH_ALL_STUB_ID = UUID.fromString("9a7c1f0e-5b1d-4c36-9f0e-fa4eb0c1e001");

    private final WireMockConfiguration options;
    private volatile WireMockServer server;
    private volatile int port;

    private final RequestLog log = new RequestLog();

    private final Faults allPaths = new Faults(this, "");
    private final Map<String, Faults> pathFaults = new ConcurrentHashMap<>();

    private volatile String healthPath = DEFAULT_HEALTH_PATH;
    private volatile boolean healthy = true;

    private int classScopes;

    private FakeBackend(WireMockConfiguration options) {
        // The extensions only call back once requests arrive, after construction.
        options.extensions(new ArrivalFilter(this), new SlowBodyTransformer(this));
        this.options = options;
        this.server = new WireMockServer(options);
    }

    /** A fake backend on a free port of 127.0.0.1, speaking HTTP/1.1. Not started yet. */
    public static FakeBackend create() {
        return create(options -> {});
    }

    /**
     * A fake backend whose WireMock options {@code customizer} may change, starting from: a free
     * port, bound to 127.0.0.1, h2c and gzip disabled, WireMock's notifications sent to SLF4J
     * (logger {@code dev.proxy4j.testkit.WireMock}, unmatched requests at INFO). Not started yet.
     */
    public static FakeBackend create(Consumer<WireMockConfiguration> customizer) {
        Objects.requireNonNull(customizer, "customizer");
        WireMockConfiguration options = options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .http2PlainDisabled(true)
                .gzipDisabled(true)
                .notifier(new WireMockLog());
        customizer.accept(options);
        return new FakeBackend(options);
    }

    /**
     * Starts the server; does nothing if it runs. After {@link #stop()} it starts again on the
     * same port with the same stubs, so a client configured with {@link #uri()} reaches it again.
     */
    public synchronized FakeBackend start() {
        if (server.isRunning()) {
            return this;
        }
        if (port != 0) {
            // Jetty would pick a new free port; a new server on the old one shares the options'
            // stores, so stubs, scenarios and the journal carry over.
            options.port(port);
            server = new WireMockServer(options);
        }
        server.start();
        port = server.port();
        return this;
    }

    /** Stops the server; does nothing if it is not running. {@link #uri()} keeps answering. */
    public synchronized void stop() {
        if (server.isRunning()) {
            server.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /**
     * Forgets stubs, scenarios, recorded requests and health checks, clears every fault and makes
     * the backend healthy again. The health path is kept.
     */
    public void reset() {
        server.resetAll();
        log.clear();
        allPaths.clear();
        pathFaults.values().forEach(Faults::clear);
        healthy = true;
    }

    /** {@code http://127.0.0.1:<port>}; still the last address after {@link #stop()}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /**
     * The bound port. A backend never started yet is started here, so a proxy can be configured from
     * {@link #uri()} whatever order JUnit runs the extensions in.
     */
    public synchronized int port() {
        if (port == 0) {
            start();
        }
        return port;
    }

    // Stubbing

    /** WireMock's {@code stubFor}: {@code backend.stubFor(get("/a").willReturn(ok("A")))}. */
    public StubMapping stubFor(MappingBuilder mapping) {
        return server.stubFor(mapping);
    }

    /** The WireMock server, for everything else WireMock does. A restart replaces it. */
    public WireMockServer wireMock() {
        return server;
    }

    /**
     * Answers every request that no other stub matches with {@code status} and {@code body}
     * (text/plain), instead of WireMock's 404. A second call replaces the first.
     */
    public FakeBackend respondToEverything(int status, String body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
        }
        Objects.requireNonNull(body, "body");
        server.getStubMappings().stream()
                .filter(stub -> CATCH_ALL_STUB_ID.equals(stub.getId()))
                .forEach(server::removeStubMapping);
        server.stubFor(any(anyUrl())
                .withId(CATCH_ALL_STUB_ID)
                .atPriority(Integer.MAX_VALUE)
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "text/plain; charset=utf-8")
                        .withBody(body)));
        return this;
    }

    // Recording

    /** Waits up to {@link #DEFAULT_TAKE_TIMEOUT} for the next request not yet taken. */
    public RecordedRequest takeRequest() {
        return takeRequest(DEFAULT_TAKE_TIMEOUT);
    }

    /**
     * The next request not yet taken, in arrival order, waiting up to {@code timeout} for it.
     * Health checks are skipped.
     *
     * @throws AssertionError if none arrives in time
     */
    public RecordedRequest takeRequest(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        RecordedRequest request;
        try {
            request = log.poll(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a request at " + this, e);
        }
        if (request == null) {
            throw new AssertionError("expected a request at " + this + " within " + timeout
                    + ", but none arrived (" + log.describeReceived(healthPath) + ")");
        }
        return request;
    }

    /** How many requests arrived since start or {@link #reset()}, health checks not counted. */
    public int requestCount() {
        return log.count();
    }

    /** Every request received since start or {@link #reset()}, in arrival order, health checks not included. */
    public List<RecordedRequest> receivedRequests() {
        return log.received();
    }

    /** Every request to the health path since start or {@link #reset()}, in arrival order. */
    public List<RecordedRequest> receivedHealthChecks() {
        return log.healthChecks();
    }

    // Faults

    /** Faults for every path. */
    public Faults faults() {
        return allPaths;
    }

    /** Faults for {@code pathPrefix} and the paths under it: {@code /orders} covers {@code /orders/1}. */
    public Faults faults(String pathPrefix) {
        checkPath("pathPrefix", pathPrefix);
        return pathFaults.computeIfAbsent(pathPrefix, prefix -> new Faults(this, prefix));
    }

    // Health

    public String healthPath() {
        return healthPath;
    }

    /** Moves the health endpoint; {@code /health} by default. */
    public FakeBackend healthPath(String path) {
        checkPath("healthPath", path);
        this.healthPath = path;
        return this;
    }

    /** {@code true}: the health path answers {@code 200 UP}; {@code false}: {@code 503 DOWN}. */
    public FakeBackend healthy(boolean healthy) {
        this.healthy = healthy;
        return this;
    }

    // JUnit

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        classScopes++;
        start();
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        start();
        if (classScopes > 0) {
            reset();
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        if (classScopes == 0) {
            stop();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--classScopes == 0) {
            stop();
        }
    }

    /** {@code fake backend http://127.0.0.1:5123}. */
    @Override
    public String toString() {
        return port == 0 ? "fake backend (never started)" : "fake backend " + uri();
    }

    // Called by ArrivalFilter and SlowBodyTransformer on WireMock's threads.

    RequestLog log() {
        return log;
    }

    boolean isHealthPath(String path) {
        return path.equals(healthPath);
    }

    ResponseDefinition healthResponse() {
        boolean up = healthy;
        return responseDefinition()
                .withStatus(up ? 200 : 503)
                .withHeader("Content-Type", "text/plain; charset=utf-8")
                .withBody(up ? "UP" : "DOWN")
                .build();
    }

    /** The fault scopes that apply to {@code path}, longest prefix first, all paths last. */
    List<Faults> faultsFor(String path) {
        List<Faults> scopes = new ArrayList<>(2);
        for (Faults scope : pathFaults.values()) {
            if (scope.appliesTo(path)) {
                scopes.add(scope);
            }
        }
        scopes.sort(Comparator.comparingInt((Faults scope) -> scope.pathPrefix().length()).reversed());
        scopes.add(allPaths);
        return scopes;
    }

    private static void checkPath(String name, String path) {
        Objects.requireNonNull(path, name);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(name + ": " + path + " (expected: starts with \"/\")");
        }
    }
}
