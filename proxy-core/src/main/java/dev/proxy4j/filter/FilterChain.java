package dev.proxy4j.filter;

import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.concurrent.CompletionStage;

/** The rest of the chain after a filter: the next filters, then the backend. */
@FunctionalInterface
public interface FilterChain {
    CompletionStage<ProxyResponse> proceed(ProxyRequest request);
}
