/**
 * Rate limits with nginx {@code limit_req} semantics: a {@link dev.proxy4j.ratelimit.Rate}, a
 * burst, {@code nodelay} or {@code delay=N}, keyed by client address, a header, the route, the path
 * or any function of the request ({@link dev.proxy4j.ratelimit.RateLimitKey}). {@link
 * dev.proxy4j.ratelimit.RateLimit} is the filter; {@link dev.proxy4j.ratelimit.RateLimiter} is the
 * asynchronous store SPI (one GCRA timestamp per key) with a bounded in-memory implementation.
 */
@NullMarked
package dev.proxy4j.ratelimit;

import org.jspecify.annotations.NullMarked;
