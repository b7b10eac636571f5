package dev.proxy4j.cache;

import dev.proxy4j.http.Headers;
import java.time.Instant;
import java.util.Objects;

/**
 * What a cache keeps of a response besides its body: the status and headers as the backend sent
 * them (less what is never stored), when the request went ({@code requestTime}) and when the
 * response came ({@code responseTime}), for the age arithmetic of RFC 9111 4.2.3.
 *
 * <p>Status 0 marks an index of variants ({@link #isVaryIndex()}): a response with {@code Vary}
 * is stored under its key plus the values of the fields Vary names, and the key itself holds this
 * index: the Vary fields and an id that the variants' keys carry, so that invalidating the key
 * (removing the index) orphans every variant at once.
 */
public record StoredHead(int status, Headers headers, Instant requestTime, Instant responseTime) {

    static final String VARIANTS_ID = "Variants-Id";

    public StoredHead {
        if (status != 0 && (status < 200 || status > 599)) {
            throw new IllegalArgumentException("status: " + status + " (expected: 200..599, or 0 for a Vary index)");
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(requestTime, "requestTime");
        Objects.requireNonNull(responseTime, "responseTime");
        if (responseTime.isBefore(requestTime)) {
            throw new IllegalArgumentException(
                    "responseTime: " + responseTime + " (expected: not before requestTime " + requestTime + ")");
        }
    }

    /** An index of the variants of a response that varies on {@code vary}; {@code id} names this set of variants. */
    static StoredHead varyIndex(String vary, String id, Instant time) {
        return new StoredHead(0, Headers.of("Vary", vary, VARIANTS_ID, id), time, time);
    }

    public boolean isVaryIndex() {
        return status == 0;
    }

    /** The head with other headers: for a 304's update (RFC 9111 3.2), with the new times. */
    public StoredHead withHeaders(Headers headers, Instant requestTime, Instant responseTime) {
        return new StoredHead(status, headers, requestTime, responseTime);
    }
}
