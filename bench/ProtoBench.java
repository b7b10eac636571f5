import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backends and clients of bench/run.sh's protocol scenarios, in one file run by the JDK's
 * source launcher (java bench/ProtoBench.java MODE ...), no build and no dependency:
 *
 *   ws-echo-server PORT                     RFC 6455 echo: every data frame back as it came, pings answered
 *   ws-client URL CONNS SECONDS SIZE        CONNS JDK WebSockets, each sending a SIZE-byte text message and
 *                                           waiting for its echo, again and again for SECONDS; prints one line
 *                                           "round_trips=N rps=R p50_ms=A p99_ms=B errors=E"
 *   tcp-sink PORT                           per connection: read to the end of input, answer the byte count, close
 *   tcp-send HOST PORT MIB                  send MIB MiB, half-close, read the count; prints "mb_s=X body_ok=0|1"
 *
 * Bench tooling only: loopback, a thread per connection, no limits.
 */
public final class ProtoBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ws-echo-server" -> serve(Integer.parseInt(args[1]), ProtoBench::echoWebSocket);
            case "ws-client" -> wsClient(URI.create(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "tcp-sink" -> serve(Integer.parseInt(args[1]), ProtoBench::sink);
            case "tcp-send" -> tcpSend(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private static void serve(int port, Handler handler) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
            while (true) {
                Socket socket = server.accept();
                Thread thread = new Thread(() -> {
                    try (socket) {
                        socket.setTcpNoDelay(true);
                        handler.handle(socket);
                    } catch (IOException e) {
                        // the peer went away: nothing to report in a bench backend
                    }
                });
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    // ------------------------------------------------------------------ WebSocket echo backend

    private static void echoWebSocket(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        String key = null;
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Key")) {
                key = line.substring(colon + 1).trim();
            }
        }
        if (key == null) {
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return;
            }
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((b1 & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            int opcode = b0 & 0x0F;
            if (opcode == 9) {
                b0 = (b0 & 0xF0) | 10;   // a ping gets its pong
            } else if (opcode == 10) {
                continue;
            }
            writeFrame(out, b0, payload);
            if (opcode == 8) {
                return;
            }
        }
    }

    private static void writeFrame(OutputStream out, int b0, byte[] payload) throws IOException {
        byte[] head;
        if (payload.length < 126) {
            head = new byte[] {(byte) b0, (byte) payload.length};
        } else if (payload.length < 65536) {
            head = new byte[] {(byte) b0, 126, (byte) (payload.length >>> 8), (byte) payload.length};
        } else {
            head = ByteBuffer.allocate(10).put((byte) b0).put((byte) 127).putLong(payload.length).array();
        }
        out.write(head);
        out.write(payload);
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (b < 0 && line.length() == 0) {
            throw new IOException("end of input in the handshake");
        }
        return line.toString();
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ WebSocket client

    private static void wsClient(URI uri, int conns, int seconds, int size) throws Exception {
        String message = "x".repeat(size);
        // The clock starts once every connection is open (or failed): handshakes are not round trips.
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(conns);
        long[] endAt = new long[1];
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[conns][];
        long[] counts = new long[conns];
        List<Thread> threads = new ArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        for (int c = 0; c < conns; c++) {
            int index = c;
            Thread thread = new Thread(() -> {
                long[] mine = new long[1024];
                int n = 0;
                WebSocket socket = null;
                Echoes echoes = new Echoes();
                try {
                    socket = client.newWebSocketBuilder().buildAsync(uri, echoes).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
                opened.countDown();
                try {
                    started.await();
                    if (socket == null) {
                        throw new IllegalStateException("not connected");
                    }
                    long end = endAt[0];
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        echoes.next = new CompletableFuture<>();
                        socket.sendText(message, true).get(10, TimeUnit.SECONDS);
                        String back = echoes.next.get(10, TimeUnit.SECONDS);
                        if (back.length() != size) {
                            errors.incrementAndGet();
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - start;
                    }
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
                } catch (IllegalStateException notConnected) {
                    // counted already
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
                latencies[index] = mine;
                counts[index] = n;
            });
            threads.add(thread);
            thread.start();
        }
        opened.await();
        endAt[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        started.countDown();
        long total = 0;
        for (Thread thread : threads) {
            thread.join();
        }
        for (long count : counts) {
            total += count;
        }
        long[] sorted = new long[(int) total];
        int at = 0;
        for (int c = 0; c < conns; c++) {
            System.arraycopy(latencies[c], 0, sorted, at, (int) counts[c]);
            at += (int) counts[c];
        }
        Arrays.sort(sorted);
        System.out.printf("round_trips=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d%n", total, total / (double) seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.99), errors.get());
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
    }

    /** Completes {@code next} with each whole text message. */
    private static final class Echoes implements WebSocket.Listener {
        volatile CompletableFuture<String> next = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                next.complete(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    // ------------------------------------------------------------------ TCP stream

    private static void sink(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[256 * 1024];
        long count = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            count += n;
        }
        socket.getOutputStream().write(Long.toString(count).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static void tcpSend(String host, int port, int mib) throws IOException {
        byte[] chunk = new byte[1 << 20];
        new java.util.Random(1).nextBytes(chunk);
        long start = System.nanoTime();
        String answer;
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(600_000);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < mib; i++) {
                out.write(chunk);
            }
            out.flush();
            socket.shutdownOutput();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        long ns = System.nanoTime() - start;
        boolean ok = answer.equals(Long.toString((long) mib << 20));
        System.out.printf("mb_s=%.1f body_ok=%d%n", ((long) mib << 20) / 1e6 / (ns / 1e9), ok ? 1 : 0);
    }
}
