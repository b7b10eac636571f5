package dev.proxy4j.testkit;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Callback;

/**
 * A WebSocket client over one HTTP/2 stream (RFC 8441), on Jetty's low-level HTTP/2 client, with
 * RFC 6455 frames made and parsed here: what an h2 browser does, with nothing between the test and
 * the stream. (Jetty's own WebSocket client over HTTP/2 can lose a message that arrives right after
 * the handshake, see WebSocketOverHttp2EndToEndTest, so the exact assertions are made with this one.)
 */
final class Rfc8441Client implements AutoCloseable {

    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    /** A whole message (fragments joined) or a control frame. */
    record Message(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final HTTP2Client client = new HTTP2Client();
    private final CompletableFuture<Integer> connectProtocolSetting = new CompletableFuture<>();
    final CompletableFuture<MetaData.Response> response = new CompletableFuture<>();
    /** Completes when the stream ends: END_STREAM from the proxy, a reset or a failure. */
    final CompletableFuture<String> ended = new CompletableFuture<>();
    final LinkedBlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private byte[] unparsed = new byte[64 * 1024];
    private int unparsedLength;
    private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();
    private int fragmentedOpcode;
    private Stream stream;

    /** Opens the stream over h2c (prior knowledge): {@code CONNECT} with {@code :protocol websocket} to {@code path}. */
    Rfc8441Client(int port, String path, Map<String, String> headers) throws Exception {
        this(port, path, headers, null);
    }

    /**
     * Over TLS when {@code tls} is given: h2 chosen by ALPN (the connect fails if the server
     * picks anything else), {@code :scheme https}; over h2c without.
     */
    Rfc8441Client(int port, String path, Map<String, String> headers,
            org.eclipse.jetty.util.ssl.SslContextFactory.@org.jspecify.annotations.Nullable Client tls) throws Exception {
        if (tls != null) {
            client.addBean(tls);
        }
        client.start();
        Session.Listener settings = new Session.Listener() {
            @Override
            public void onSettings(Session session, SettingsFrame frame) {
                connectProtocolSetting.complete(frame.getSettings().getOrDefault(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 0));
            }
        };
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        Session session = (tls == null ? client.connect(address, settings) : client.connect(tls, address, settings))
                .get(10, TimeUnit.SECONDS);
        connectProtocolSetting.get(10, TimeUnit.SECONDS);
        HttpFields.Mutable fields = HttpFields.build().put("sec-websocket-version", "13");
        headers.forEach(fields::put);
        MetaData.ConnectRequest connect = new MetaData.ConnectRequest(tls == null ? HttpScheme.HTTP : HttpScheme.HTTPS,
                new HostPortHttpField("127.0.0.1:" + port), path, fields, "websocket");
        stream = session.newStream(new HeadersFrame(connect, null, false), new Stream.Listener() {
            @Override
            public void onHeaders(Stream stream, HeadersFrame frame) {
                if (frame.getMetaData() instanceof MetaData.Response head) {
                    response.complete(head);
                }
                if (frame.isEndStream()) {
                    ended.complete("end of stream with the response");
                } else {
                    stream.demand();
                }
            }

            @Override
            public void onDataAvailable(Stream stream) {
                while (true) {
                    Stream.Data data = stream.readData();
                    if (data == null) {
                        stream.demand();
                        return;
                    }
                    ByteBuffer bytes = data.frame().getByteBuffer();
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    boolean last = data.frame().isEndStream();
                    data.release();
                    received(copy);
                    if (last) {
                        ended.complete("end of stream");
                        return;
                    }
                }
            }

            @Override
            public void onReset(Stream stream, ResetFrame frame, Callback callback) {
                ended.complete("reset");
                callback.succeeded();
            }

            @Override
            public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
                ended.complete("failure: " + reason);
                callback.succeeded();
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** The proxy's SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 section 3). */
    int connectProtocolSetting() throws Exception {
        return connectProtocolSetting.get(10, TimeUnit.SECONDS);
    }

    int status() throws Exception {
        return response.get(10, TimeUnit.SECONDS).getStatus();
    }

    void sendText(String text) throws Exception {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One masked frame with FIN set, as a client must send it (RFC 6455 5.3). */
    void send(int opcode, byte[] payload) throws Exception {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        frame.writeBytes(masked);
        stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(frame.toByteArray()), false)).get(30, TimeUnit.SECONDS);
    }

    /** The client's end of the stream (END_STREAM): the tunnel's half-close. */
    void endStream() throws Exception {
        stream.data(new DataFrame(stream.getId(), ByteBuffer.allocate(0), true)).get(10, TimeUnit.SECONDS);
    }

    /** Resets the stream (RST_STREAM, CANCEL): the client gives up on it abruptly. */
    void reset() throws Exception {
        stream.reset(new ResetFrame(stream.getId(), org.eclipse.jetty.http2.ErrorCode.CANCEL_STREAM_ERROR.code)).get(10, TimeUnit.SECONDS);
    }

    Message next() throws InterruptedException {
        Message message = messages.poll(30, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no WebSocket message within 30 s");
        }
        return message;
    }

    /** Parses server frames (unmasked) out of the stream's bytes, joining fragments into messages. */
    private synchronized void received(byte[] bytes) {
        if (unparsedLength + bytes.length > unparsed.length) {
            unparsed = java.util.Arrays.copyOf(unparsed, Math.max(unparsed.length * 2, unparsedLength + bytes.length));
        }
        System.arraycopy(bytes, 0, unparsed, unparsedLength, bytes.length);
        unparsedLength += bytes.length;
        byte[] all = unparsed;
        int end = unparsedLength;
        int at = 0;
        while (true) {
            if (end - at < 2) {
                break;
            }
            boolean fin = (all[at] & 0x80) != 0;
            int opcode = all[at] & 0x0F;
            long length = all[at + 1] & 0x7F;
            int header = 2;
            if (length == 126) {
                if (end - at < 4) {
                    break;
                }
                length = ((all[at + 2] & 0xFF) << 8) | (all[at + 3] & 0xFF);
                header = 4;
            } else if (length == 127) {
                if (end - at < 10) {
                    break;
                }
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (all[at + 2 + i] & 0xFF);
                }
                header = 10;
            }
            if (end - at - header < length) {
                break;
            }
            byte[] payload = java.util.Arrays.copyOfRange(all, at + header, at + header + (int) length);
            at += header + (int) length;
            if (opcode >= CLOSE) {
                messages.add(new Message(opcode, payload));
            } else {
                if (opcode != 0) {
                    fragmentedOpcode = opcode;
                }
                fragments.writeBytes(payload);
                if (fin) {
                    messages.add(new Message(fragmentedOpcode, fragments.toByteArray()));
                    fragments.reset();
                }
            }
        }
        if (at > 0) {
            System.arraycopy(all, at, all, 0, end - at);
            unparsedLength = end - at;
        }
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
