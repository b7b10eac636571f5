package dev.proxy4j.upstream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Looks up the addresses of a host name, for {@link DnsResolution}. The stage completes with the
 * addresses (an empty list is an answer with none) or fails (no such host, no answer); it must
 * not complete on an event loop of the proxy's by blocking one: a lookup that blocks runs on an
 * executor of its own, as {@link #system(Executor)} does.
 *
 * <p>Tests give the proxy a resolver of their own (a map they change), so that no test needs the
 * network's DNS.
 */
@FunctionalInterface
public interface Resolver {

    /** The addresses of {@code host}, a name such as {@code api.internal}. */
    CompletionStage<List<InetAddress>> resolve(String host);

    /**
     * The JVM's resolver ({@link InetAddress#getAllByName}, which blocks) run on {@code blocking}.
     * The JVM caches its answers: successes for {@code networkaddress.cache.ttl} seconds (30 by
     * default), failures for {@code networkaddress.cache.negative.ttl} (10), so that a lookup more
     * often than that returns the cached answer.
     */
    static Resolver system(Executor blocking) {
        Objects.requireNonNull(blocking, "blocking");
        return new Resolver() {
            @Override
            public CompletionStage<List<InetAddress>> resolve(String host) {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        return List.of(InetAddress.getAllByName(host));
                    } catch (UnknownHostException e) {
                        throw new CompletionException(e);
                    }
                }, blocking);
            }

            @Override
            public String toString() {
                return "Resolver.system";
            }
        };
    }
}
