package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.server.ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WebSocketExample}: an upgrade with a ticket is tunnelled to the echo backend; one without gets 401. */
class WebSocketExampleTest {

    private Server backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = WebSocketExample.echoBackend();
        proxy = ProxyServer.of(WebSocketExample.config(0, Quickstart.uri(backend))).start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        backend.stop();
    }

    @Test
    void aClientWithATicketTalksToTheBackend() throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/chat?ticket=demo"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                })
                .get(5, TimeUnit.SECONDS);

        socket.sendText("hi", true).get(5, TimeUnit.SECONDS);
        assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("echo: hi");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aClientWithoutATicketIsRefusedBeforeTheTunnelOpens() {
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/chat"), new WebSocket.Listener() { })
                .get(5, TimeUnit.SECONDS))
                .hasRootCauseMessage("Unexpected HTTP response status code 401");
    }
}
