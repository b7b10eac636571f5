package dev.proxy4j.testkit;

/** The client protocols end-to-end tests run over, to show behaviour is the same on both. */
enum Protocol {
    HTTP_1_1,
    HTTP_2;

    ProxyClient client(ProxyExtension proxy) {
        return this == HTTP_1_1 ? proxy.client() : proxy.http2Client();
    }

    /** What the backend sees in Via for a client of this protocol. */
    String via() {
        return this == HTTP_1_1 ? "1.1 proxy4j" : "2 proxy4j";
    }
}
