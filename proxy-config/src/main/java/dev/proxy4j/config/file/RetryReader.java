package dev.proxy4j.config.file;

import dev.proxy4j.upstream.RetryPolicy;
import dev.proxy4j.upstream.UpstreamFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An upstream's {@code retry}: a number (attempts after the first, the launcher's {@code --retries N},
 * every other setting at its safe default), or a mapping onto {@link RetryPolicy.Builder}.
 *
 * <pre>{@code
 * retry:
 *   retries: 2                      # attempts after the first, 0..9
 *   onStatuses: [502, 503, 504]     # for idempotent methods
 *   onFailures: [connect-refused, connect-timeout, no-endpoint, reset-before-headers, response-timeout]
 *   idempotentMethods: [GET, HEAD, OPTIONS, PUT, DELETE, TRACE]
 *   anyMethodWhenNothingSent: true
 *   perTryTimeout: 2s
 *   backoff: {base: 25ms, max: 250ms}
 *   maxRetryAfter: 1s
 *   maxReplayBodyBytes: 64KiB
 *   budgetPercent: 20
 *   minRetryConcurrency: 3
 * }</pre>
 */
final class RetryReader {

    private RetryReader() {
    }

    static RetryPolicy read(Value value) {
        RetryPolicy.Builder b = RetryPolicy.builder();
        if (!value.isMap()) {
            int retries = value.integer(0, RetryPolicy.MAX_ATTEMPTS - 1);
            return value.build(() -> b.retries(retries).build());
        }
        Value.Section s = value.section("retries", "onStatuses", "onFailures", "idempotentMethods",
                "anyMethodWhenNothingSent", "perTryTimeout", "backoff", "maxRetryAfter", "maxReplayBodyBytes",
                "budgetPercent", "minRetryConcurrency");
        Value v;
        if ((v = s.get("retries")) != null) {
            b.retries(v.integer(0, RetryPolicy.MAX_ATTEMPTS - 1));
        }
        if ((v = s.get("onStatuses")) != null) {
            List<Value> items = v.listOrOne();
            int[] statuses = new int[items.size()];
            for (int i = 0; i < statuses.length; i++) {
                statuses[i] = items.get(i).integer(400, 599);
            }
            b.retryOnStatuses(statuses);
        }
        if ((v = s.get("onFailures")) != null) {
            List<UpstreamFailure.Kind> kinds = new ArrayList<>();
            for (Value item : v.listOrOne()) {
                kinds.add(kind(item));
            }
            Value at = v;
            at.run(() -> b.retryOnFailures(kinds.toArray(new UpstreamFailure.Kind[0])));
        }
        if ((v = s.get("idempotentMethods")) != null) {
            String[] methods = v.strings().toArray(new String[0]);
            v.run(() -> b.idempotentMethods(methods));
        }
        if ((v = s.get("anyMethodWhenNothingSent")) != null) {
            b.anyMethodWhenNothingSent(v.bool());
        }
        if ((v = s.get("perTryTimeout")) != null) {
            Value at = v;
            at.run(() -> b.perTryTimeout(at.duration()));
        }
        if ((v = s.get("backoff")) != null) {
            Value.Section backoff = v.section("base", "max");
            Value base = backoff.get("base");
            Value max = backoff.get("max");
            var baseValue = base == null ? RetryPolicy.DEFAULT_BACKOFF_BASE : base.duration();
            var maxValue = max == null ? RetryPolicy.DEFAULT_BACKOFF_MAX : max.duration();
            (max != null ? max : v).run(() -> b.backoff(baseValue, maxValue));
        }
        if ((v = s.get("maxRetryAfter")) != null) {
            Value at = v;
            at.run(() -> b.maxRetryAfter(at.duration()));
        }
        if ((v = s.get("maxReplayBodyBytes")) != null) {
            b.maxReplayBodyBytes(v.size());
        }
        if ((v = s.get("budgetPercent")) != null) {
            double percent = v.number();
            v.run(() -> b.budgetPercent(percent));
        }
        if ((v = s.get("minRetryConcurrency")) != null) {
            b.minRetryConcurrency(v.integer(0, 1_000_000));
        }
        return value.build(b::build);
    }

    /** {@code connect-refused} for {@link UpstreamFailure.Kind#CONNECT_REFUSED}, and so on. */
    private static UpstreamFailure.Kind kind(Value value) {
        List<String> names = new ArrayList<>();
        for (UpstreamFailure.Kind kind : UpstreamFailure.Kind.values()) {
            if (kind != UpstreamFailure.Kind.REQUEST_BODY_TOO_LARGE) {
                names.add(spelling(kind));
            }
        }
        String chosen = value.choice(names.toArray(new String[0]));
        return UpstreamFailure.Kind.valueOf(chosen.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    static String spelling(UpstreamFailure.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
