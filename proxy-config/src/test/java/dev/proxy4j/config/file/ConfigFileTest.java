package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.route.HostHeader;
import dev.proxy4j.config.EscapedSlashes;
import dev.proxy4j.config.Limits;
import dev.proxy4j.config.RequestHygiene;
import dev.proxy4j.config.Listener;
import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.config.TlsConfig;
import dev.proxy4j.filter.SecurityHeaders;
import dev.proxy4j.route.Timeouts;
import dev.proxy4j.forward.ForwardedHeader;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.route.Route;
import dev.proxy4j.upstream.Endpoint;
import dev.proxy4j.upstream.LoadBalancer;
import dev.proxy4j.upstream.Upstream;
import dev.proxy4j.upstream.UpstreamProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    private static final String MINIMAL = """
            listeners:
              - port: 8080
            routes:
              - upstream: http://127.0.0.1:9000
            """;

    private static String withRoute(String route) {
        return "listeners: [{port: 8080}]\nroutes:\n  - " + route.strip().replace("\n", "\n    ") + "\n";
    }

    private static ProxyRequest request(String method, String host, String path, String query, Headers headers) {
        return ProxyRequest.builder().method(method).authority(host).path(path).query(query).headers(headers).build();
    }

    @Test
    void aMinimalFileHasEveryDefaultOfTheBuilder() {
        ProxyConfig config = ConfigFile.parse(MINIMAL);

        assertThat(config.listeners()).containsExactly(Listener.plain(8080));
        Route route = config.routes().routes().get(0);
        assertThat(route.upstream().orElseThrow().endpoints()).containsExactly(Endpoint.of("http://127.0.0.1:9000"));
        assertThat(route.upstream().orElseThrow().loadBalancer()).isSameAs(Upstream.DEFAULT_LOAD_BALANCER);
        assertThat(route.upstream().orElseThrow().connectTimeout()).isEqualTo(Upstream.DEFAULT_CONNECT_TIMEOUT);
        assertThat(route.hostHeader()).isEqualTo(HostHeader.PRESERVE);
        assertThat(route.timeouts()).isEmpty();
        assertThat(config.timeouts()).isEqualTo(Timeouts.DEFAULTS);
        assertThat(config.limits()).isEqualTo(Limits.DEFAULTS);
        assertThat(config.hygiene()).isEqualTo(RequestHygiene.DEFAULTS);
        assertThat(config.drainTimeout()).isEqualTo(ProxyConfig.DEFAULT_DRAIN_TIMEOUT);
        assertThat(config.clientIdleTimeout()).isEqualTo(ProxyConfig.DEFAULT_CLIENT_IDLE_TIMEOUT);
        assertThat(config.eventLoops()).isEqualTo(ProxyConfig.EVENT_LOOP_PER_PROCESSOR);
        assertThat(config.forwarding().trustedProxies()).isEmpty();
    }

    @Test
    void proxyWideSettingsMapOntoTheBuilder() {
        ProxyConfig config = ConfigFile.parse("""
                listeners:
                  - {host: 127.0.0.1, port: 0}
                  - {port: 8081}
                routes: [{upstream: http://127.0.0.1:9000}]
                forwarding:
                  trustedProxies: [10.0.0.0/8, 192.168.1.1]
                  emit: [X-Forwarded-For, forwarded, Via]
                  viaPseudonym: edge
                timeouts: {responseHeaders: 10s, idle: 1m30s, total: 250ms}
                limits: {maxRequestHeaderBytes: 32KiB, maxRequestBodyBytes: unlimited, maxRequestHeaderCount: 250}
                hygiene:
                  allowUnderscoresInHeaders: true
                  allowTrace: true
                  h2cUpgrade: true
                  mergeSlashes: false
                  escapedSlashes: decode
                  allowPathParameters: true
                drainTimeout: 5s
                eventLoops: 3
                clientIdleTimeout: 2h
                """);

        assertThat(config.listeners()).containsExactly(Listener.plain("127.0.0.1", 0), Listener.plain(8081));
        assertThat(config.forwarding().isTrusted("10.1.2.3")).isTrue();
        assertThat(config.forwarding().isTrusted("192.168.1.1")).isTrue();
        assertThat(config.forwarding().isTrusted("192.168.1.2")).isFalse();
        assertThat(config.forwarding().emitted())
                .isEqualTo(EnumSet.of(ForwardedHeader.X_FORWARDED_FOR, ForwardedHeader.FORWARDED, ForwardedHeader.VIA));
        assertThat(config.forwarding().viaPseudonym()).isEqualTo("edge");
        assertThat(config.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(90), Duration.ofMillis(250)));
        assertThat(config.limits()).isEqualTo(new Limits(32 * 1024, Limits.UNLIMITED, 250));
        assertThat(config.hygiene()).isEqualTo(new RequestHygiene(true, true, true, false, EscapedSlashes.DECODE, true));
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.clientIdleTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(config.eventLoops()).isEqualTo(3);
        assertThat(ConfigFile.parse("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                eventLoops: auto
                """).eventLoops()).isEqualTo(ProxyConfig.EVENT_LOOP_PER_PROCESSOR);
    }

    @Test
    void namedUpstreamsAreBuiltOnceAndSharedByEveryRouteThatNamesThem() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                upstreams:
                  api:
                    endpoints:
                      - http://127.0.0.1:9001
                      - {uri: http://127.0.0.1:9002, weight: 3}
                    loadBalancer: round-robin
                    connectTimeout: 2s
                    maxConnectionsPerEndpoint: 64
                    idleTimeout: 30s
                    protocol: http/2
                routes:
                  - {pathPrefix: /a, upstream: api}
                  - {pathPrefix: /b, upstream: api}
                  - pathPrefix: /
                    upstream:
                      endpoints: http://127.0.0.1:9003
                      loadBalancer: weighted-round-robin
                """);

        List<Route> routes = config.routes().routes();
        Upstream api = routes.get(0).upstream().orElseThrow();
        assertThat(routes.get(1).upstream().orElseThrow()).isSameAs(api);
        assertThat(api.name()).isEqualTo("api");
        assertThat(api.endpoints()).containsExactly(Endpoint.of("http://127.0.0.1:9001"), Endpoint.of("http://127.0.0.1:9002", 3));
        assertThat(api.loadBalancer()).isSameAs(LoadBalancer.roundRobin());
        assertThat(api.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(api.maxConnectionsPerEndpoint()).isEqualTo(64);
        assertThat(api.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(api.protocol()).isEqualTo(UpstreamProtocol.HTTP_2);
        Upstream inline = routes.get(2).upstream().orElseThrow();
        assertThat(inline.name()).isEqualTo("127.0.0.1:9003");
        assertThat(inline.loadBalancer()).isSameAs(LoadBalancer.weightedRoundRobin());
        assertThat(inline.protocol()).isEqualTo(UpstreamProtocol.HTTP_1_1);
    }

    @Test
    void anHttpUpstreamsProxyProtocolMapsOntoItsBuilder() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                upstreams:
                  api: {endpoints: [http://10.0.0.5:8080], proxyProtocol: v1}
                routes:
                  - {pathPrefix: /api, upstream: api}
                  - {pathPrefix: /, upstream: http://127.0.0.1:9000}
                """);

        assertThat(config.upstreams().get(0).proxyProtocol()).contains(dev.proxy4j.forward.ProxyProtocol.V1);
        assertThat(config.upstreams().get(1).proxyProtocol()).isEmpty();
    }

    @Test
    void tcpListenersAndTheProxyProtocolMapOntoTheBuilders() {
        ProxyConfig config = ConfigFile.parse("""
                listeners:
                  - {port: 8080, proxyProtocolFrom: [10.0.0.0/8, "::1/128"]}
                upstreams:
                  db: {endpoints: [http://10.0.0.5:5432, http://10.0.0.6:5432], loadBalancer: least-requests}
                routes:
                  - {pathPrefix: /, upstream: http://127.0.0.1:9000}
                tcp:
                  - {port: 15432, upstream: db, proxyProtocol: v2, idleTimeout: 30s}
                  - {port: 16379, host: 127.0.0.1, upstream: "10.0.0.7:6379", access: [{allow: 10.1.0.0/16}, {deny: all}]}
                """);

        assertThat(config.listeners().get(0).proxyProtocolFrom()).containsExactly("10.0.0.0/8", "::1/128");
        assertThat(config.tcpListeners()).hasSize(2);
        assertThat(config.tcpListeners().get(0).upstream().name()).isEqualTo("db");
        assertThat(config.tcpListeners().get(0).proxyProtocol()).contains(dev.proxy4j.forward.ProxyProtocol.V2);
        assertThat(config.tcpListeners().get(0).idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.tcpListeners().get(1).host()).isEqualTo("127.0.0.1");
        assertThat(config.tcpListeners().get(1).upstream().endpoints()).containsExactly(Endpoint.of("http://10.0.0.7:6379"));
        assertThat(config.tcpListeners().get(1).proxyProtocol()).isEmpty();
        assertThat(config.tcpListeners().get(0).access()).isEmpty();
        dev.proxy4j.forward.IpAccess access = config.tcpListeners().get(1).access().orElseThrow();
        assertThat(access.allows("10.1.2.3")).isTrue();
        assertThat(access.allows("10.2.0.1")).isFalse();
    }

    @Test
    void accessRulesAreServerWideOrOnARouteInTheirOrder() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                access: [{allow: 10.0.0.0/8}, {deny: all}]
                routes:
                  - {pathPrefix: /admin, access: [{deny: 10.9.0.0/16}], upstream: http://127.0.0.1:9000}
                """);

        assertThat(config.filters()).singleElement().hasToString("IpAccess[allow 10.0.0.0/8, deny all]");
        assertThat(config.routes().routes().get(0).filters()).singleElement().hasToString("IpAccess[deny 10.9.0.0/16]");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                access: [{allow: 10.0.0.0/33}]
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("access[0].allow").hasMessageContaining("10.0.0.0/33");
    }

    @Test
    void securityHeadersAreThePresetOrItChangedHeaderByHeader() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                securityHeaders: preset
                routes:
                  - pathPrefix: /app
                    securityHeaders: {override: true, without: [X-Frame-Options], headers: {Content-Security-Policy: "default-src 'self'"}}
                    upstream: http://127.0.0.1:9000
                """);

        SecurityHeaders serverWide = (SecurityHeaders) config.filters().get(0);
        assertThat(serverWide.headers()).containsKeys("Strict-Transport-Security", "X-Frame-Options");
        SecurityHeaders route = (SecurityHeaders) config.routes().routes().get(0).filters().get(0);
        assertThat(route.headers()).doesNotContainKey("X-Frame-Options")
                .containsEntry("Content-Security-Policy", "default-src 'self'");
        assertThat(route.toString()).contains("override");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                securityHeaders: strict
                routes: [{upstream: http://127.0.0.1:9000}]
                """)).hasMessageContaining("securityHeaders").hasMessageContaining("strict");
    }

    @Test
    void aBadProxyProtocolSettingNamesItsPath() {
        assertThatThrownBy(() -> ConfigFile.parse("""
                tcp:
                  - {port: 15432, upstream: "10.0.0.5:5432", proxyProtocol: v3}
                """)).hasMessageContaining("tcp[0].proxyProtocol").hasMessageContaining("v3");
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners:
                  - {port: 8080, proxyProtocolFrom: [not-a-network]}
                routes:
                  - {pathPrefix: /, upstream: http://127.0.0.1:9000}
                """)).hasMessageContaining("listeners[0].proxyProtocolFrom").hasMessageContaining("not-a-network");
    }

    @Test
    void routePredicatesMatchAsTheBuildersDo() {
        Route route = ConfigFile.parse(withRoute("""
                name: api
                host: [api.example.com, "*.api.example.com"]
                pathTemplate: /users/{id}
                methods: [GET, HEAD]
                headers:
                  - {name: X-Canary}
                  - {name: X-Env, value: prod}
                  - {name: User-Agent, regex: "curl/.*"}
                query:
                  - {name: debug}
                  - {name: v, value: "2"}
                upstream: http://127.0.0.1:9000
                """)).routes().routes().get(0);
        Headers headers = Headers.of("X-Canary", "1", "X-Env", "prod", "User-Agent", "curl/8.0");

        assertThat(route.name()).isEqualTo("api");
        assertThat(route.matches(request("GET", "eu.api.example.com", "/users/7", "debug&v=2", headers))).isTrue();
        assertThat(route.matches(request("POST", "api.example.com", "/users/7", "debug&v=2", headers))).isFalse();
        assertThat(route.matches(request("GET", "www.example.com", "/users/7", "debug&v=2", headers))).isFalse();
        assertThat(route.matches(request("GET", "api.example.com", "/users/7/x", "debug&v=2", headers))).isFalse();
        assertThat(route.matches(request("GET", "api.example.com", "/users/7", "v=2", headers))).isFalse();
        assertThat(route.matches(request("GET", "api.example.com", "/users/7", "debug&v=3", headers))).isFalse();
        assertThat(route.matches(request("GET", "api.example.com", "/users/7", "debug&v=2",
                Headers.of("X-Canary", "1", "X-Env", "prod", "User-Agent", "wget")))).isFalse();
        assertThat(route.matches(request("GET", "api.example.com", "/users/7", "debug&v=2",
                Headers.of("X-Env", "prod", "User-Agent", "curl/8.0")))).isFalse();
    }

    @Test
    void upgradesListTheProtocolsARouteSwitchesTo() {
        assertThat(ConfigFile.parse(withRoute("upstream: http://127.0.0.1:9000")).routes().routes().get(0).upgrades())
                .containsExactly("websocket");
        assertThat(ConfigFile.parse(withRoute("upgrades: []\nupstream: http://127.0.0.1:9000"))
                .routes().routes().get(0).upgrades()).isEmpty();
        assertThat(ConfigFile.parse(withRoute("upgrades: [websocket, my-proto/2]\nupstream: http://127.0.0.1:9000"))
                .routes().routes().get(0).upgrades()).containsExactlyInAnyOrder("websocket", "my-proto/2");
    }

    @Test
    void eachPathKindAndEachRewriteMapsOntoItsBuilderMethod() {
        assertThat(rewritten("path: /exact\nrewrite: {setPath: /other}", "/exact")).isEqualTo("/other");
        assertThat(rewritten("pathPrefix: /api\nrewrite: {stripPrefix: /api}", "/api/users")).isEqualTo("/users");
        assertThat(rewritten("pathPrefix: /products\nrewrite: {replacePrefix: {from: /products, to: /api/v1/items}}",
                "/products/42")).isEqualTo("/api/v1/items/42");
        assertThat(rewritten("pathRegex: /v(\\d+)/.*\nrewrite: {regex: {pattern: \"/v(\\\\d+)/(.*)\", replacement: \"/$2\"}}",
                "/v1/x")).isEqualTo("/x");
        assertThat(rewritten("pathTemplate: /users/{id}\nrewrite: {template: {from: \"/users/{id}\", to: \"/v2/people/{id}\"}}",
                "/users/42")).isEqualTo("/v2/people/42");
    }

    private static String rewritten(String routeKeys, String path) {
        Route route = ConfigFile.parse(withRoute(routeKeys + "\nupstream: http://127.0.0.1:9000")).routes().routes().get(0);
        ProxyRequest request = ProxyRequest.builder().path(path).build();
        assertThat(route.matches(request)).as("route matches %s", path).isTrue();
        return route.rewrite(request).path();
    }

    @Test
    void headerRulesRouteTimeoutsAndHostHeaderMapOntoTheRoute() {
        Route route = ConfigFile.parse(withRoute("""
                headerRules:
                  - setRequestHeader: {name: X-Env, value: prod}
                  - addRequestHeader: {name: X-Tag, value: a}
                  - removeRequestHeader: X-Debug
                  - stripRequestCookies: true
                  - addResponseHeader: {name: X-Served-By, value: proxy4j}
                  - setResponseHeader: {name: Cache-Control, value: no-store}
                  - removeResponseHeader: X-Internal
                  - hideResponseHeaders: [Server, X-Powered-By]
                  - stripResponseCookies: true
                hostHeader: upstream
                timeouts: {responseHeaders: 3s, total: 0}
                upstream: http://127.0.0.1:9000
                """)).routes().routes().get(0);

        assertThat(route.filters()).hasSize(1);
        assertThat(route.filters().get(0)).hasToString("HeaderRules[request=[set X-Env: prod, add X-Tag: a, remove X-Debug,"
                + " remove Cookie], response=[add X-Served-By: proxy4j, set Cache-Control: no-store, remove X-Internal,"
                + " remove Server, remove X-Powered-By, remove Set-Cookie]]");
        assertThat(route.hostHeader()).isEqualTo(HostHeader.UPSTREAM);
        assertThat(route.timeoutsOver(Timeouts.DEFAULTS))
                .isEqualTo(new Timeouts(Duration.ofSeconds(3), Timeouts.DEFAULT_IDLE, Duration.ZERO));
        assertThat(route.tunnelIdleTimeout()).isEmpty();
    }

    @Test
    void aRouteTakesATunnelIdleTimeoutAndTheTopLevelTimeoutsDoNot() {
        Route route = ConfigFile.parse(withRoute("""
                pathPrefix: /ws
                timeouts: {idle: 30s, tunnel: 1h}
                upstream: http://127.0.0.1:9000
                """)).routes().routes().get(0);
        assertThat(route.tunnelIdleTimeout()).contains(Duration.ofHours(1));
        assertThat(route.timeoutsOver(Timeouts.DEFAULTS).idle()).isEqualTo(Duration.ofSeconds(30));

        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                timeouts: {tunnel: 1h}
                """)).hasMessageContaining("timeouts.tunnel: unknown key (expected: one of responseHeaders, idle, total)");
    }

    @Test
    void tlsListenersTakeKeyStoresAndPemFilesRelativeToTheFile(@TempDir Path dir) throws Exception {
        run(dir, "keytool", "-genkeypair", "-alias", "a", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=a.example", "-validity", "2", "-storetype", "PKCS12", "-keystore", "site.p12",
                "-storepass", "changeit", "-keypass", "changeit");
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=pem.example");
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, """
                listeners:
                  - port: 8443
                    tls:
                      - {keyStore: site.p12, password: changeit}
                      - {certificate: cert.pem, privateKey: key.pem}
                routes: [{upstream: http://127.0.0.1:9000}]
                """);

        Listener listener = ConfigFile.load(file).listeners().get(0);

        assertThat(listener.port()).isEqualTo(8443);
        assertThat(listener.tls()).isPresent();
        assertThat(java.util.Collections.list(listener.tls().get().keyStore().aliases())).hasSize(2);
        assertThat(listener.tls().map(Object::toString))
                .isEqualTo(Optional.of("TlsConfig[" + dir.resolve("site.p12") + ", " + dir.resolve("cert.pem") + "+"
                        + dir.resolve("key.pem") + "]"));
    }

    @Test
    void aTlsListenerIsWatchedByDefaultAndTakesAWatchIntervalOrFalse(@TempDir Path dir) throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=pem.example");
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, """
                listeners:
                  - port: 8443
                    tls: {certificate: cert.pem, privateKey: key.pem}
                  - port: 8444
                    tls:
                      certificates: [{certificate: cert.pem, privateKey: key.pem}]
                      watch: 2s
                  - port: 8445
                    tls:
                      certificates: {certificate: cert.pem, privateKey: key.pem}
                      watch: false
                routes: [{upstream: http://127.0.0.1:9000}]
                """);

        List<Listener> listeners = ConfigFile.load(file).listeners();

        assertThat(listeners.get(0).tls().orElseThrow().watch()).isTrue();
        assertThat(listeners.get(0).tls().orElseThrow().watchInterval()).isEqualTo(TlsConfig.DEFAULT_WATCH_INTERVAL);
        assertThat(listeners.get(1).tls().orElseThrow().watch()).isTrue();
        assertThat(listeners.get(1).tls().orElseThrow().watchInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(listeners.get(1).tls().orElseThrow().files()).containsExactly(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        assertThat(listeners.get(2).tls().orElseThrow().watch()).isFalse();
        assertThatThrownBy(() -> ConfigFile.parse("listeners: [{port: 8443, tls: {certificates: {certificate: "
                        + dir.resolve("cert.pem") + ", privateKey: " + dir.resolve("key.pem") + "}, watch: 0s}}]\n"
                        + "routes: [{upstream: http://127.0.0.1:9000}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("listeners[0].tls.watch: PT0S (expected: positive)");
        assertThatThrownBy(() -> ConfigFile.parse("listeners: [{port: 8443, tls: {certificates: {certificate: "
                        + dir.resolve("cert.pem") + ", privateKey: " + dir.resolve("key.pem") + "}, wach: 2s}}]\n"
                        + "routes: [{upstream: http://127.0.0.1:9000}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("listeners[0].tls.wach: unknown key (expected: one of certificates, watch)");
    }

    private static void run(Path dir, String... command) throws Exception {
        String[] resolved = command.clone();
        if (command[0].equals("keytool")) {
            resolved[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        }
        Process process = new ProcessBuilder(resolved).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void anEmptyFileNamesTheFirstMissingSection() {
        assertThatThrownBy(() -> ConfigFile.parse("")).isInstanceOf(ConfigException.class)
                .hasMessage("listeners: missing (expected: a value)");
    }

    @Test
    void durationsAcceptTheDocumentedGrammarOnly() {
        for (String bad : List.of("5", "5 s", "1.5s", "5sec", "s", "-1s", "PT5S")) {
            assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "drainTimeout: " + bad + "\n"))
                    .as(bad).hasMessageStartingWith("drainTimeout: ")
                    .hasMessageEndingWith(" (expected: a duration such as 250ms, 5s, 1m, 2h or 1m30s)");
        }
        assertThat(ConfigFile.parse(MINIMAL + "drainTimeout: 1h2m3s4ms\n").drainTimeout())
                .isEqualTo(Duration.ofHours(1).plusMinutes(2).plusSeconds(3).plusMillis(4));
    }

    @Test
    void aRouteMaySplitItsRequestsOverNamedOrInlineUpstreamsByWeight() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                upstreams:
                  stable: {endpoints: [http://127.0.0.1:9001]}
                routes:
                  - split:
                      - {upstream: stable, weight: 95}
                      - {upstream: http://127.0.0.1:9002, weight: 5}
                  - upstream: stable
                """);

        Route split = config.routes().routes().get(0);
        assertThat(split.target()).isInstanceOfSatisfying(dev.proxy4j.route.RouteTarget.Split.class, s -> {
            assertThat(s.totalWeight()).isEqualTo(100);
            assertThat(s.shares().get(0).upstream()).isSameAs(config.routes().routes().get(1).upstream().orElseThrow());
            assertThat(s.shares().get(1).upstream().endpoints()).containsExactly(Endpoint.of("http://127.0.0.1:9002"));
        });
    }

    @Test
    void aSplitMayBeStickyByAKeyAndSendMatchingRequestsToAnUpstreamOfItsOwn() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                upstreams:
                  stable: {endpoints: [http://127.0.0.1:9001]}
                  canary: {endpoints: [http://127.0.0.1:9002]}
                routes:
                  - split:
                      sticky: "cookie:session"
                      match:
                        - {header: {name: X-Canary, value: "1"}, upstream: canary}
                        - {cookie: {name: canary, value: "1"}, upstream: canary}
                        - {header: {name: X-Beta}, upstream: http://127.0.0.1:9003}
                      shares:
                        - {upstream: stable, weight: 90}
                        - {upstream: canary, weight: 10}
                """);

        assertThat(config.routes().routes().get(0).target()).isInstanceOfSatisfying(dev.proxy4j.route.RouteTarget.Split.class, s -> {
            assertThat(s.sticky()).hasValueSatisfying(key -> assertThat(key).hasToString("cookie:session"));
            assertThat(s.matches()).extracting(m -> m.when().toString()).containsExactly(
                    "HeaderMatcher.equalTo(X-Canary, 1)", "CookieMatcher.equalTo(canary, 1)", "HeaderMatcher.present(X-Beta)");
            assertThat(s.matches().get(0).upstream()).isSameAs(s.shares().get(1).upstream());
            assertThat(s.upstreams()).extracting(Upstream::name).containsExactly("stable", "canary", "127.0.0.1:9003");
        });
    }

    @Test
    void aSplitsStickyKeyAndMatchesAreCheckedWithTheirPaths() {
        String shares = "    shares: [{upstream: http://127.0.0.1:9001, weight: 1}]\n";
        assertThatThrownBy(() -> ConfigFile.parse(withRoute("split:\n    sticky: \"host\"\n" + shares)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("routes[0].split.sticky: \"host\" (expected: ip, path, header:NAME, cookie:NAME or query:NAME)");
        assertThatThrownBy(() -> ConfigFile.parse(withRoute(
                "split:\n    match: [{query: {name: a}, upstream: http://127.0.0.1:9002}]\n" + shares)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("routes[0].split.match[0].query: unknown key");
        assertThatThrownBy(() -> ConfigFile.parse(withRoute(
                "split:\n    match: [{cookie: {name: \"a b\", value: x}, upstream: http://127.0.0.1:9002}]\n" + shares)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("routes[0].split.match[0].cookie: \"a b\" (expected: a token as RFC 9110 defines it)");
        assertThatThrownBy(() -> ConfigFile.parse(withRoute("split:\n    sticky: ip\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("routes[0].split.shares: ");
    }

    @Test
    void aSplitNamesTheShareThatIsWrongAndARouteCannotHaveBothTargets() {
        assertThatThrownBy(() -> ConfigFile.parse(withRoute("split: [{upstream: http://127.0.0.1:9001, weight: -1}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("routes[0].split[0].weight: -1");
        assertThatThrownBy(() -> ConfigFile.parse(withRoute(
                "upstream: http://127.0.0.1:9001\nsplit: [{upstream: http://127.0.0.1:9002, weight: 1}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].split")
                .hasMessageContaining("only one of upstream, split");
    }

    @Test
    void theAccessLogCanBeTurnedOffInTheFile() {
        assertThat(ConfigFile.parse(MINIMAL + "accessLog: false\n").accessLog()).isFalse();
        assertThat(ConfigFile.parse(MINIMAL).accessLog()).isTrue();
    }

    @Test
    void aRouteMayServeStaticFilesFromADirectoryRelativeToTheFile(@TempDir Path dir) throws Exception {
        Files.createDirectory(dir.resolve("public"));
        Files.writeString(dir.resolve("public").resolve("a.txt"), "a");
        Path file = dir.resolve("proxy4j.yaml");
        Files.writeString(file, withRoute("pathPrefix: /static\nrewrite: {stripPrefix: /static}\nstaticFiles: {root: public}"));

        Route route = ConfigFile.load(file).routes().routes().get(0);

        assertThat(route.target()).isInstanceOfSatisfying(dev.proxy4j.route.RouteTarget.Local.class, local ->
                assertThat(local.handler()).isInstanceOfSatisfying(dev.proxy4j.route.StaticFiles.class,
                        files -> assertThat(files.root()).isEqualTo(dir.resolve("public").toAbsolutePath().normalize())));
        Route tuned = ConfigFile.parse(withRoute("staticFiles: {root: " + dir.resolve("public")
                + ", index: home.html, precompressed: false, followSymlinks: true}")).routes().routes().get(0);
        assertThat(((dev.proxy4j.route.RouteTarget.Local) tuned.target()).handler()).isInstanceOfSatisfying(
                dev.proxy4j.route.StaticFiles.class, files -> {
                    assertThat(files.index()).isEqualTo("home.html");
                    assertThat(files.precompressed()).isFalse();
                    assertThat(files.followSymlinks()).isTrue();
                });
        assertThatThrownBy(() -> ConfigFile.parse(withRoute("staticFiles: {root: " + dir.resolve("public") + ", index: ../x}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("routes[0].staticFiles.index: \"../x\" (expected: a file name)");
        assertThatThrownBy(() -> ConfigFile.parse(withRoute("staticFiles: {root: /no/such/dir}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("routes[0].staticFiles.root: ");
    }

    @Test
    void compressionIsOnWithTheDefaultsOrChangedKeyByKeyServerWideOrOnARoute() {
        assertThat(ConfigFile.parse(MINIMAL).compression().enabled()).isFalse();
        dev.proxy4j.compress.Compression defaults = ConfigFile.parse(MINIMAL + "compression: true\n").compression();
        assertThat(defaults.encodings()).isEqualTo(dev.proxy4j.compress.Compression.DEFAULT_ENCODINGS);
        assertThat(defaults.minLength()).isEqualTo(dev.proxy4j.compress.Compression.DEFAULT_MIN_LENGTH);

        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                compression: {encodings: [gzip, brotli], minLength: 1KiB, types: [text/*], excludedTypes: [], levels: {gzip: 9, br: 5}}
                routes:
                  - {pathPrefix: /raw, compression: false, upstream: http://127.0.0.1:9000}
                  - {upstream: http://127.0.0.1:9000}
                """);

        dev.proxy4j.compress.Compression compression = config.compression();
        assertThat(compression.encodings()).containsExactly(dev.proxy4j.compress.Encoding.GZIP, dev.proxy4j.compress.Encoding.BROTLI);
        assertThat(compression.minLength()).isEqualTo(1024);
        assertThat(compression.types()).containsExactly("text/*");
        assertThat(compression.excludedTypes()).isEmpty();
        assertThat(compression.level(dev.proxy4j.compress.Encoding.GZIP)).isEqualTo(9);
        assertThat(compression.level(dev.proxy4j.compress.Encoding.BROTLI)).isEqualTo(5);
        assertThat(config.routes().routes().get(0).compression()).contains(dev.proxy4j.compress.Compression.off());
        assertThat(config.routes().routes().get(1).compression()).isEmpty();
    }

    @Test
    void aBadCompressionSettingNamesItsPath() {
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "compression: {encodings: [deflate]}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("compression.encodings[0]: \"deflate\" (expected: one of gzip, br, zstd)");
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "compression: {levels: {br: 12}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("compression.levels.br: 12 (expected: 0..11)");
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "compression: {types: [html]}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("compression.types: \"html\" (expected: a media type");
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "compression: {level: 3}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("compression.level: unknown key (expected: one of encodings, minLength, types, excludedTypes, levels)");
    }

    @Test
    void readsTheAdminListenerAndTheAccessLogFormat() {
        var config = ConfigFile.parse(MINIMAL + "admin: {port: 9901, token: s3cret}\naccessLogFormat: json\n");

        assertThat(config.admin()).hasValue(new dev.proxy4j.admin.AdminConfig("127.0.0.1", 9901, java.util.Optional.of("s3cret")));
        assertThat(config.accessLogFormat()).isEqualTo(dev.proxy4j.log.AccessLogFormat.JSON);
        assertThat(config.requestLogListeners()).containsExactly(
                dev.proxy4j.log.AccessLog.listener(dev.proxy4j.log.AccessLogFormat.JSON));
        assertThat(ConfigFile.parse(MINIMAL + "admin: {port: 9901, host: 0.0.0.0}\n").admin().orElseThrow().host())
                .isEqualTo("0.0.0.0");
        assertThat(ConfigFile.parse(MINIMAL).admin()).isEmpty();
        assertThat(ConfigFile.parse(MINIMAL + "metrics: none\n").metrics()).isEmpty();
    }

    @Test
    void badAdminAndMetricsSettingsAreNamedByTheirPath() {
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "admin: {port: 99999}\n"))
                .isInstanceOf(ConfigException.class).hasMessage("admin.port: 99999 (expected: a whole number 0..65535)");
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "admin: {prot: 1}\n"))
                .isInstanceOf(ConfigException.class).hasMessage("admin.prot: unknown key (expected: one of port, host, token)");
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "accessLogFormat: xml\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("accessLogFormat: \"xml\" (expected: one of default, combined, json)");
        // proxy-config's tests run without proxy-micrometer on the class path.
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "metrics: prometheus\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("metrics: prometheus (expected: proxy-micrometer on the class path for prometheus)");
    }

    @Test
    void tracingIsOffOrNamedByItsProvider() {
        assertThat(ConfigFile.parse(MINIMAL).tracing().enabled()).isFalse();
        assertThat(ConfigFile.parse(MINIMAL + "tracing: none\n").tracing().enabled()).isFalse();
        // proxy-config's tests run without proxy-opentelemetry on the class path.
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "tracing: opentelemetry\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tracing: opentelemetry (expected: proxy-opentelemetry on the class path for opentelemetry)");
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "tracing: zipkin\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tracing: \"zipkin\" (expected: one of opentelemetry, none)");
    }

    @Test
    void cacheHeadersAreRulesByPathOrTypeServerWideOrOnARoute() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                cacheHeaders:
                  - {types: [text/html], cacheControl: no-cache}
                routes:
                  - pathPrefix: /assets
                    cacheHeaders: [{paths: ["/assets/**"], expires: 30d, cacheControl: "public, immutable", override: true}]
                    upstream: http://127.0.0.1:9000
                """);

        assertThat(config.filters()).singleElement().isInstanceOfSatisfying(dev.proxy4j.filter.CacheHeaders.class,
                headers -> assertThat(headers.rules().get(0).cacheControl()).isEqualTo("no-cache"));
        assertThat(config.routes().routes().get(0).filters()).singleElement()
                .isInstanceOfSatisfying(dev.proxy4j.filter.CacheHeaders.class, headers -> {
                    dev.proxy4j.filter.CacheHeaders.Rule rule = headers.rules().get(0);
                    assertThat(rule.paths()).containsExactly("/assets/**");
                    assertThat(rule.expires()).isEqualTo(java.time.Duration.ofDays(30));
                    assertThat(rule.override()).isTrue();
                });
        assertThatThrownBy(() -> ConfigFile.parse(MINIMAL + "cacheHeaders: [{paths: [/a]}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cacheHeaders[0]: rule [/a]: nothing to set (expected: expires or cacheControl)");
    }
}
