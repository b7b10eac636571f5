package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.config.ProxyConfig;
import dev.proxy4j.route.Route;
import dev.proxy4j.waf.Waf;
import dev.proxy4j.waf.WafMode;
import org.junit.jupiter.api.Test;

/** {@code waf:} at the top and on routes. */
class WafConfigTest {

    private static ProxyConfig parse(String top, String route) {
        return ConfigFile.parse("listeners: [{port: 8080}]\n" + top + "\nroutes:\n"
                + "  - {name: plain, pathPrefix: /a, upstream: http://127.0.0.1:9000}\n"
                + "  - {name: special, pathPrefix: /b, upstream: http://127.0.0.1:9000" + (route.isEmpty() ? "" : ", " + route) + "}\n");
    }

    private static Route route(ProxyConfig config, String name) {
        return config.routes().routes().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aModeAloneIsTheDefaultsInThatMode() {
        ProxyConfig config = parse("waf: block", "");
        Waf waf = config.waf().orElseThrow();
        assertThat(waf.mode()).isEqualTo(WafMode.BLOCK);
        assertThat(waf.paranoia()).isEqualTo(1);
        assertThat(waf.threshold()).isEqualTo(5);
        assertThat(waf.bodyLimit()).isEqualTo(64 * 1024);
        assertThat(config.filtersFor(route(config, "plain")).get(0)).isInstanceOf(Waf.class);
        assertThat(parse("waf: detect", "").waf().orElseThrow().mode()).isEqualTo(WafMode.DETECT);
        assertThat(parse("waf: off", "").waf()).isEmpty();
        assertThat(parse("", "").waf()).isEmpty();
    }

    @Test
    void everySettingAtTheTop() {
        Waf waf = parse("waf: {mode: block, paranoia: 2, threshold: 10, bodyLimit: 16KiB, exclusions: [sqli-110, xss]}", "")
                .waf().orElseThrow();
        assertThat(waf.mode()).isEqualTo(WafMode.BLOCK);
        assertThat(waf.paranoia()).isEqualTo(2);
        assertThat(waf.threshold()).isEqualTo(10);
        assertThat(waf.bodyLimit()).isEqualTo(16 * 1024);
        assertThat(waf.exclusions()).containsExactlyInAnyOrder("sqli-110", "xss");
        assertThat(waf.activeRules()).noneMatch(rule -> rule.family().equals("xss") || rule.id().equals("sqli-110"));
    }

    @Test
    void aRouteTurnsItOffExcludesRulesOrHasItsOwn() {
        ProxyConfig off = parse("waf: block", "waf: off");
        assertThat(off.wafFor(route(off, "special"))).isEmpty();
        assertThat(off.wafFor(route(off, "plain"))).isPresent();

        ProxyConfig excluded = parse("waf: {mode: block, paranoia: 2}", "waf: {exclusions: [xss-200]}");
        Waf routeWaf = excluded.wafFor(route(excluded, "special")).orElseThrow();
        assertThat(routeWaf.exclusions()).containsExactly("xss-200");
        assertThat(routeWaf.paranoia()).isEqualTo(2);
        assertThat(routeWaf.mode()).isEqualTo(WafMode.BLOCK);
        assertThat(excluded.wafFor(route(excluded, "plain")).orElseThrow().exclusions()).isEmpty();

        ProxyConfig own = parse("waf: {mode: block, paranoia: 2}", "waf: {mode: detect}");
        Waf detecting = own.wafFor(route(own, "special")).orElseThrow();
        assertThat(detecting.mode()).isEqualTo(WafMode.DETECT);
        assertThat(detecting.paranoia()).isEqualTo(2); // the rest is the top-level WAF's

        ProxyConfig onlyHere = parse("", "waf: block");
        assertThat(onlyHere.wafFor(route(onlyHere, "special")).orElseThrow().mode()).isEqualTo(WafMode.BLOCK);
        assertThat(onlyHere.wafFor(route(onlyHere, "plain"))).isEmpty();
    }

    @Test
    void backendIdentityIsHiddenUnlessTheFileSaysPass() {
        assertThat(parse("", "").backendIdentity()).isEqualTo(dev.proxy4j.config.BackendIdentity.HIDE);
        assertThat(parse("backendIdentity: pass", "").backendIdentity()).isEqualTo(dev.proxy4j.config.BackendIdentity.PASS);
        assertThat(parse("backendIdentity: hide", "").backendIdentity()).isEqualTo(dev.proxy4j.config.BackendIdentity.HIDE);
    }
}
