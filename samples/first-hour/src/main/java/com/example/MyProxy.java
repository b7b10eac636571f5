package com.example;

import dev.proxy4j.server.ProxyServer;

/** A user's proxy: {@code /api/...} to a backend as {@code /v1/...}. */
public final class MyProxy {

    private MyProxy() {
    }

    /** The routes, shared by {@link #main} and the test. */
    public static void routes(ProxyServer.Builder builder, String backend) {
        builder.route(r -> r.pathPrefix("/api").rewritePrefix("/api", "/v1").upstream(backend));
    }

    public static void main(String[] args) throws InterruptedException {
        ProxyServer.Builder builder = ProxyServer.builder().listen(8080);
        routes(builder, args.length > 0 ? args[0] : "http://127.0.0.1:9000");
        builder.build().start().stopOnShutdown().awaitStop();
    }
}
