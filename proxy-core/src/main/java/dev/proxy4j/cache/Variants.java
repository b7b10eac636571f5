package dev.proxy4j.cache;

import dev.proxy4j.http.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Vary (RFC 9111 4.1): a response that varies is stored under its key plus the request's values of
 * the fields it names, normalised (whitespace around commas and repeated fields folded), so that two
 * requests select the same variant exactly when those values match.
 */
final class Variants {

    private Variants() {
    }

    /** The field names of the response's Vary fields, lower-case, in order; empty when it has none. */
    static List<String> fields(Headers response) {
        List<String> fields = new ArrayList<>();
        for (String vary : response.getAll("Vary")) {
            for (String field : vary.split(",")) {
                String name = field.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !fields.contains(name)) {
                    fields.add(name);
                }
            }
        }
        return fields;
    }

    /** The key of the variant a request with {@code requestHeaders} selects, under a Vary {@code index}. */
    static String key(String primary, Headers index, Headers requestHeaders) {
        StringBuilder key = new StringBuilder(primary).append("\n#").append(index.get(StoredHead.VARIANTS_ID));
        for (String field : fields(index)) {
            key.append('\n').append(field).append('=');
            List<String> values = requestHeaders.getAll(field);
            List<String> parts = new ArrayList<>();
            for (String value : values) {
                for (String part : value.split(",")) {
                    String trimmed = part.trim();
                    if (!trimmed.isEmpty()) {
                        parts.add(trimmed);
                    }
                }
            }
            key.append(String.join(",", parts));
        }
        return key.toString();
    }
}
