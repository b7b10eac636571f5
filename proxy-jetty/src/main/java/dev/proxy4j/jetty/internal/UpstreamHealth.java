package dev.proxy4j.jetty.internal;

import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.HealthScheduler;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.Promise;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One upstream's health work in the adapter: the core's {@link HealthScheduler} on the server's
 * scheduler, its checks sent with the health-check client, TCP checks connected by that client's
 * connector (its own selector, never a request's event loop).
 */
final class UpstreamHealth {

    private final HealthScheduler scheduler;

    /** {@code rawTcpOnly}: the proxy forwards only raw TCP to {@code upstream} (see {@link HealthScheduler#checkFor}). */
    UpstreamHealth(Upstream upstream, boolean rawTcpOnly, HttpClient client, ClientConnector connector, Scheduler timer) {
        HealthScheduler.Timer onTimer = (delay, task) -> {
            try {
                timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RuntimeException stopped) {
                throw new RejectedExecutionException("the proxy's scheduler is stopped", stopped);
            }
        };
        this.scheduler = new HealthScheduler(upstream, rawTcpOnly, (endpoint, check) -> check.type() == HealthCheck.Type.TCP
                ? connect(connector, timer, endpoint, check) : probe(client, upstream, endpoint, check),
                onTimer, new ThreadRandom());
    }

    void start() {
        scheduler.start();
    }

    void stop() {
        scheduler.stop();
    }

    /** GET of the check's path, in the upstream's HTTP version, within the check's timeout; the body is dropped. */
    private static CompletionStage<HealthScheduler.Answer> probe(HttpClient client, Upstream upstream, Endpoint endpoint,
            HealthCheck check) {
        CompletableFuture<HealthScheduler.Answer> answer = new CompletableFuture<>();
        Request request = client.newRequest(endpoint.uri().resolve(check.path()))
                .method(HttpMethod.GET)
                .timeout(check.timeout().toNanos(), TimeUnit.NANOSECONDS);
        org.eclipse.jetty.io.Transport resolved = ResolvedTransport.of(endpoint);
        if (resolved != null) {
            request.transport(resolved);
        }
        if (upstream.protocol() == UpstreamProtocol.HTTP_2) {
            request.version(HttpVersion.HTTP_2);
        }
        check.host().ifPresent(host -> request.headers(h -> h.put(HttpHeader.HOST, host)));
        upstream.proxyProtocol().ifPresent(version -> request.tag(ProxyProtocolTags.local(version)));
        request.send(result -> answer.complete(result.isSucceeded()
                ? HealthScheduler.Answer.status(result.getResponse().getStatus())
                : HealthScheduler.Answer.failed(describe(result.getFailure(), check.timeout()))));
        return answer;
    }

    /**
     * A TCP connect to the endpoint within the check's timeout; the connection is closed as soon as
     * it is made, nothing sent. A connect still under way at the timeout fails the check, and its
     * channel is closed then.
     */
    private static CompletionStage<HealthScheduler.Answer> connect(ClientConnector connector, Scheduler timer,
            Endpoint endpoint, HealthCheck check) {
        CompletableFuture<HealthScheduler.Answer> answer = new CompletableFuture<>();
        CheckTransport transport = new CheckTransport(answer);
        Scheduler.Task timeout = timer.schedule(() -> {
            answer.complete(HealthScheduler.Answer.failed("timed out after " + check.timeout().toMillis() + "ms"));
            transport.abort();
        }, check.timeout().toNanos(), TimeUnit.NANOSECONDS);
        answer.whenComplete((done, ignored) -> timeout.cancel());
        Map<String, Object> context = new HashMap<>();
        context.put(Transport.CONTEXT_KEY, transport);
        context.put(ClientConnectionFactory.CONTEXT_KEY, (ClientConnectionFactory) (endPoint, ignored) -> {
            answer.complete(HealthScheduler.Answer.connected());
            return new ClosingConnection(endPoint, connector.getExecutor());
        });
        context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, new Promise<Connection>() {
            @Override
            public void failed(Throwable failure) {
                answer.complete(HealthScheduler.Answer.failed(describe(failure, check.timeout())));
            }
        });
        InetAddress resolved = endpoint.address();
        if (resolved != null) {
            connector.connect(new InetSocketAddress(resolved, endpoint.port()), context);
        } else {
            // A host name is looked up here, on a pool thread, not on the scheduler's.
            connector.getExecutor().execute(() -> {
                InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
                if (address.isUnresolved()) {
                    answer.complete(HealthScheduler.Answer.failed("unknown host"));
                } else if (!answer.isDone()) {
                    connector.connect(address, context);
                }
            });
        }
        return answer;
    }

    /** TCP, keeping the check's channel so that a connect still under way at the timeout can be closed. */
    private static final class CheckTransport extends Transport.TCPIP {
        private final CompletableFuture<HealthScheduler.Answer> answer;
        private volatile java.nio.channels.@org.jspecify.annotations.Nullable SelectableChannel channel;

        CheckTransport(CompletableFuture<HealthScheduler.Answer> answer) {
            this.answer = answer;
        }

        @Override
        public java.nio.channels.SelectableChannel newSelectableChannel() throws java.io.IOException {
            java.nio.channels.SelectableChannel opened = super.newSelectableChannel();
            channel = opened;
            if (answer.isDone()) {
                // Timed out before the connect began.
                opened.close();
                throw new ClosedChannelException();
            }
            return opened;
        }

        void abort() {
            java.nio.channels.SelectableChannel opened = channel;
            if (opened != null) {
                org.eclipse.jetty.util.IO.close(opened);
            }
        }
    }

    /** What went wrong, for the log and the read API: a few words, never a stack trace. */
    private static String describe(Throwable failure, Duration timeout) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return "timed out after " + timeout.toMillis() + "ms";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof ClosedChannelException || t instanceof EOFException) {
                return "connection closed";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return failure.getClass().getSimpleName();
    }

    /** The calling thread's own random numbers: the scheduler's and the client's threads vary. */
    private static final class ThreadRandom implements RandomGenerator {
        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public long nextLong(long bound) {
            return ThreadLocalRandom.current().nextLong(bound);
        }
    }
}
