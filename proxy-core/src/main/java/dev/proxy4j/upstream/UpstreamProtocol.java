package dev.proxy4j.upstream;

/** The HTTP version the proxy speaks to an upstream's endpoints, whatever the client speaks. */
public enum UpstreamProtocol {

    /** HTTP/1.1 with keep-alive connections. nginx's and Envoy's choice unless told otherwise. */
    HTTP_1_1,

    /**
     * HTTP/2: cleartext with prior knowledge (h2c) to {@code http} endpoints, negotiated by ALPN
     * (h2) with {@code https} endpoints. Envoy's {@code http2_protocol_options}.
     */
    HTTP_2
}
