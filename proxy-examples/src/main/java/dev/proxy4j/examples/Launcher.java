package dev.proxy4j.examples;

import dev.proxy4j.config.file.ConfigDocument;
import dev.proxy4j.config.file.ConfigFile;
import dev.proxy4j.config.file.ConfigWatcher;
import dev.proxy4j.server.ProxyServer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * {@code java -jar proxy4j.jar} — with no arguments, the quickstart (two demo backends and a proxy
 * on 8080); with {@code run ...}, a reverse proxy configured from flags or from a config file.
 */
public final class Launcher {

    static final String USAGE = """
            usage: java -jar proxy4j.jar                       start two demo backends and a proxy on 8080
                   java -jar proxy4j.jar --port P              the same, the proxy on port P
                   java -jar proxy4j.jar run [flags]           start a reverse proxy
                   java -jar proxy4j.jar run --config FILE     start a reverse proxy from a config file
                   java -jar proxy4j.jar run --print-config [flags]   print the config file of the flags
                   java -jar proxy4j.jar --help                this text

            run flags:
              --config FILE            read every setting from a YAML file (docs/config-file.md) and
                                       reload it when it changes or on SIGHUP; no other flag with it
              --print-config           print the config file equivalent to the other flags (or to
                                       --config FILE) and exit
              --port P                 port to listen on (default 8080; 0 picks a free port)
              --host ADDR              address to bind (default 0.0.0.0)
              --upstream URL           a backend for every path not taken by a --route; repeat to
                                       balance over several (see --lb); URL may end in @WEIGHT,
                                       e.g. http://127.0.0.1:9001@3
              --route PREFIX=URL       send paths under PREFIX to URL; repeat for more routes or for
                                       several URLs of one prefix; checked in the order given, before
                                       the --upstream catch-all; the path goes as it came, PREFIX
                                       included (/one/x stays /one/x) unless --strip-prefix
              --strip-prefix           the --route routes take their PREFIX off (/one/x goes as /x)
              --connect-timeout D      time to connect to a backend (default 5s), e.g. 500ms
              --response-timeout D     time for a backend's response headers after the request
                                       went (default 60s; 0 for none)
              --idle-timeout D         time a backend exchange may go without a byte (default 60s;
                                       0 for none)
              --upstream-http2         talk HTTP/2 (h2c) to the backends
              --lb BALANCER            how requests are spread over each upstream's backends:
                                       weighted-round-robin (default), round-robin, random,
                                       least-requests, p2c, ring-hash:KEY, maglev:KEY or
                                       sticky-cookie:NAME; KEY is ip, path, header:NAME,
                                       cookie:NAME or query:NAME (docs/load-balancing.md)
              --health-check PATH[,interval=1s][,timeout=1s][,rise=2][,fall=3]
                                       check every backend with GET PATH each interval; one that
                                       fails FALL checks in a row gets no requests until it passes
                                       RISE in a row (2xx and 3xx pass; docs/load-balancing.md);
                                       tcp[,interval=...] checks by TCP connect instead; --tcp and
                                       --sni-passthrough backends are always checked by connect
              --retries N              attempts after the first, 0..9 (default 2): connect failures
                                       for any method; resets, 502, 503, 504 and timeouts for
                                       idempotent methods only, with backoff and Retry-After
              --max-connections N      pooled connections per backend (default 256)
              --max-body-size BYTES    request body limit (default 104857600; 0 for none)
              --event-loops N          event loops (selector threads) per listener, 1..1024, or
                                       auto (default: one per available processor)
              --max-header-count N     header fields a request may have (default 100; over it 431)
              --allow-underscores-in-headers
                                       forward header names with '_' (default: dropped, as nginx)
              --allow-trace            forward TRACE (default: 405)
              --allow-path-parameters  forward paths with ';' (default: 400, since servlet backends
                                       route /private;x/y as /private/y, past the routes)
              --h2c-upgrade            honour Upgrade: h2c (default: h2c by prior knowledge only)
              --no-merge-slashes       answer 400 to paths with // (default: merged into /)
              --escaped-slashes ACTION %2F and %5C in paths: reject (default, 400), keep or decode
              --trusted-proxy CIDR     believe X-Forwarded-For from this network; repeatable
              --allow CIDR, --deny CIDR
                                       allow or deny clients (after trusted proxies) by network, or
                                       all; repeatable, tried in order, the first match wins (403)
              --rate-limit RATE[,burst=N][,nodelay][,key=ip|header:NAME]
                                       limit requests as nginx's limit_req: RATE is 10r/s or 600r/m;
                                       an idle key gets 1+burst at once, then one per 1/RATE; the
                                       burst is delayed to the rate unless nodelay (or delay=N: the
                                       first N go at once); beyond it 429 with Retry-After; key ip
                                       (default; after trusted proxies), header:NAME, route, path or
                                       global; dryrun only logs; repeatable (all must admit)
              --max-conns-per-ip N     open connections one client address may hold (default: no
                                       limit); the N+1th is closed at once
              --security-headers       add the security-header preset (HSTS, CSP frame-ancestors, ...)
                                       to every response that lacks them
              --waf detect|block       attack-pattern rules (traversal, NUL and control bytes, ${jndi:}
                                       lookups, SQL injection, XSS) on every request, paranoia 1,
                                       anomaly threshold 5: block answers 403, detect only logs;
                                       more settings in the config file (docs/security.md#waf)
              --pass-backend-identity  pass the backend's Server and X-Powered-By on to clients
                                       (default: removed, as they name software and versions)
              --compress               compress responses for clients that accept it: zstd, br or gzip,
                                       for text, JSON, XML, JavaScript and SVG of 256 bytes or more
                                       (docs/compression.md)
              --static PREFIX=DIR      serve the files under DIR for paths under PREFIX (GET and HEAD,
                                       ranges, ETags, .br/.gz/.zst siblings; docs/static-files.md);
                                       repeatable; after the --route routes, before --upstream
              --cache SIZE             a shared HTTP cache (RFC 9111) in memory on every route, of at
                                       most SIZE (such as 64m); largest object: SIZE/8, at most 8m
              --no-access-log          do not log one line per request
              --access-log-format F    default, combined (nginx's, then the proxy's fields) or json
              --admin-port P           serve the admin endpoint on 127.0.0.1:P: GET /live, /ready,
                                       /routes, /upstreams, /metrics (Prometheus), POST /reload
                                       (config file and certificates), /drain, /purge
                                       (docs/operations.md)
              --tls-port P             also listen with TLS on P (HTTP/1.1 and h2 by ALPN), with:
              --cert PEM               the certificate chain (PEM, leaf first) and
              --key PEM                its unencrypted PKCS#8 private key (PEM)
              --sni-passthrough NAME=HOST:PORT
                                       on the TLS listener, pass connections for server name NAME
                                       through untouched (the backend does the TLS); repeatable
              --tcp PORT=HOST:PORT     forward raw TCP from PORT (on --host) to HOST:PORT; repeatable;
                                       a PORT again adds a backend to it (--lb, --health-check);
                                       with --tcp alone no HTTP listener is opened
              --proxy-protocol v1|v2   send a PROXY protocol header first to the backends: --tcp,
                                       --sni-passthrough and HTTP ones (then a backend
                                       connection per client one)
              --help                   this text
            """;

