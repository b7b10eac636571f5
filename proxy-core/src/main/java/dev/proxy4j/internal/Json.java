package dev.proxy4j.internal;

/**
 * The little JSON the proxy writes (access-log lines, admin answers): strings quoted and escaped
 * per RFC 8259, nothing parsed. Internal: not part of the API, free to change.
 */
public final class Json {

    private Json() {
    }

    /** {@code text} as a JSON string, quotes included; control characters, quotes and backslashes escaped. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        quote(text, out);
        return out.toString();
    }

    public static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
