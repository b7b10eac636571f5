package dev.proxy4j.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void writesOneLineWithEveryField() {
        String line = AccessLog.format("203.0.113.7", "GET", "/products/1?x=1", "HTTP/1.1", 200, 512, 3,
                "127.0.0.1:9001", 200, "4f1c");

        assertThat(line).isEqualTo("203.0.113.7 \"GET /products/1?x=1 HTTP/1.1\" 200 512 3ms"
                + " upstream=127.0.0.1:9001 upstream_status=200 rid=4f1c");
    }

    @Test
    void writesDashesWhenNoBackendAnswered() {
        String line = AccessLog.format("10.0.0.1", "GET", "/none", "HTTP/2.0", 404, 14, 0, "-", 0, "ab");

        assertThat(line).isEqualTo("10.0.0.1 \"GET /none HTTP/2.0\" 404 14 0ms upstream=- upstream_status=- rid=ab");
    }

    @Test
    void escapesQuotesAndControlCharactersSoAClientCannotForgeALine() {
        String line = AccessLog.format("1.2.3.4", "GET", "/a\"b\nc", "HTTP/1.1", 200, 0, 1, "-", 0, "id\r\n");

        assertThat(line).isEqualTo("1.2.3.4 \"GET /a\\x22b\\x0ac HTTP/1.1\" 200 0 1ms upstream=- upstream_status=- rid=id\\x0d\\x0a")
                .doesNotContain("\n");
    }
}
