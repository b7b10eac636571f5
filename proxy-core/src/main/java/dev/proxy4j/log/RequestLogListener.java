package dev.proxy4j.log;

/**
 * Receives the log of every finished exchange, once, on the request's event loop: it must not
 * block. Slow work (shipping logs, exporting) belongs on a queue the listener drains on its own thread.
 */
@FunctionalInterface
public interface RequestLogListener {
    void onRequestComplete(RequestLog log);
}
