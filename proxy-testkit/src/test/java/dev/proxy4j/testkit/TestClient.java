package dev.proxy4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Real HTTP/1.1 clients for the tests: the JDK's, and a raw socket for exact bytes. */
final class TestClient {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestClient() {}

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).build());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<InputStream> sendStreaming(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** An HTTP/1.1 head from its lines: CRLF after each, and the blank line. */
    static String head(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    /** Writes {@code message} as is and returns everything the server sends until it closes. */
    static String raw(URI base, String message) {
        try (Socket socket = open(base)) {
            socket.getOutputStream().write(message.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code message} and counts the reads it takes to receive the response until the server closes. */
    static int readsUntilClosed(URI base, String message) {
        try (Socket socket = open(base)) {
            socket.getOutputStream().write(message.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int reads = 0;
            while (in.read(buffer) >= 0) {
                reads++;
            }
            return reads;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Socket open(URI base) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }
}
