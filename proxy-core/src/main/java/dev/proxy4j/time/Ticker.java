package dev.proxy4j.time;

/**
 * A source of elapsed time in nanoseconds, like {@link System#nanoTime()}: only differences between
 * two readings mean anything. Policies take one instead of calling {@code System.nanoTime()}, so a
 * test can drive them with a manual ticker.
 */
@FunctionalInterface
public interface Ticker {

    long nanos();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
