package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every refusal names the field's path and its value, and says what was expected. */
class ConfigErrorsTest {

    private static void refused(String yaml, String message) {
        assertThatThrownBy(() -> ConfigFile.parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void anEndpointThatIsNotAnHttpUriIsNamedByItsPath() {
        refused("""
                listeners: [{port: 8080}]
                routes:
                  - {pathPrefix: /a, upstream: http://127.0.0.1:9000}
                  - upstream:
                      endpoints: ["htp://x"]
                """, "routes[1].upstream.endpoints[0]: \"htp://x\" (expected: an absolute http(s) URI such as http://127.0.0.1:9000)");
    }

    @Test
    void theBuildersOwnMessageIsReportedAtThePath() {
        refused("""
                listeners: [{port: 8080}]
                routes: [{upstream: {endpoints: ["http://127.0.0.1:9000/base"]}}]
                """, "routes[0].upstream.endpoints[0]: \"http://127.0.0.1:9000/base\" (expected: no path other than /)");
        refused("""
                listeners: [{port: 8080}]
                routes: [{upstream: {endpoints: [{uri: "http://127.0.0.1:9000", weight: 0}]}}]
                """, "routes[0].upstream.endpoints[0].weight: 0 (expected: a whole number 1..1000)");
        refused("""
                listeners: [{port: 8080}]
                routes: [{upstream: {endpoints: [http://127.0.0.1:9000, http://127.0.0.1:9000]}}]
                """, "routes[0].upstream.endpoints[1]: \"http://127.0.0.1:9000\" (expected: each endpoint once)");
        refused("""
                listeners: [{port: 8080}]
                routes: [{pathPrefix: api, upstream: http://127.0.0.1:9000}]
                """, "routes[0].pathPrefix: \"api\" (expected: starts with /)");
        refused("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                forwarding: {trustedProxies: [10.0.0.0/99]}
                """, "forwarding.trustedProxies[0]: \"10.0.0.0/99\" (expected: an IP address or CIDR such as 10.0.0.0/8 or ::1/128)");
        refused("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                drainTimeout: 0s
                """, "drainTimeout: PT0S (expected: positive)");
        refused("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                eventLoops: 0
                """, "eventLoops: 0 (expected: a whole number 1..1024, or auto (one per processor))");
        refused("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                eventLoops: many
                """, "eventLoops: \"many\" (expected: a whole number 1..1024, or auto (one per processor))");
    }

    @Test
    void anUnknownKeyIsAnErrorWithItsPathAndTheKeysAllowedThere() {
        refused("""
                listeners: [{port: 8080}]
                routes: [{pathPrefx: /a, upstream: http://127.0.0.1:9000}]
                """, "routes[0].pathPrefx: unknown key (expected: one of name, host, path, pathPrefix, pathTemplate,"
                + " pathRegex, methods, headers, query, rewrite, access, apiKeys, jwt, rateLimits, securityHeaders, headerRules, hostHeader,"
                + " timeouts, upgrades, compression, cacheHeaders, cache, upstream, split, staticFiles, waf)");
        refused("""
                listeners: [{port: 8080}]
                routes: [{upstream: http://127.0.0.1:9000}]
                timeout: {idle: 5s}
                """, "timeout: unknown key (expected: one of listeners, upstreams, routes, tcp, cache, access, apiKeys, jwt,"
                + " rateLimits, securityHeaders, compression, cacheHeaders, forwarding, timeouts, limits, hygiene, drainTimeout,"
                + " eventLoops, clientIdleTimeout, accessLog, accessLogFormat, admin, metrics, tracing, waf, backendIdentity)");
        refused("""
                listeners: [{port: 8080}]
                upstreams:
                  api: {endpoints: [http://127.0.0.1:9000], connectTimout: 1s}
                routes: [{upstream: api}]
                """, "upstreams.api.connectTimout: unknown key (expected: one of endpoints, loadBalancer, connectTimeout,"
                + " maxConnectionsPerEndpoint, idleTimeout, protocol, proxyProtocol, healthCheck, outlierDetection, panicRouting,"
                + " panicThreshold, retry, resolve)");
    }

    @Test
    void wafSettingsAreNamedByTheirPath() {
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\nwaf: deny\n",
                "waf: \"deny\" (expected: one of detect, block, off)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\nbackendIdentity: show\n",
                "backendIdentity: \"show\" (expected: one of hide, pass)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\nwaf: {mode: block, paranoia: 5}\n",
                "waf.paranoia: 5 (expected: a whole number 1..4)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000, waf: {exclusions: [sqli-999]}}]\nwaf: block\n",
                "routes[0].waf.exclusions: \"sqli-999\" (expected: a rule id such as sqli-110, or a family:"
                + " [lookup, protocol, scanner, sqli, traversal, xss])");
    }

    @Test
    void wrongKindsAndChoicesSayWhatWasExpected() {
        refused("listeners: [{port: 70000}]\nroutes: [{upstream: http://127.0.0.1:9000}]\n",
                "listeners[0].port: 70000 (expected: a whole number 0..65535)");
        refused("listeners: [{port: \"8080\"}]\nroutes: [{upstream: http://127.0.0.1:9000}]\n",
                "listeners[0].port: \"8080\" (expected: a whole number 0..65535)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: {endpoints: http://127.0.0.1:9000, loadBalancer: fastest}}]\n",
                "routes[0].upstream.loadBalancer: \"fastest\" (expected: round-robin, weighted-round-robin, random,"
                + " least-requests, p2c, ring-hash:KEY, maglev:KEY or sticky-cookie:NAME, where KEY is ip, path,"
                + " header:NAME, cookie:NAME or query:NAME)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: {endpoints: http://127.0.0.1:9000, protocol: h2}}]\n",
                "routes[0].upstream.protocol: \"h2\" (expected: one of http/1.1, http/2)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\nlimits: {maxRequestBodyBytes: 10MB}\n",
                "limits.maxRequestBodyBytes: \"10MB\" (expected: a size in bytes such as 1048576, 16KiB, 100MiB or 1GiB)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\nforwarding: {emit: [X-Forwarded-Fro]}\n",
                "forwarding.emit[0]: \"X-Forwarded-Fro\" (expected: one of X-Forwarded-For, X-Forwarded-Proto,"
                + " X-Forwarded-Host, X-Forwarded-Port, Forwarded, Via, X-Request-Id)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\naccessLog: no\n",
                "accessLog: \"no\" (expected: true or false)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\nlimits: {maxRequestHeaderCount: 0}\n",
                "limits.maxRequestHeaderCount: 0 (expected: a whole number 1..10000)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\nhygiene: {escapedSlashes: allow}\n",
                "hygiene.escapedSlashes: \"allow\" (expected: one of reject, keep, decode)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\nhygiene: {allowTrace: yes}\n",
                "hygiene.allowTrace: \"yes\" (expected: true or false)");
        refused("listeners: [{port: 8080}]\nroutes: [{upstream: http://127.0.0.1:9000}]\nhygiene: {mergeSlash: true}\n",
                "hygiene.mergeSlash: unknown key (expected: one of allowUnderscoresInHeaders, allowTrace, h2cUpgrade,"
                + " mergeSlashes, escapedSlashes, allowPathParameters)");
    }

    @Test
    void aRouteNamingAnUndeclaredUpstreamListsTheDeclaredOnes() {
        refused("""
                listeners: [{port: 8080}]
                upstreams: {api: {endpoints: http://127.0.0.1:9000}, web: {endpoints: http://127.0.0.1:9001}}
                routes: [{upstream: wbe}]
                """, "routes[0].upstream: \"wbe\" (expected: the name of one of upstreams: api, web, an endpoint URI or an inline upstream)");
    }

    @Test
    void conflictingAndMissingKeysAreNamed() {
        refused("listeners: [{port: 8080}]\nroutes: [{path: /a, pathPrefix: /a, upstream: http://127.0.0.1:9000}]\n",
                "routes[0].pathPrefix: conflicts with path (expected: only one of path, pathPrefix, pathTemplate, pathRegex)");
        refused("listeners: [{port: 8080}]\nroutes: [{pathPrefix: /a}]\n", "routes[0]: none of upstream, split, staticFiles (expected: exactly one)");
        refused("listeners: []\nroutes: [{upstream: http://127.0.0.1:9000}]\n",
                "listeners: [] (expected: at least one listener such as {port: 8080})");
        refused("listeners: [{port: 8080}]\nroutes: []\n", "routes: [] (expected: at least one route)");
        refused("listeners: [{port: 8443, tls: [{keyStore: missing.p12}]}]\nroutes: [{upstream: http://127.0.0.1:9000}]\n",
                "listeners[0].tls[0].password: missing (expected: a value)");
    }

    @Test
    void aTlsFileThatCannotBeReadIsNamedWithThePath() {
        assertThatThrownBy(() -> ConfigFile.parse(
                "listeners: [{port: 8443, tls: {keyStore: /nonexistent/site.p12, password: x}}]\n"
                        + "routes: [{upstream: http://127.0.0.1:9000}]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("listeners[0].tls: /nonexistent/site.p12 (expected: a readable PKCS12 key store");
    }

    @Test
    void duplicateKeysAndBadYamlAreRefusedWithTheLine() {
        refused("listeners: [{port: 8080}]\nlisteners: [{port: 8081}]\nroutes: [{upstream: http://127.0.0.1:9000}]\n",
                "not valid YAML: found duplicate key listeners at line 2, column 1");
        refused("listeners: [{port: 8080}\n", "not valid YAML: expected ',' or ']', but got <stream end> at line 2, column 1");
        refused("- a\n- b\n", "the file is [a, b] (expected: a mapping with listeners and routes, see docs/config-file.md)");
    }

    @Test
    void tagsNeverConstructJavaObjects() {
        refused("listeners: !!java.net.URL [http://example.com]\nroutes: [{upstream: http://127.0.0.1:9000}]\n",
                "not valid YAML: could not determine a constructor for the tag tag:yaml.org,2002:java.net.URL at line 1, column 12");
    }

    @Test
    void anUpstreamsProxyProtocolIsV1OrV2() {
        refused("""
                listeners: [{port: 8080}]
                routes: [{upstream: {endpoints: [http://127.0.0.1:9000], proxyProtocol: v3}}]
                """, "routes[0].upstream.proxyProtocol: \"v3\" (expected: v1 or v2)");
    }
}
