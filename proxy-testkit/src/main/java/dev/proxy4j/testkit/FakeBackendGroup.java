package dev.proxy4j.testkit;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Several {@link FakeBackend}s started, reset and stopped together: the endpoints of one upstream.
 * A JUnit 5 extension with the same lifecycle as {@link FakeBackend}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FakeBackendGroup replicas = FakeBackendGroup.of(3);
 *
 * replicas.stubForAll(get("/").willReturn(ok()));
 * // ... nine requests through a round-robin proxy ...
 * assertThat(replicas.hitCounts()).containsExactly(3, 3, 3);
 * }</pre>
 */
public final class FakeBackendGroup implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, AutoCloseable {

    private final List<FakeBackend> backends;

    private FakeBackendGroup(List<FakeBackend> backends) {
        this.backends = List.copyOf(backends);
    }

    /** {@code size} fake backends made by {@link FakeBackend#create()}. Not started yet. */
    public static FakeBackendGroup of(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: > 0)");
        }
        List<FakeBackend> backends = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            backends.add(FakeBackend.create());
        }
        return new FakeBackendGroup(backends);
    }

    public FakeBackendGroup start() {
        backends.forEach(FakeBackend::start);
        return this;
    }

    public void stop() {
        backends.forEach(FakeBackend::stop);
    }

    @Override
    public void close() {
        stop();
    }

    public int size() {
        return backends.size();
    }

    /** The backend at {@code index}, from 0. */
    public FakeBackend get(int index) {
        return backends.get(index);
    }

    public List<FakeBackend> backends() {
        return backends;
    }

    /** Each backend's {@link FakeBackend#uri()}, in order. */
    public List<URI> uris() {
        return backends.stream().map(FakeBackend::uri).toList();
    }

    /** Each backend's {@link FakeBackend#requestCount()} (health checks not counted), in order. */
    public List<Integer> hitCounts() {
        return backends.stream().map(FakeBackend::requestCount).toList();
    }

    /** Adds the stub to every backend. */
    public void stubForAll(MappingBuilder mapping) {
        backends.forEach(backend -> backend.stubFor(mapping));
    }

    /** {@link FakeBackend#reset()} on every backend. */
    public void resetAll() {
        backends.forEach(FakeBackend::reset);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        for (FakeBackend backend : backends) {
            backend.beforeAll(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (FakeBackend backend : backends) {
            backend.beforeEach(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (FakeBackend backend : backends) {
            backend.afterEach(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (FakeBackend backend : backends) {
            backend.afterAll(context);
        }
    }

    @Override
    public String toString() {
        return "fake backend group " + backends;
    }
}
