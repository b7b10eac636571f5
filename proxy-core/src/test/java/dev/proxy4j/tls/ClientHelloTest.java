package dev.proxy4j.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** On real ClientHellos, as the JDK's TLS client writes them. */
class ClientHelloTest {

    /** The first flight of a JDK TLS client, with {@code serverName} as SNI (none for null). */
    private static byte[] clientHello(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine(serverName == null ? null : serverName, 443);
        engine.setUseClientMode(true);
        if (serverName != null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            engine.setSSLParameters(parameters);
        }
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    @Test
    void readsTheServerName() throws Exception {
        ByteBuffer hello = ByteBuffer.wrap(clientHello("Db.Example.com"));
        int position = hello.position();

        assertThat(ClientHello.parse(hello)).isEqualTo(new ClientHello.Parsed("db.example.com"));
        assertThat(hello.position()).as("the buffer is left as it was").isEqualTo(position);
    }

    @Test
    void aHelloWithNoServerNameHasAnEmptyOne() throws Exception {
        assertThat(ClientHello.parse(ByteBuffer.wrap(clientHello(null)))).isEqualTo(new ClientHello.Parsed(""));
    }

    @Test
    void partOfAHelloNeedsMore() throws Exception {
        byte[] hello = clientHello("db.example.com");

        assertThat(ClientHello.parse(ByteBuffer.wrap(hello, 0, 3))).isInstanceOf(ClientHello.NeedMore.class);
        assertThat(ClientHello.parse(ByteBuffer.wrap(Arrays.copyOf(hello, hello.length / 2))))
                .isInstanceOf(ClientHello.NeedMore.class);
    }

    @Test
    void aHelloSpreadOverSeveralRecordsIsGatheredFirst() throws Exception {
        byte[] hello = clientHello("db.example.com");
        byte[] body = Arrays.copyOfRange(hello, 5, hello.length);
        // The same handshake in three records of a few bytes, then many.
        ByteBuffer records = ByteBuffer.allocate(body.length + 15);
        int[] cuts = {0, 3, 40, body.length};
        for (int i = 0; i < 3; i++) {
            int length = cuts[i + 1] - cuts[i];
            records.put((byte) 22).put((byte) 3).put((byte) 1).putShort((short) length).put(body, cuts[i], length);
        }
        records.flip();

        assertThat(ClientHello.parse(records)).isEqualTo(new ClientHello.Parsed("db.example.com"));
        assertThat(ClientHello.parse(ByteBuffer.wrap(records.array(), 0, 30))).isInstanceOf(ClientHello.NeedMore.class);
    }

    @Test
    void plainHttpAndGarbageAreNotTls() {
        assertThat(ClientHello.parse(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(ClientHello.NotTls.class);
        assertThat(ClientHello.parse(ByteBuffer.wrap(new byte[] {22, 3, 1, 0, 4, 2, 0, 0, 0})))
                .as("a handshake that is not a ClientHello").isInstanceOf(ClientHello.NotTls.class);
        assertThat(ClientHello.parse(ByteBuffer.wrap(new byte[] {22, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0})))
                .as("lengths that run past the message").isInstanceOf(ClientHello.NotTls.class);
    }

    @Test
    void aHelloOverTheBoundIsNotRead() {
        ByteBuffer huge = ByteBuffer.allocate(64);
        // Declares a handshake message of 1 MiB.
        huge.put((byte) 22).put((byte) 3).put((byte) 1).putShort((short) 16).put((byte) 1)
                .put((byte) 0x10).put((byte) 0).put((byte) 0);
        huge.flip();

        assertThat(ClientHello.parse(huge)).isInstanceOf(ClientHello.NotTls.class);
    }
}
