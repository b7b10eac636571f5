package dev.proxy4j.server.adversarial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** An HTTP/1.1 client that sends exactly the bytes it is given and reads the first response that comes back. */
final class RawClient {

    /** The first response: its status (0 if the connection closed or went quiet first) and its text. */
    record Answer(int status, String text) {
        String header(String name) {
            String head = text.contains("\r\n\r\n") ? text.substring(0, text.indexOf("\r\n\r\n")) : text;
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }

        String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    private RawClient() {
    }

    static Answer exchange(int port, String request) throws IOException {
        return exchange(port, request, 1);
    }

    /** Sends the bytes, reads {@code responses} responses (for pipelined requests) and gives the first. */
    static Answer exchange(int port, String request, int responses) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            Answer first = read(socket.getInputStream());
            for (int i = 1; i < responses && first.status() != 0; i++) {
                read(socket.getInputStream());
            }
            return first;
        }
    }

    /** Reads one response: its head and a body of its Content-Length (the proxy's own answers all have one). */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int matched = 0;
        try {
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return new Answer(0, out.toString(StandardCharsets.ISO_8859_1));
                }
                out.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            String head = out.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            for (int i = 0; i < length; i++) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
            }
        } catch (SocketTimeoutException e) {
            return new Answer(0, out.toString(StandardCharsets.ISO_8859_1));
        }
        String text = out.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
            return new Answer(0, text);
        }
        return new Answer(Integer.parseInt(text.substring(9, 12)), text);
    }
}
