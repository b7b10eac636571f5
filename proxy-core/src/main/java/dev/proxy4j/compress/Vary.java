package dev.proxy4j.compress;

import dev.proxy4j.http.Headers;

/** Vary merged, never overwritten: {@code Accept-Encoding} added to what the response names, unless it is there or {@code *} is. */
final class Vary {

    private Vary() {
    }

    static Headers.Builder merge(Headers.Builder headers) {
        String vary = headers.get("Vary") == null ? null : String.join(", ", headers.build().getAll("Vary"));
        if (vary == null || vary.isBlank()) {
            return headers.set("Vary", "Accept-Encoding");
        }
        for (String field : vary.split(",")) {
            String name = field.strip();
            if (name.equals("*") || name.equalsIgnoreCase("Accept-Encoding")) {
                return headers;
            }
        }
        return headers.set("Vary", vary + ", Accept-Encoding");
    }
}
