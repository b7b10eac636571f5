package dev.proxy4j.testkit;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The first thing a request meets in a {@link FakeBackend}'s WireMock: records it, answers the
 * health path, and applies the faults that act before or instead of the stubs.
 */
final class ArrivalFilter implements RequestFilterV2 {

    private final FakeBackend backend;

    ArrivalFilter(FakeBackend backend) {
        this.backend = backend;
    }

    @Override
    public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
        String path = pathOf(request.getUrl());
        if (backend.isHealthPath(path)) {
            backend.log().recordHealthCheck(request);
            return RequestFilterAction.stopWith(backend.healthResponse());
        }
        backend.log().record(request);

        List<Faults> faults = backend.faultsFor(path);
        for (Faults scope : faults) {
            Faults.Delay delay = scope.delay();
            if (delay != null) {
                sleep(delay.pickMillis());
                break;
            }
        }
        for (Faults scope : faults) {
            int status = scope.takeFailure();
            if (status != 0) {
                return RequestFilterAction.stopWith(responseDefinition()
                        .withStatus(status)
                        .withHeader("Content-Type", "text/plain; charset=utf-8")
                        .withBody("failure injected by the fake backend (failNext)")
                        .build());
            }
        }
        for (Faults scope : faults) {
            Fault fault = scope.connectionFault();
            if (fault != null) {
                return RequestFilterAction.stopWith(responseDefinition().withFault(fault).build());
            }
        }
        return RequestFilterAction.continueWith(request);
    }

    static String pathOf(String url) {
        int question = url.indexOf('?');
        return question < 0 ? url : url.substring(0, question);
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            // The server is stopping; WireMock sees the flag and sends nothing.
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean applyToAdmin() {
        return false;
    }

    @Override
    public boolean applyToStubs() {
        return true;
    }

    @Override
    public String getName() {
        return "proxy4j-fake-backend-arrival";
    }
}
