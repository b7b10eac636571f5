package dev.proxy4j.auth;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.context.TestContexts;
import dev.proxy4j.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock and a ticker that move together, only when the test says (core cannot use the testkit's ManualClock). */
final class ManualTime extends Clock implements Ticker {
    private volatile Instant now;
    private volatile long nanos = 1_000_000_000L;

    ManualTime(Instant start) {
        this.now = start;
    }

    ManualTime advance(Duration duration) {
        now = now.plus(duration);
        nanos += duration.toNanos();
        return this;
    }

    RequestContext context() {
        return RequestContext.builder().requestId("test").eventLoop(TestContexts.DIRECT).blockingExecutor(Runnable::run)
                .ticker(this).clock(this).build();
    }

    @Override
    public long nanos() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
