package dev.proxy4j.waf;

import java.util.Objects;

/**
 * One rule that matched a request: its id, its severity, the part it matched in
 * ({@code query:q}, {@code header:User-Agent}, {@code body:comment}, {@code path}) and the text it
 * matched, as the rule saw it (decoded), at most {@value #MAX_EXCERPT} characters.
 */
public record WafMatch(String ruleId, Severity severity, String part, String matched) {

    /** The longest excerpt of a match kept; the rest is cut. */
    public static final int MAX_EXCERPT = 80;

    public WafMatch {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(matched, "matched");
    }

    /** As the log writes it: {@code sqli-100 +5 query:q "union select"}, control bytes and quotes escaped. */
    @Override
    public String toString() {
        return ruleId + " +" + severity.score() + " " + escape(part, 60) + " \"" + escape(matched, MAX_EXCERPT) + '"';
    }

    /** {@code text} cut at {@code max} characters ({@code ...} after a cut), with {@code \xNN} for control bytes and {@code \"}, {@code \\}. */
    static String escape(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
        int end = Math.min(text.length(), max);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        if (text.length() > max) {
            out.append("...");
        }
        return out.toString();
    }
}
