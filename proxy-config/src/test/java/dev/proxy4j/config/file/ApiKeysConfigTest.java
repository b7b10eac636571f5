package dev.proxy4j.config.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.auth.ApiKeys;
import dev.proxy4j.config.ProxyConfig;
import org.junit.jupiter.api.Test;

class ApiKeysConfigTest {

    private static final String ALICE = ApiKeys.hash("alice-secret");

    @Test
    void apiKeysAreReadWithTheirHashesAndComeBeforeTheRateLimitsThatKeyOnThem() {
        ProxyConfig config = ConfigFile.parse("""
                listeners: [{port: 8080}]
                apiKeys:
                  query: api_key
                  identityHeader: X-Consumer
                  keys:
                    alice: "%s"
                    bob: ["%s", "%s"]
                rateLimits: ["10r/s,key=apikey"]
                routes: [{upstream: http://127.0.0.1:9000}]
                """.formatted(ALICE, ApiKeys.hash("bob-1"), ApiKeys.hash("bob-2")));

        assertThat(config.filters()).extracting(Object::toString).containsExactly(
                "ApiKeys[header=X-Api-Key, query=api_key, 3 keys]",
                "RateLimit[apikey-10r/s, 10r/s, burst=0, key=apikey]");
        assertThat(((ApiKeys) config.filters().get(0)).identities()).containsExactly("alice", "bob");
    }

    @Test
    void aKeyNotStoredHashedIsRefusedNamingItsPath() {
        assertThatThrownBy(() -> ConfigFile.parse("""
                listeners: [{port: 8080}]
                routes:
                  - upstream: http://127.0.0.1:9000
                    apiKeys: {keys: {alice: plain-secret}}
                """)).hasMessageContaining("routes[0].apiKeys.keys.alice")
                .hasMessageContaining("(expected: sha256: and 64 hex digits, as ApiKeys.hash(key) gives)");
    }
}
