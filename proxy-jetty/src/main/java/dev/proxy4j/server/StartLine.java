package dev.proxy4j.server;

import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.TcpListener;
import dev.proxy4j.upstream.Upstream;
import java.util.ArrayList;
import java.util.List;

/** The start log line: listeners with their bound ports, routes, upstreams, the admin listener. */
final class StartLine {

    private StartLine() {
    }

    static String describe(ProxyConfig config, List<Integer> ports, int adminPort) {
        List<String> listeners = new ArrayList<>();
        int i = 0;
        for (Listener listener : config.listeners()) {
            listeners.add((listener.isSecure() ? "https://" : "http://") + listener.host() + ':' + port(ports, i++));
        }
        for (TcpListener tcp : config.tcpListeners()) {
            listeners.add("tcp://" + tcp.host() + ':' + port(ports, i++) + " -> " + tcp.upstream().name());
        }
        List<String> upstreams = new ArrayList<>();
        for (Upstream upstream : config.upstreams()) {
            int endpoints = upstream.endpoints().size();
            upstreams.add(upstream.name() + " (" + endpoints + (endpoints == 1 ? " endpoint)" : " endpoints)"));
        }
        int routes = config.routes().routes().size();
        return "listeners " + String.join(", ", listeners)
                + "; " + routes + (routes == 1 ? " route" : " routes")
                + "; upstreams " + (upstreams.isEmpty() ? "none" : String.join(", ", upstreams))
                + (adminPort >= 0 ? "; admin http://" + config.admin().orElseThrow().host() + ':' + adminPort : "")
                + (config.metrics().isPresent() ? "; metrics on" : "")
                + (config.tracing().enabled() ? "; tracing " + config.tracing() : "");
    }

    private static String port(List<Integer> ports, int index) {
        return index < ports.size() ? Integer.toString(ports.get(index)) : "?";
    }
}
