package dev.proxy4j.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP/1.1 client for the example tests. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    static HttpResponse<String> get(URI base, String pathQuery, String... headers) throws Exception {
        return send("GET", base, pathQuery, HttpRequest.BodyPublishers.noBody(), headers);
    }

    static HttpResponse<String> send(String method, URI base, String pathQuery, HttpRequest.BodyPublisher body,
            String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
