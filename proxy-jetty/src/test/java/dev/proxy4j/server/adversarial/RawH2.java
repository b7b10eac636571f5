package dev.proxy4j.server.adversarial;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.hpack.HpackDecoder;

/**
 * An h2c client (prior knowledge) over a bare socket that writes HEADERS and DATA frames exactly as
 * told: fields in the given order and case, pseudo-headers or not, any bytes in names and values
 * (HPACK literals without Huffman coding), so it can send what Jetty's own client refuses to encode.
 * Responses are decoded with Jetty's HPACK decoder.
 */
final class RawH2 implements AutoCloseable {

    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int GOAWAY = 7;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final String[] ERRORS = {"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
        "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
        "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final HpackDecoder decoder = new HpackDecoder(64 * 1024, System::nanoTime);

    RawH2(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** A HEADERS frame on {@code stream}: {@code fields} as name, value pairs, each an HPACK literal. */
    void headers(int stream, boolean endStream, List<String> fields) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < fields.size(); i += 2) {
            block.write(0x00); // literal header field without indexing, new name
            string(block, fields.get(i));
            string(block, fields.get(i + 1));
        }
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block.toByteArray());
    }

    void data(int stream, boolean endStream, String bytes) throws IOException {
        frame(DATA, endStream ? END_STREAM : 0, stream, bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * What became of {@code stream}: {@code "status N"} for a response, {@code "reset CODE"} for
     * RST_STREAM, {@code "goaway CODE"} when the whole connection was refused, {@code "closed"} or
     * {@code "silence"} otherwise.
     */
    String outcome(int stream) throws IOException {
        try {
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int id = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (type == SETTINGS && (flags & 0x1) == 0) {
                    frame(SETTINGS, 0x1, 0, new byte[0]);
                } else if (type == HEADERS) {
                    // Decoded even for other streams, to keep the HPACK table in step.
                    MetaData metaData = decoder.decode(ByteBuffer.wrap(payload));
                    if (id == stream && metaData instanceof MetaData.Response response) {
                        return "status " + response.getStatus();
                    }
                } else if (type == RST_STREAM && id == stream) {
                    return "reset " + error(ByteBuffer.wrap(payload).getInt());
                } else if (type == GOAWAY) {
                    return "goaway " + error(ByteBuffer.wrap(payload).getInt(4));
                }
            }
        } catch (EOFException e) {
            return "closed";
        } catch (SocketTimeoutException e) {
            return "silence";
        } catch (org.eclipse.jetty.http2.hpack.HpackException e) {
            throw new IOException("the proxy's response headers cannot be decoded", e);
        }
    }

    private static String error(int code) {
        return code >= 0 && code < ERRORS.length ? ERRORS[code] : "0x" + Integer.toHexString(code);
    }

    private static void string(ByteArrayOutputStream block, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        integer(block, bytes.length);
        block.writeBytes(bytes);
    }

    /** An HPACK integer with a 7-bit prefix (RFC 7541 5.1), the Huffman bit clear. */
    private static void integer(ByteArrayOutputStream block, int value) {
        if (value < 127) {
            block.write(value);
            return;
        }
        block.write(127);
        int rest = value - 127;
        while (rest >= 128) {
            block.write((rest % 128) + 128);
            rest /= 128;
        }
        block.write(rest);
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(9);
        head.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        head.put((byte) type).put((byte) flags).putInt(stream);
        out.write(head.array());
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
