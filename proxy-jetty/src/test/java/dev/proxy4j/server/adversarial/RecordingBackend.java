package dev.proxy4j.server.adversarial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A backend made of a bare server socket on 127.0.0.1: it frames each request itself (Content-Length
 * or chunked, as RFC 9112 says), records its exact bytes, and answers {@code 200} with a two-byte body,
 * or with the bytes it was given. So a test sees exactly what reached the backend, and a second request
 * hidden in the first one's body shows up as a second recorded request.
 */
final class RecordingBackend implements AutoCloseable {

    /**
     * One request as the backend framed it: the head's bytes, the body's bytes (chunked framing
     * decoded), and whether the body came to its end before the proxy closed the connection.
     */
    record Received(String head, String body, boolean complete) {
        String requestLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        /** The values of a header, matched case-insensitively, in order. */
        List<String> all(String name) {
            List<String> values = new ArrayList<>();
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).trim());
                }
            }
            return values;
        }

        /** The header names, lower case, in order. */
        List<String> names() {
            List<String> names = new ArrayList<>();
            String[] lines = head.split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                names.add(colon < 0 ? lines[i] : lines[i].substring(0, colon).toLowerCase(Locale.ROOT));
            }
            return names;
        }
    }

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<byte[]> answers = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();

    private RecordingBackend(String... answers) throws IOException {
        for (String answer : answers) {
            this.answers.add(answer.getBytes(StandardCharsets.ISO_8859_1));
        }
        Thread acceptor = new Thread(this::accept, "recording-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static RecordingBackend answeringOk() throws IOException {
        return new RecordingBackend("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }

    /**
     * Answers the first request with the first of these bytes (a fault, a response with more after
     * it, ...), the second with the second, and every later one with the last; an empty answer closes
     * the connection instead.
     */
    static RecordingBackend answering(String... rawResponses) throws IOException {
        return new RecordingBackend(rawResponses);
    }

    String uri() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The next request the backend got, waiting at most a few seconds; null if none came. */
    @Nullable Received next() throws InterruptedException {
        return received.poll(5, TimeUnit.SECONDS);
    }

    /** Another request if one comes within a short wait (used after the expected ones were taken). */
    @Nullable Received more() throws InterruptedException {
        return received.poll(300, TimeUnit.MILLISECONDS);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread reader = new Thread(() -> serve(socket), "recording-backend-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                try {
                    readBody(in, head, body);
                } catch (IOException | RuntimeException e) {
                    // The proxy closed the connection, or sent what cannot be framed, within the body.
                    received.add(new Received(head, body.toString(StandardCharsets.ISO_8859_1), false));
                    return;
                }
                received.add(new Received(head, body.toString(StandardCharsets.ISO_8859_1), true));
                byte[] answer = answers.get(Math.min(served.getAndIncrement(), answers.size() - 1));
                if (answer.length == 0) {
                    return; // no answer at all: the connection is closed
                }
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // The proxy closed or reset the connection between requests.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void readBody(InputStream in, String head, ByteArrayOutputStream body) throws IOException {
        Received parsed = new Received(head, "", false);
        List<String> te = parsed.all("Transfer-Encoding");
        if (!te.isEmpty()) {
            if (!te.get(te.size() - 1).toLowerCase(Locale.ROOT).endsWith("chunked")) {
                throw new IOException("a transfer coding other than chunked: " + te);
            }
            readChunked(in, body);
            return;
        }
        List<String> cl = parsed.all("Content-Length");
        if (cl.isEmpty()) {
            return;
        }
        int length = Integer.parseInt(cl.get(0));
        for (int i = 0; i < length; i++) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream within a body of " + length + " bytes");
            }
            body.write(b);
        }
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (true) {
            String line = readLine(in);
            int semicolon = line.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return;
            }
            for (int i = 0; i < size; i++) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("end of stream within a chunk");
                }
                body.write(b);
            }
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in a chunked body");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
