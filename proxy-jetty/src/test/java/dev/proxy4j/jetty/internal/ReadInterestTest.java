package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.upstream.Upstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection whose reader is waiting stays registered for reading across the selection that
 * woke it (no epoll_ctl to remove and re-add it per request), and bytes that arrive while nobody
 * reads are reported once and then left alone: the loops do not spin on them, and nothing is lost,
 * neither there nor where the read after a response is skipped.
 */
class ReadInterestTest {

    /** More than the socket buffers on the way hold, so the proxy has to stop reading the backend. */
    private static final int BIG = 64 * 1024 * 1024;
    /** A spinning loop selects the same ready connection tens of thousands of times in the window. */
    private static final int FEW_SELECTIONS = 20;
    private static final long WINDOW_MS = 300;

    private final CountDownLatch backendMayAnswer = new CountDownLatch(1);
    private final CountDownLatch arrived = new CountDownLatch(1);
    private Server backend;
    private JettyServerFactory.@Nullable Built proxy;

    @BeforeEach
    void start() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        backend.addConnector(connector);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                if (path.equals("/big")) {
                    response.getHeaders().put("Content-Length", BIG);
                    byte[] chunk = new byte[64 * 1024];
                    for (int written = 0; written < BIG; written += chunk.length) {
                        Content.Sink.write(response, written + chunk.length == BIG, ByteBuffer.wrap(chunk));
                    }
                    callback.succeeded();
                    return true;
                }
                if (path.equals("/slow")) {
                    arrived.countDown();
                    backendMayAnswer.await(10, TimeUnit.SECONDS);
                }
                Content.Sink.write(response, true, path.substring(1), callback);
                return true;
            }
        });
        backend.start();
        proxy = JettyServerFactory.create(ProxyConfig.builder().listener(Listener.plain("127.0.0.1", 0))
                .accessLog(false)
                .route(r -> r.upstream(Upstream.of("http://127.0.0.1:" + connector.getLocalPort())))
                .build(), null);
        proxy.server().start();
    }

    @AfterEach
    void stop() throws Exception {
        backendMayAnswer.countDown();
        if (proxy != null) {
            proxy.server().stop();
        }
        backend.stop();
    }

    @Test
    void aConnectionWaitingForItsResponseStaysRegisteredForReading() throws Exception {
        try (Socket socket = client()) {
            send(socket, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            // The request was read; its connection keeps its read registration while it waits.
            assertThat(clientInterestOps() & SelectionKey.OP_READ).isEqualTo(SelectionKey.OP_READ);

            backendMayAnswer.countDown();
            assertThat(readResponse(socket.getInputStream())).endsWith("slow");
            assertThat(clientInterestOps() & SelectionKey.OP_READ).isEqualTo(SelectionKey.OP_READ);

            send(socket, "GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readResponse(socket.getInputStream())).endsWith("again");
        }
    }

    @Test
    void aRequestSentWhileTheLastIsInFlightIsSelectedOnceAndAnsweredAfterIt() throws Exception {
        try (Socket socket = client()) {
            send(socket, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            long before = selections();
            send(socket, "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");

            // Nobody reads the connection until the first response is written: the one report of
            // the bytes drops its read registration instead of selecting it again and again.
            await(() -> (clientInterestOps() & SelectionKey.OP_READ) == 0);
            Thread.sleep(WINDOW_MS);
            assertThat(selections() - before).isLessThanOrEqualTo(FEW_SELECTIONS);

            backendMayAnswer.countDown();
            InputStream in = socket.getInputStream();
            assertThat(readResponse(in)).endsWith("slow");
            assertThat(readResponse(in)).endsWith("next");
        }
    }

    @Test
    void requestsSentRightAfterTheirResponsesOrPipelinedAreAllAnswered() throws Exception {
        // After a response the connection's next read is skipped (the client sends after reading):
        // a request already there, or arriving at once, is reported by the selector instead.
        try (Socket socket = client()) {
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 50; i++) {
                send(socket, "GET /n" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readResponse(in)).endsWith("n" + i);
            }
            send(socket, "POST /posted HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readResponse(in)).endsWith("posted");
            assertThat(readResponse(in)).endsWith("first");
            assertThat(readResponse(in)).endsWith("second");
            send(socket, "GET /last HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readResponse(in)).endsWith("last");
        }
    }

    @Test
    void aBackendBodyTheClientDoesNotReadYetIsNotSelectedOverAndOver() throws Exception {
        try (Socket socket = client()) {
            send(socket, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            // The client reads nothing: the proxy's writes stall, it stops reading the backend,
            // and the backend's bytes wait in the backend connection.
            long settled = selections();
            for (int i = 0; i < 100; i++) {
                Thread.sleep(50);
                long now = selections();
                if (now == settled) {
                    break;
                }
                settled = now;
            }
            Thread.sleep(WINDOW_MS);
            assertThat(selections() - settled).isLessThanOrEqualTo(FEW_SELECTIONS);

            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: " + BIG);
            assertThat(read(in, BIG)).isEqualTo(BIG);
        }
    }

    private Socket client() throws IOException {
        Socket socket = new Socket("127.0.0.1", connector().getLocalPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private LoopConnector connector() {
        return (LoopConnector) proxy.server().getConnectors()[0];
    }

    private Collection<ManagedSelector> loops() {
        return connector().getSelectorManager().getBeans(ManagedSelector.class);
    }

    /** Selections that found at least one ready connection, over the proxy's loops (client and backend connections). */
    private long selections() {
        return loops().stream().mapToLong(ManagedSelector::getSelectCount).sum();
    }

    private int clientInterestOps() {
        Collection<EndPoint> endPoints = connector().getConnectedEndPoints();
        assertThat(endPoints).hasSize(1);
        SelectableChannel channel = (SelectableChannel) endPoints.iterator().next().getTransport();
        for (ManagedSelector loop : loops()) {
            SelectionKey key = channel.keyFor(loop.getSelector());
            if (key != null) {
                return key.interestOps();
            }
        }
        throw new AssertionError("the client connection is registered with none of the loops");
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            assertThat(b).as("end of stream inside a response head").isNotNegative();
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Reads up to {@code length} bytes and says how many came before the end of the stream. */
    private static long read(InputStream in, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long got = 0;
        while (got < length) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - got));
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }

    /** One response with a Content-Length body, head and body as text. */
    private static String readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        int at = head.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        assertThat(at).as("a Content-Length in %s", head).isNotNegative();
        int length = Integer.parseInt(head.substring(at + 15, head.indexOf('\r', at)).trim());
        return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
