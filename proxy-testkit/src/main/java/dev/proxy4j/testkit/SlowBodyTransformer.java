package dev.proxy4j.testkit;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.ChunkedDribbleDelay;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/** Paces response bodies for {@link Faults#slowBody(int)} with WireMock's chunked dribble delay. */
final class SlowBodyTransformer implements ResponseTransformerV2 {

    /** Chunks no closer than this, so a slow body is a few hundred writes, not one per byte. */
    private static final long MIN_CHUNK_INTERVAL_MILLIS = 10;

    private final FakeBackend backend;

    SlowBodyTransformer(FakeBackend backend) {
        this.backend = backend;
    }

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
        String path = ArrivalFilter.pathOf(serveEvent.getRequest().getUrl());
        if (response.getFault() != null || backend.isHealthPath(path)) {
            return response;
        }
        int bytesPerSecond = 0;
        for (Faults scope : backend.faultsFor(path)) {
            bytesPerSecond = scope.bytesPerSecond();
            if (bytesPerSecond > 0) {
                break;
            }
        }
        byte[] body = response.getBody();
        if (bytesPerSecond == 0 || body == null || body.length == 0) {
            return response;
        }
        long totalMillis = Math.min(Integer.MAX_VALUE, Math.max(1, body.length * 1000L / bytesPerSecond));
        long chunks = Math.max(1, Math.min(body.length, totalMillis / MIN_CHUNK_INTERVAL_MILLIS));
        return Response.Builder.like(response)
                .chunkedDribbleDelay(new ChunkedDribbleDelay((int) chunks, (int) totalMillis))
                .build();
    }

    @Override
    public String getName() {
        return "proxy4j-fake-backend-slow-body";
    }
}
