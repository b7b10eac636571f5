/**
 * Time for policies: every core policy that depends on time (cache freshness, rate limits, health,
 * outlier ejection) takes a {@link dev.proxy4j.time.Ticker} for elapsed time and a
 * {@link java.time.Clock} for wall-clock time, so that tests move time instead of sleeping
 * ({@code dev.proxy4j.testkit.ManualClock} is both).
 */
@NullMarked
package dev.proxy4j.time;

import org.jspecify.annotations.NullMarked;
