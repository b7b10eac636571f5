package dev.proxy4j.testkit;

import dev.proxy4j.ratelimit.InMemoryRateLimiter;
import dev.proxy4j.ratelimit.RateLimiter;

class InMemoryRateLimiterContractTest extends RateLimiterContract {

    @Override
    protected RateLimiter limiter(ManualClock clock) {
        return InMemoryRateLimiter.builder().ticker(clock).build();
    }
}
