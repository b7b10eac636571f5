package dev.proxy4j.trace;

import dev.proxy4j.upstream.UpstreamFailure;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** The trace of one attempt at a backend (an OpenTelemetry CLIENT span, say), child of its request's. */
public interface AttemptTrace {

    /** An attempt not traced: the backend gets the request's trace headers as they are. */
    AttemptTrace NONE = new AttemptTrace() {
        @Override
        public String toString() {
            return "AttemptTrace.NONE";
        }
    };

    /**
     * The trace context headers the backend gets for this attempt ({@code traceparent},
     * {@code tracestate}): each one {@code header} is given replaces the request's own field of
     * that name. Not called for {@link #NONE}.
     */
    default void inject(BiConsumer<String, String> header) {
    }

    /**
     * The attempt is over: the backend's status when its response head came ({@code failure}
     * null), or 0 and how it failed.
     */
    default void end(int status, UpstreamFailure.@Nullable Kind failure) {
    }
}
