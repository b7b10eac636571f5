package dev.proxy4j.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends bytes a well-behaved client would not, and reads what comes back until the server closes or goes quiet. */
final class RawHttp {

    private RawHttp() {
    }

    static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readResponseHead(socket.getInputStream());
        }
    }

    /** Reads until the end of the first response's head and its Content-Length body, or end of stream. */
    static String readResponseHead(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int contentLength = -1;
        int headEnd = -1;
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketTimeoutException e) {
                break;
            }
            if (b < 0) {
                break;
            }
            out.write(b);
            String text = out.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
                headEnd = text.length();
                int at = text.toLowerCase().indexOf("content-length:");
                if (at >= 0) {
                    contentLength = Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
                }
                if (contentLength <= 0) {
                    break;
                }
            } else if (headEnd >= 0 && text.length() - headEnd >= contentLength) {
                break;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
