package dev.proxy4j.log;

import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.UpstreamFailure;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One try at a backend: the endpoint, the status it answered (0 when none), the failure kind
 * when it failed, and how long it took from sending to the end of the response headers (or the failure).
 */
public record Attempt(Endpoint endpoint, int status, UpstreamFailure.@Nullable Kind failureKind, long durationNanos) {

    public Attempt {
        Objects.requireNonNull(endpoint, "endpoint");
    }

    public Optional<UpstreamFailure.Kind> failure() {
        return Optional.ofNullable(failureKind);
    }
}
