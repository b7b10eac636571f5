package dev.proxy4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.log.RequestLog;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The proxy's own error answers carry an X-Request-Id, the same one its request log has. */
class ErrorAnswersRequestIdTest {

    private final List<RequestLog> logs = new CopyOnWriteArrayList<>();
    private ProxyServer proxy;

    @BeforeEach
    void start() {
        proxy = ProxyServer.builder().listen("127.0.0.1", 0).accessLog(false).requestLogListener(logs::add)
                .route(r -> r.pathPrefix("/dead").upstream("http://127.0.0.1:1"))
                .route(r -> r.pathPrefix("/only").upstream("http://127.0.0.1:1"))
                .build().start();
    }

    @AfterEach
    void stop() {
        proxy.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /nowhere HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET /dead/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET /only/a%2Fb HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "TRACE /only HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET /only HTTP/1.1\r\nHost: a\r\nBad Header\r\nConnection: close\r\n\r\n"})
    void everyErrorAnswerCarriesTheRequestIdOfItsLog(String request) throws Exception {
        String answer = exchange(request);

        Matcher id = Pattern.compile("(?mi)^X-Request-Id: (\\S+)$").matcher(answer);
        assertThat(id.find()).as(answer).isTrue();
        assertThat(answer).matches("(?s)HTTP/1.1 (404|502|400|405) .*");
        for (int i = 0; i < 100 && logs.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(logs).extracting(RequestLog::requestId).containsExactly(id.group(1));
    }

    @Test
    void aRefusedRequestKeepsTheClientsAcceptableRequestId() throws Exception {
        String answer = exchange("TRACE /only HTTP/1.1\r\nHost: a\r\nX-Request-Id: abc-123\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 405 ").containsIgnoringCase("X-Request-Id: abc-123\r\n");
    }

    private String exchange(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
