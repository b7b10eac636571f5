package dev.proxy4j.filter;

import dev.proxy4j.context.RequestContext;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Header rules as a filter, the way nginx's {@code proxy_set_header}, {@code add_header} and
 * {@code proxy_hide_header} are used: add, set and remove request headers on the way to the backend,
 * and response headers on the way back; hide response headers that reveal the backend; strip cookies.
 * Rules run in the order they were declared.
 *
 * <pre>{@code
 * HeaderRules.builder()
 *     .setRequestHeader("X-Env", "prod")
 *     .hideResponseHeaders("Server", "X-Powered-By")
 *     .stripResponseCookies()
 *     .build();
 * }</pre>
 */
public final class HeaderRules implements ProxyFilter {

    private final List<Rule> requestRules;
    private final List<Rule> responseRules;

    private HeaderRules(Builder b) {
        this.requestRules = List.copyOf(b.requestRules);
        this.responseRules = List.copyOf(b.responseRules);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<ProxyResponse> filter(RequestContext ctx, ProxyRequest request, FilterChain next) {
        ProxyRequest forwarded = requestRules.isEmpty()
                ? request
                : request.toBuilder().headers(apply(requestRules, request.headers())).build();
        CompletionStage<ProxyResponse> response = next.proceed(forwarded);
        if (responseRules.isEmpty()) {
            return response;
        }
        return response.thenApply(r -> r.toBuilder().headers(apply(responseRules, r.headers())).build());
    }

    private static Headers apply(List<Rule> rules, Headers headers) {
        Headers.Builder out = headers.toBuilder();
        for (Rule rule : rules) {
            switch (rule.action) {
                case ADD -> out.add(rule.name, rule.value);
                case SET -> out.set(rule.name, rule.value);
                case REMOVE -> out.remove(rule.name);
            }
        }
        return out.build();
    }

    @Override
    public String toString() {
        return "HeaderRules[request=" + requestRules + ", response=" + responseRules + ']';
    }

    private enum Action { ADD, SET, REMOVE }

    private record Rule(Action action, String name, String value) {
        Rule {
            // Headers.Builder validates the name; fail here, at configuration time, rather than per request.
            Headers.builder().add(name, value);
        }

        @Override
        public String toString() {
            return action == Action.REMOVE ? "remove " + name : action.name().toLowerCase() + ' ' + name + ": " + value;
        }
    }

    /** Builds {@link HeaderRules}. */
    public static final class Builder {
        private final List<Rule> requestRules = new ArrayList<>();
        private final List<Rule> responseRules = new ArrayList<>();

        private Builder() {
        }

        public Builder addRequestHeader(String name, String value) {
            requestRules.add(new Rule(Action.ADD, name, Objects.requireNonNull(value, "value")));
            return this;
        }

        public Builder setRequestHeader(String name, String value) {
            requestRules.add(new Rule(Action.SET, name, Objects.requireNonNull(value, "value")));
            return this;
        }

        public Builder removeRequestHeader(String name) {
            requestRules.add(new Rule(Action.REMOVE, name, ""));
            return this;
        }

        public Builder addResponseHeader(String name, String value) {
            responseRules.add(new Rule(Action.ADD, name, Objects.requireNonNull(value, "value")));
            return this;
        }

        public Builder setResponseHeader(String name, String value) {
            responseRules.add(new Rule(Action.SET, name, Objects.requireNonNull(value, "value")));
            return this;
        }

        public Builder removeResponseHeader(String name) {
            responseRules.add(new Rule(Action.REMOVE, name, ""));
            return this;
        }

        /** Hides response headers that reveal the backend, e.g. {@code Server}, {@code X-Powered-By}. */
        public Builder hideResponseHeaders(String... names) {
            for (String name : names) {
                removeResponseHeader(name);
            }
            return this;
        }

        /** The backend never sees the client's cookies. */
        public Builder stripRequestCookies() {
            return removeRequestHeader("Cookie");
        }

        /** The client never gets the backend's cookies. */
        public Builder stripResponseCookies() {
            return removeResponseHeader("Set-Cookie");
        }

        public HeaderRules build() {
            return new HeaderRules(this);
        }
    }
}
