package dev.proxy4j.config.file;

import dev.proxy4j.auth.ApiKeys;

/**
 * {@code apiKeys:}, server-wide or on a route:
 * {@code {header, query, identityHeader, realm, keys: {IDENTITY: "sha256:..." or [hashes]}}}.
 */
final class ApiKeysReader {

    private ApiKeysReader() {
    }

    static ApiKeys read(Value value) {
        Value.Section s = value.section("header", "query", "identityHeader", "realm", "keys");
        ApiKeys.Builder b = ApiKeys.builder();
        Value v;
        if ((v = s.get("header")) != null) {
            Value x = v;
            if (x.raw() == null || Boolean.FALSE.equals(x.raw())) {
                b.noHeader();
            } else {
                String name = x.string();
                x.run(() -> b.header(name));
            }
        }
        if ((v = s.get("query")) != null) {
            Value x = v;
            String name = x.string();
            x.run(() -> b.queryParameter(name));
        }
        if ((v = s.get("identityHeader")) != null) {
            Value x = v;
            String name = x.string();
            x.run(() -> b.identityHeader(name));
        }
        if ((v = s.get("realm")) != null) {
            Value x = v;
            String realm = x.string();
            x.run(() -> b.realm(realm));
        }
        s.require("keys").namedEntries().forEach((identity, hashes) -> {
            for (Value hash : hashes.listOrOne()) {
                String text = hash.string();
                hash.run(() -> b.key(identity, text));
            }
        });
        return value.build(b::build);
    }
}