    static final String PRINTED_HEADER = "# proxy4j config file (docs/config-file.md):"
            + " java -jar proxy4j.jar run --config FILE\n";

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
        Outcome outcome = launch(args, out, err);
        if (outcome.running() != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(outcome.running()::close, "proxy4j-shutdown"));
        }
        return outcome.status();
    }

    /** What {@link #launch} did: the exit status, and the proxy it left running, if any. */
    record Outcome(int status, Running running) {
    }

    /** A proxy the launcher started, and the watcher of its config file when it runs from one. */
    record Running(ProxyServer proxy, Optional<ConfigWatcher> watcher) implements AutoCloseable {
        @Override
        public void close() {
            watcher.ifPresent(ConfigWatcher::close);
            proxy.stop();
        }
    }

    /** Runs the command; a started proxy is handed back rather than left to a shutdown hook. */
    static Outcome launch(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            try {
                Quickstart.main(new String[0]);
            } catch (IllegalStateException e) {
                err.println("proxy4j: " + e.getMessage());
                return new Outcome(1, null);
            }
            return new Outcome(0, null);
        }
        if (args[0].equals("--port") && args.length <= 2) {
            // The quickstart on another port.
            String value = args.length == 2 ? args[1] : "";
            if (!value.matches("\\d{1,5}") || Integer.parseInt(value) > 65535) {
                err.println("proxy4j: --port: \"" + value + "\" (expected: a number 0..65535)");
                return new Outcome(2, null);
            }
            try {
                Quickstart.main(new String[] {value});
            } catch (IllegalStateException e) {
                err.println("proxy4j: " + e.getMessage());
                return new Outcome(1, null);
            }
            return new Outcome(0, null);
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(USAGE);
            return new Outcome(0, null);
        }
        if (!args[0].equals("run")) {
            err.println("proxy4j: unknown command '" + args[0] + "' (expected: run, --help, or no arguments)");
            err.print(USAGE);
            return new Outcome(2, null);
        }
        RunOptions options;
        ConfigDocument document;
        try {
            options = RunOptions.parse(List.of(args).subList(1, args.length));
            if (options.help()) {
                out.print(USAGE);
                return new Outcome(0, null);
            }
            document = options.document();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("proxy4j: " + e.getMessage());
            err.println("run 'java -jar proxy4j.jar --help' for the flags");
            return new Outcome(2, null);
        }
        if (options.printConfig()) {
            out.print(PRINTED_HEADER + ConfigFile.toYaml(document));
            return new Outcome(0, null);
        }
        ProxyServer proxy;
        try {
            // Building loads what the configuration needs (a compression encoding) and may refuse.
            ProxyServer built = ProxyServer.of(document.proxyConfig());
            // POST /reload on the admin listener reads the file again, as SIGHUP does.
            options.configFile().ifPresent(file -> built.reloadFrom(() -> ConfigFile.read(file).proxyConfig()));
            proxy = built;
            proxy.start();
        } catch (IllegalStateException e) {
            err.println("proxy4j: " + e.getMessage());
            return new Outcome(1, null);
        }
        Optional<ConfigWatcher> watcher = Optional.empty();
        if (options.configFile().isPresent()) {
            try {
                // reconfigure() swaps routes, upstreams and policies atomically, or refuses and keeps the old ones.
                ConfigWatcher started = ConfigWatcher.start(options.configFile().get(), proxy::reconfigure);
                Hangup.onHangup(started::reloadNow);
                watcher = Optional.of(started);
            } catch (IOException e) {
                proxy.stop();
                err.println("proxy4j: --config: cannot watch " + options.configFile().get() + " (" + e + ")");
                return new Outcome(1, null);
            }
        }
        out.println("proxy4j listening on port " + proxy.port());
        if (proxy.config().admin().isPresent()) {
            out.println("proxy4j admin on http://" + proxy.config().admin().get().host() + ":" + proxy.adminPort());
        }
        return new Outcome(0, new Running(proxy, watcher));
    }
}
