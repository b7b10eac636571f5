package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server's thread pool, except that an HTTP/1.1 connection of a {@link LoopConnector} that
 * resumes after a response is run on the calling thread instead of being handed to the pool.
 *
 * <p>When a response completes after the handler has returned (always, for a proxied one), Jetty
 * resumes the client's connection, to read its next request, by executing the connection in the
 * pool. On an event loop that hand-off is pure cost: the caller is the loop thread that wrote the
 * response, the connection belongs to it, and reading is non-blocking (the handler never blocks).
 * A pooled hand-off per keep-alive request cost about a sixth of the proxy's CPU time in the small
 * GET benchmark (bench/RESULTS.md). A connection its response ended is closed instead; one with
 * nothing to read yet ({@link QuietEndPoint#assumesEmpty()}) waits for its next request without a
 * pass through Jetty's read (a request buffer taken from the pool and given back, about 2% of the
 * proxy's CPU time on a small GET). Everything else is executed as usual.
 *
 * <p>It keeps no reserved threads. With one at hand, Jetty's selector gives its selecting to it
 * before running a task that may or may not block (an HTTP/2 connection's read is one), and runs
 * the task on its own thread: over HTTP/2 a loop's work hopped between threads on every read, and
 * the loop's thread ({@link LoopConnector#inLoop}) kept changing. Without one, such a task runs on
 * the loop as a non-blocking one; a task that would block is still executed by the pool.
 */
final class LoopThreadPool extends QueuedThreadPool {

    LoopThreadPool() {
        setName("proxy4j");
        setReservedThreads(0);
    }

    @Override
    public void execute(Runnable job) {
        if (job instanceof HttpConnection connection && connection.getConnector() instanceof LoopConnector) {
            if (connection.getParser().isTerminated() && connection.isRequestBufferEmpty()) {
                // The response ended the connection (Connection: close, HTTP/1.0). Jetty's read for a
                // next request would throw "Parser is terminated" (two exceptions, stack traces
                // filled) only for its handler to close the endpoint: close it here.
                connection.getEndPoint().close();
                return;
            }
            if (connection.isRequestBufferEmpty() && connection.getParser().isStart()
                    && connection.getEndPoint() instanceof LoopConnector.LoopEndPoint endPoint && endPoint.assumesEmpty()
                    && endPoint.isOpen()) {
                // A response was written and nothing of a next request is here yet (the client sends
                // it after reading the response): Jetty would take a request buffer from the pool, fill
                // nothing, parse nothing, give the buffer back and wait for bytes. Wait at once.
                connection.fillInterested(endPoint.nextRequest(connection));
                return;
            }
            job.run();
            return;
        }
        super.execute(job);
    }
}
