package dev.proxy4j.examples;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP, where the JVM lets a program handle it (sun.misc.Signal of the jdk.unsupported module). */
final class Hangup {

    private static final Logger log = LoggerFactory.getLogger(Hangup.class);

    private Hangup() {
    }

    /**
     * Runs {@code action} on each SIGHUP; returns false, having logged why, where that is not possible
     * (no jdk.unsupported module, a platform without SIGHUP, or a JVM started with -Xrs).
     * The action runs on the JVM's signal thread, so it should only hand the work on.
     */
    static boolean onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
            return true;
        } catch (LinkageError | IllegalArgumentException | UnsupportedOperationException e) {
            log.info("SIGHUP cannot be handled here ({}); the config file is still reloaded when it changes", e.toString());
            return false;
        }
    }
}
