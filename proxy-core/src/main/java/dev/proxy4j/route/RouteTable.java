package dev.proxy4j.route;

import dev.proxy4j.http.ProxyRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Picks the route for a request. <b>Match order: the first route, in the order they were declared,
 * whose predicates all hold</b> (Envoy's rule, and the one that reads most plainly in a builder).
 * Put specific routes before general ones; a catch-all {@code pathPrefix("/")} goes last.
 *
 * <p>Two indexes keep matching cheap with many routes without changing that order: routes with one
 * exact host are bucketed by it (a request only tries the routes of its host and those without an
 * exact host), and within a bucket, routes with an exact or prefix path are found through a trie of
 * path segments, so a request only tries routes whose path could match. The candidates are then
 * tried in declaration order.
 */
public final class RouteTable {

    private final List<Route> routes;
    private final Bucket hostless;
    private final Map<String, Bucket> byHost;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        Set<String> hosts = new LinkedHashSet<>();
        List<Route> withoutHost = new ArrayList<>();
        for (Route route : this.routes) {
            route.exactHost().ifPresentOrElse(hosts::add, () -> withoutHost.add(route));
        }
        Map<String, Bucket> index = new HashMap<>();
        for (String host : hosts) {
            List<Route> candidates = new ArrayList<>();
            for (Route route : this.routes) {
                if (route.exactHost().map(host::equals).orElse(true)) {
                    candidates.add(route);
                }
            }
            index.put(host, Bucket.of(candidates));
        }
        this.byHost = index;
        this.hostless = Bucket.of(withoutHost);
    }

    public List<Route> routes() {
        return routes;
    }

    public Optional<Route> match(ProxyRequest request) {
        Bucket bucket = byHost.isEmpty() ? hostless : byHost.getOrDefault(request.host(), hostless);
        return Optional.ofNullable(bucket.match(request));
    }

    /** Routes in declaration order, and for more than a few, a trie of their path segments. */
    private static final class Bucket {
        /** Below this, trying every route costs less than walking the trie. */
        private static final int INDEX_THRESHOLD = 8;

        private final Route[] routes;
        private final int[] unindexed;
        private final Node root;

        private Bucket(Route[] routes, int[] unindexed, Node root) {
            this.routes = routes;
            this.unindexed = unindexed;
            this.root = root;
        }

        static Bucket of(List<Route> list) {
            Route[] routes = list.toArray(new Route[0]);
            Node root = new Node();
            List<Integer> unindexed = new ArrayList<>();
            for (int i = 0; i < routes.length; i++) {
                PathMatcher path = routes[i].pathMatcher();
                if (routes.length > INDEX_THRESHOLD && path != null
                        && (path.kind() == PathMatcher.Kind.PREFIX || path.kind() == PathMatcher.Kind.EXACT)) {
                    root.insert(segments(path.pattern()), i);
                } else {
                    unindexed.add(i);
                }
            }
            return new Bucket(routes, unindexed.stream().mapToInt(Integer::intValue).toArray(), root);
        }

        @Nullable Route match(ProxyRequest request) {
            if (unindexed.length == routes.length) {
                for (Route route : routes) {
                    if (route.matches(request)) {
                        return route;
                    }
                }
                return null;
            }
            Candidates candidates = new Candidates(unindexed);
            root.collect(request.path(), candidates);
            int[] order = candidates.sorted();
            for (int index : order) {
                if (routes[index].matches(request)) {
                    return routes[index];
                }
            }
            return null;
        }

        /** "/a/b/" and "/a/b" give [a, b]; "/" gives []. Empty segments inside are kept. */
        private static List<String> segments(String path) {
            List<String> segments = new ArrayList<>();
            int start = 1;
            while (start < path.length()) {
                int slash = path.indexOf('/', start);
                int end = slash < 0 ? path.length() : slash;
                segments.add(path.substring(start, end));
                start = end + 1;
            }
            return segments;
        }
    }

    /** One path segment: the routes whose path pattern ends here, and the segments below. */
    private static final class Node {
        private final Map<String, Node> children = new HashMap<>();
        private int[] routes = new int[0];

        void insert(List<String> segments, int route) {
            Node node = this;
            for (String segment : segments) {
                node = node.children.computeIfAbsent(segment, s -> new Node());
            }
            int[] grown = java.util.Arrays.copyOf(node.routes, node.routes.length + 1);
            grown[node.routes.length] = route;
            node.routes = grown;
        }

        /** Adds the routes of every node along {@code path}: each could match it, none further down can. */
        void collect(String path, Candidates into) {
            Node node = this;
            into.add(node.routes);
            int start = 1;
            while (start <= path.length() && !node.children.isEmpty()) {
                int slash = path.indexOf('/', start);
                int end = slash < 0 ? path.length() : slash;
                node = node.children.get(path.substring(start, end));
                if (node == null) {
                    return;
                }
                into.add(node.routes);
                start = end + 1;
            }
        }
    }

    /** Route indexes to try; a handful per request. */
    private static final class Candidates {
        private int[] indexes;
        private int size;

        Candidates(int[] always) {
            indexes = java.util.Arrays.copyOf(always, always.length + 4);
            size = always.length;
        }

        void add(int[] more) {
            if (more.length == 0) {
                return;
            }
            if (size + more.length > indexes.length) {
                indexes = java.util.Arrays.copyOf(indexes, (size + more.length) * 2);
            }
            System.arraycopy(more, 0, indexes, size, more.length);
            size += more.length;
        }

        int[] sorted() {
            int[] order = java.util.Arrays.copyOf(indexes, size);
            java.util.Arrays.sort(order);
            return order;
        }
    }
}
