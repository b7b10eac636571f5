package dev.proxy4j.server;

import dev.proxy4j.config.Limits;

/** A proxy in a JVM of its own, for tests that constrain its heap: prints its port, stops when stdin closes. */
public final class ProxyMain {

    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        ProxyServer proxy = ProxyServer.builder()
                .listen("127.0.0.1", 0)
                .maxRequestBodyBytes(Limits.UNLIMITED)
                .route(r -> r.pathPrefix("/").upstream(args[0]))
                .build()
                .start();
        System.out.println("PORT " + proxy.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin
        }
        proxy.stop();
    }
}
