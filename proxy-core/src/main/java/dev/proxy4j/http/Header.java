package dev.proxy4j.http;

import java.util.Objects;

/** One header field. */
public record Header(String name, String value) {
    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
