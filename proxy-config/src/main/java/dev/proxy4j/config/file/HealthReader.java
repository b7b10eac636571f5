package dev.proxy4j.config.file;

import dev.proxy4j.upstream.HealthCheck;
import dev.proxy4j.upstream.OutlierDetection;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An upstream's {@code healthCheck} (a path, {@code tcp}, or a mapping of type, path, interval,
 * timeout, rise, fall, statuses, host, jitterPercent; {@code type: tcp}, with no path, statuses or
 * host, is a TCP connect check) and {@code outlierDetection} ({@code true} for Envoy's defaults,
 * or a mapping of the settings to change).
 */
final class HealthReader {

    private HealthReader() {
    }

    static HealthCheck healthCheck(Value value) {
        if (!value.isMap()) {
            String path = value.string();
            return path.equals("tcp") ? HealthCheck.tcp() : value.build(() -> HealthCheck.of(path));
        }
        Value.Section s = value.section("type", "path", "interval", "timeout", "rise", "fall", "statuses", "host",
                "jitterPercent");
        Value type = s.get("type");
        boolean tcp = type != null && type.choice("http", "tcp").equals("tcp");
        HealthCheck.Builder b;
        if (tcp) {
            for (String http : new String[] {"path", "statuses", "host"}) {
                Value given = s.get(http);
                if (given != null) {
                    throw given.invalid("no " + http + " for a TCP check, which sends no request");
                }
            }
            b = HealthCheck.tcpBuilder();
        } else {
            Value required = s.require("path");
            String p = required.string();
            b = required.build(() -> HealthCheck.builder(p));
        }
        Value v;
        if ((v = s.get("interval")) != null) {
            Value at = v;
            at.run(() -> b.interval(at.duration()));
        }
        if ((v = s.get("timeout")) != null) {
            Value at = v;
            at.run(() -> b.timeout(at.duration()));
        }
        if ((v = s.get("rise")) != null) {
            b.rise(v.integer(1, 100));
        }
        if ((v = s.get("fall")) != null) {
            b.fall(v.integer(1, 100));
        }
        if ((v = s.get("jitterPercent")) != null) {
            b.jitterPercent(v.integer(0, 50));
        }
        if ((v = s.get("host")) != null) {
            Value at = v;
            String host = at.string();
            at.run(() -> b.host(host));
        }
        if ((v = s.get("statuses")) != null) {
            List<String> statuses = new ArrayList<>();
            for (Value status : v.listOrOne()) {
                statuses.addAll(statuses(status));
            }
            Value at = v;
            at.run(() -> b.expectedStatuses(statuses.toArray(new String[0])));
        }
        return b.build();
    }

    /** {@code 200} or {@code "200-399"}; a comma-separated string of them ({@code "200-299,302"}) too. */
    private static List<String> statuses(Value value) {
        if (!value.isString()) {
            return List.of(Integer.toString(value.integer(100, 599)));
        }
        return List.of(value.string().split(","));
    }

    /** Null for {@code false}: no outlier detection. */
    static @Nullable OutlierDetection outlierDetection(Value value) {
        OutlierDetection d = OutlierDetection.defaults();
        if (!value.isMap()) {
            return value.bool() ? d : null;
        }
        Value.Section s = value.section("consecutive5xx", "consecutiveGatewayFailures", "interval",
                "baseEjectionTime", "maxEjectionTime", "maxEjectionPercent");
        Value v;
        if ((v = s.get("consecutive5xx")) != null) {
            d = d.withConsecutive5xx(v.integer(0, 1000));
        }
        if ((v = s.get("consecutiveGatewayFailures")) != null) {
            d = d.withConsecutiveGatewayFailures(v.integer(0, 1000));
        }
        if ((v = s.get("interval")) != null) {
            OutlierDetection at = d;
            Value val = v;
            d = v.build(() -> at.withInterval(val.duration()));
        }
        if ((v = s.get("baseEjectionTime")) != null) {
            OutlierDetection at = d;
            Value val = v;
            d = v.build(() -> at.withBaseEjectionTime(val.duration()));
        }
        if ((v = s.get("maxEjectionTime")) != null) {
            OutlierDetection at = d;
            Value val = v;
            d = v.build(() -> at.withMaxEjectionTime(val.duration()));
        }
        if ((v = s.get("maxEjectionPercent")) != null) {
            d = d.withMaxEjectionPercent(v.integer(0, 100));
        }
        return d;
    }
}
