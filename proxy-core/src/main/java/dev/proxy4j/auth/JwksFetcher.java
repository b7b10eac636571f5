package dev.proxy4j.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Fetches a JWK set document. The built-in one ({@link #http()}) is the JDK's asynchronous
 * {@link HttpClient}: {@code sendAsync} completes on the client's own threads, never on a request's
 * event loop, and never blocks one (Nimbus's own retriever blocks, so it is not used).
 */
@FunctionalInterface
interface JwksFetcher {

    /** The body of a 200 answer to {@code GET uri}; fails on any other status, after {@code timeout}, or past {@link #MAX_BYTES}. */
    CompletionStage<String> fetch(URI uri, Duration timeout);

    /** A JWK set is a few keys; a larger answer is refused rather than held. */
    int MAX_BYTES = 512 * 1024;

    static JwksFetcher http() {
        return Http::fetch;
    }

    /** One client for every JWK set of the process: its threads are daemons and are shared. */
    final class Http {
        private static final HttpClient CLIENT = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        private Http() {
        }

        static CompletionStage<String> fetch(URI uri, Duration timeout) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Accept", "application/jwk-set+json, application/json").GET().build();
            return CLIENT.sendAsync(request, info -> new LimitedBody(info.statusCode(), MAX_BYTES)).thenApply(response -> {
                if (response.statusCode() != 200) {
                    throw new CompletionException(new IOException("status " + response.statusCode() + " from " + uri));
                }
                return response.body();
            });
        }
    }

    /** The body as text, failing once it passes the limit (the rest is not read). */
    final class LimitedBody implements HttpResponse.BodySubscriber<String> {
        private final int status;
        private final int limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private Flow.@org.jspecify.annotations.Nullable Subscription subscription;

        LimitedBody(int status, int limit) {
            this.status = status;
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (status != 200) {
                    continue;
                }
                if (out.size() + item.remaining() > limit) {
                    result.completeExceptionally(new IOException("JWK set over " + limit + " bytes"));
                    Flow.Subscription s = subscription;
                    if (s != null) {
                        s.cancel();
                    }
                    return;
                }
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(out.toString(StandardCharsets.UTF_8));
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }
    }
}
