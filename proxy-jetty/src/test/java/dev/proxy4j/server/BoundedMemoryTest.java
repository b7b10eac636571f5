package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream with bounded memory: 1 GiB each way through a proxy whose JVM has a 64 MiB heap
 * arrives with the same SHA-256. {@code -Dproxy4j.test.bigBody=N} changes the size.
 */
class BoundedMemoryTest {

    private static final long SIZE = Long.getLong("proxy4j.test.bigBody", 1024L * 1024 * 1024);

    private static TestBackend backend;
    private static Process proxy;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(new StreamingBackend());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        proxy = new ProcessBuilder(List.of(java, "-Xmx64m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                ProxyMain.class.getName(), backend.uri()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream()));
        String line = out.readLine();
        assertThat(line).as("the proxy process announces its port").startsWith("PORT ");
        port = Integer.parseInt(line.substring(5));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.getOutputStream().close();
            if (!proxy.waitFor(30, TimeUnit.SECONDS)) {
                proxy.destroyForcibly();
            }
        }
        backend.close();
    }

    @Test
    void downloadsOneGibibyteThroughA64MibHeap() throws Exception {
        HttpClient client = Clients.HTTP_1_1.start();
        try {
            InputStreamResponseListener listener = new InputStreamResponseListener();
            client.newRequest("127.0.0.1", port).path("/download?size=" + SIZE).send(listener);
            assertThat(listener.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long received = 0;
            try (InputStream in = listener.getInputStream()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    received += n;
                }
            }

            assertThat(received).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(StreamingBackend.patternSha256(SIZE));
            assertThat(proxy.isAlive()).isTrue();
        } finally {
            client.stop();
        }
    }

    @Test
    void uploadsOneGibibyteThroughA64MibHeap() throws Exception {
        HttpClient client = Clients.HTTP_1_1.start();
        try {
            ContentResponse response = client.newRequest("127.0.0.1", port).method("POST").path("/upload")
                    .body(new InputStreamRequestContent(StreamingBackend.patternStream(SIZE)))
                    .timeout(10, TimeUnit.MINUTES)
                    .send();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo(StreamingBackend.patternSha256(SIZE) + " " + SIZE);
            assertThat(proxy.isAlive()).isTrue();
        } finally {
            client.stop();
        }
    }
}
