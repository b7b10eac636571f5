package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.BackendIdentity;
import dev.proxy4j.forward.HopByHop;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backend's response headers copied in one pass ({@code BackendAttempt.responseHeaders}) are
 * what copying them all, stripping the hop-by-hop ones and applying the backend-identity policy
 * gives, field for field and in order.
 */
class ResponseHeadersTest {

    static Stream<List<String>> responses() {
        return Stream.of(
                List.of("Server", "nginx", "Content-Type", "text/plain", "Content-Length", "5", "Connection", "keep-alive"),
                List.of("server", "Apache", "x-powered-by", "PHP/8", "Keep-Alive", "timeout=5", "Date", "today"),
                List.of("Connection", "close", "Transfer-Encoding", "chunked", "Trailer", "X-Sum", "Upgrade", "h2c"),
                List.of("Connection", "keep-alive, X-Hop", "X-Hop", "1", "X-Kept", "2", "Server", "s"),
                List.of("Connection", "X-Named", "x-named", "gone", "Proxy-Connection", "keep-alive", "TE", "trailers"),
                List.of("Connection", "", "X-Kept", "3"),
                List.of("Set-Cookie", "a=1", "Set-Cookie", "b=2", "X-Powered-By", "Express", "Via", "1.1 lb"),
                List.of("X-Server", "not identity", "Serverx", "neither", "Proxy-Authenticate", "Basic"),
                List.of());
    }

    @ParameterizedTest
    @MethodSource("responses")
    void oneCopyEqualsCopyThenStripThenIdentity(List<String> nameValues) {
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < nameValues.size(); i += 2) {
            fields.add(nameValues.get(i), nameValues.get(i + 1));
        }
        for (BackendIdentity identity : BackendIdentity.values()) {
            Headers.Builder all = Headers.builder();
            fields.forEach(field -> all.add(field.getName(), field.getValue()));
            Headers expected = identity.apply(ProxyResponse.builder(200).headers(HopByHop.strip(all.build())).build())
                    .headers();

            Headers actual = BackendAttempt.responseHeaders(fields, identity);

            assertThat(pairs(actual)).as(identity + " of " + nameValues).isEqualTo(pairs(expected));
        }
    }

    private static List<String> pairs(Headers headers) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            pairs.add(headers.name(i) + ": " + headers.value(i));
        }
        return pairs;
    }
}
