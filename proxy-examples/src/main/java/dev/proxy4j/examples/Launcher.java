package dev.proxy4j.examples;

import dev.proxy4j.config.Limits;
import dev.proxy4j.server.ProxyServer;
import dev.proxy4j.upstream.Upstream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar proxy4j.jar} — with no arguments, the quickstart (two demo backends and a proxy
 * on 8080); with {@code run ...}, a plain reverse proxy configured from flags.
 */
public final class Launcher {

    static final String USAGE = """
            usage: java -jar proxy4j.jar                       start two demo backends and a proxy on 8080
                   java -jar proxy4j.jar run [flags]           start a reverse proxy
                   java -jar proxy4j.jar --help                this text

            run flags:
              --port P                 port to listen on (default 8080; 0 picks a free port)
              --host ADDR              address to bind (default 0.0.0.0)
              --upstream URL           a backend for every path not taken by a --route; repeat to
                                       balance over several (round-robin); URL may end in @WEIGHT,
                                       e.g. http://127.0.0.1:9001@3
              --route PREFIX=URL       send paths under PREFIX to URL; repeat for more routes or for
                                       several URLs of one prefix; checked in the order given, before
                                       the --upstream catch-all
              --upstream-http2         talk HTTP/2 (h2c) to the backends
              --max-connections N      pooled connections per backend (default 256)
              --max-body-size BYTES    request body limit (default 104857600; 0 for none)
              --trusted-proxy CIDR     believe X-Forwarded-For from this network; repeatable
              --no-access-log          do not log one line per request
              --help                   this text
            """;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command; returns the exit status (0 when a server was started and left running). */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            try {
                Quickstart.main(new String[0]);
            } catch (IllegalStateException e) {
                err.println("proxy4j: " + e.getMessage());
                return 1;
            }
            return 0;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(USAGE);
            return 0;
        }
        if (!args[0].equals("run")) {
            err.println("proxy4j: unknown command '" + args[0] + "' (expected: run, --help, or no arguments)");
            err.print(USAGE);
            return 2;
        }
        RunOptions options;
        try {
            options = RunOptions.parse(List.of(args).subList(1, args.length));
        } catch (IllegalArgumentException e) {
            err.println("proxy4j: " + e.getMessage());
            err.println("run 'java -jar proxy4j.jar --help' for the flags");
            return 2;
        }
        if (options.help()) {
            out.print(USAGE);
            return 0;
        }
        if (!options.accessLog()) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.proxy4j.access", "warn");
        }
        ProxyServer proxy;
        try {
            proxy = options.toServer();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("proxy4j: " + e.getMessage());
            return 2;
        }
        try {
            proxy.start();
        } catch (IllegalStateException e) {
            err.println("proxy4j: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::stop, "proxy4j-shutdown"));
        out.println("proxy4j listening on port " + proxy.port());
        return 0;
    }

    /** The parsed flags of {@code run}. */
    record RunOptions(int port, String host, List<String> upstreams, List<String[]> routes, boolean http2,
            int maxConnections, long maxBodySize, List<String> trustedProxies, boolean accessLog, boolean help) {

        static RunOptions parse(List<String> args) {
            int port = 8080;
            String host = "0.0.0.0";
            List<String> upstreams = new ArrayList<>();
            List<String[]> routes = new ArrayList<>();
            boolean http2 = false;
            int maxConnections = 256;
            long maxBodySize = Limits.DEFAULT_MAX_REQUEST_BODY_BYTES;
            List<String> trusted = new ArrayList<>();
            boolean accessLog = true;
            boolean help = false;
            for (int i = 0; i < args.size(); i++) {
                String flag = args.get(i);
                switch (flag) {
                    case "--port" -> port = parseInt(flag, value(args, ++i, flag), 0, 65535);
                    case "--host" -> host = value(args, ++i, flag);
                    case "--upstream" -> upstreams.add(value(args, ++i, flag));
                    case "--route" -> {
                        String spec = value(args, ++i, flag);
                        int eq = spec.indexOf('=');
                        if (eq <= 0 || eq == spec.length() - 1 || !spec.startsWith("/")) {
                            throw new IllegalArgumentException(
                                    "--route: \"" + spec + "\" (expected: PREFIX=URL such as /api=http://127.0.0.1:9000)");
                        }
                        routes.add(new String[] {spec.substring(0, eq), spec.substring(eq + 1)});
                    }
                    case "--upstream-http2" -> http2 = true;
                    case "--max-connections" -> maxConnections = parseInt(flag, value(args, ++i, flag), 1, 1_000_000);
                    case "--max-body-size" -> {
                        long size = parseLong(flag, value(args, ++i, flag));
                        maxBodySize = size == 0 ? Limits.UNLIMITED : size;
                    }
                    case "--trusted-proxy" -> trusted.add(value(args, ++i, flag));
                    case "--no-access-log" -> accessLog = false;
                    case "--help", "-h" -> help = true;
                    default -> throw new IllegalArgumentException("unknown flag '" + flag + "'");
                }
            }
            if (!help && upstreams.isEmpty() && routes.isEmpty()) {
                throw new IllegalArgumentException("no backend (expected: at least one --upstream URL or --route PREFIX=URL)");
            }
            return new RunOptions(port, host, upstreams, routes, http2, maxConnections, maxBodySize, trusted,
                    accessLog, help);
        }

        private static String value(List<String> args, int i, String flag) {
            if (i >= args.size() || args.get(i).startsWith("--")) {
                throw new IllegalArgumentException(flag + ": missing value");
            }
            return args.get(i);
        }

        private static int parseInt(String flag, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(flag + ": \"" + value + "\" (expected: a number " + min + ".." + max + ")");
        }

        private static long parseLong(String flag, String value) {
            try {
                long n = Long.parseLong(value);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(flag + ": \"" + value + "\" (expected: a number of bytes >= 0)");
        }

        ProxyServer toServer() {
            ProxyServer.Builder builder = ProxyServer.builder()
                    .listen(host, port)
                    .maxRequestBodyBytes(maxBodySize)
                    .forwarding(f -> f.trustedProxies(trustedProxies.toArray(new String[0])));
            // Routes of one prefix share an upstream, in the order their prefixes first appear.
            List<String> prefixes = new ArrayList<>();
            for (String[] route : routes) {
                if (!prefixes.contains(route[0])) {
                    prefixes.add(route[0]);
                }
            }
            for (String prefix : prefixes) {
                List<String> urls = routes.stream().filter(r -> r[0].equals(prefix)).map(r -> r[1]).toList();
                Upstream upstream = upstream(urls);
                builder.route(r -> r.pathPrefix(prefix).upstream(upstream));
            }
            if (!upstreams.isEmpty()) {
                Upstream upstream = upstream(upstreams);
                builder.route(r -> r.pathPrefix("/").upstream(upstream));
            }
            return builder.build();
        }

        private Upstream upstream(List<String> urls) {
            Upstream.Builder upstream = Upstream.builder()
                    .maxConnectionsPerEndpoint(maxConnections)
                    .protocol(http2 ? dev.proxy4j.upstream.UpstreamProtocol.HTTP_2 : dev.proxy4j.upstream.UpstreamProtocol.HTTP_1_1);
            for (String url : urls) {
                int at = url.lastIndexOf('@');
                if (at > url.indexOf("//")) {
                    upstream.endpoint(url.substring(0, at), parseInt("--upstream weight", url.substring(at + 1), 1, 1000));
                } else {
                    upstream.endpoint(url);
                }
            }
            return upstream.build();
        }
    }
}
