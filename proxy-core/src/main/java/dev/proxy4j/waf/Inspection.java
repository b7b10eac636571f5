package dev.proxy4j.waf;

import dev.proxy4j.http.Header;
import dev.proxy4j.http.ProxyRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The values of one request the rules look at, each with its part's name for the log
 * ({@code path}, {@code query:q}, {@code header:User-Agent}, {@code cookie:sid}, {@code body:comment}),
 * each transformation made once, when a rule first asks for it.
 */
final class Inspection {

    /** One value and its transformations. */
    static final class Value {
        private final Target target;
        private final String name;
        private final String raw;
        private final @Nullable String[] forms = new String[WafRule.Form.values().length];

        Value(Target target, String name, String raw) {
            this.target = target;
            this.name = name;
            this.raw = raw;
        }

        Target target() {
            return target;
        }

        /** Where the value is, e.g. {@code query:q}. */
        String name() {
            return name;
        }

        String raw() {
            return raw;
        }

        String form(WafRule.Form form) {
            String done = forms[form.ordinal()];
            if (done != null) {
                return done;
            }
            String made = switch (form) {
                case RAW -> raw;
                case DECODED -> Decoding.decoded(raw);
                case PATH -> Decoding.path(form(WafRule.Form.DECODED));
                case HTML -> Decoding.html(form(WafRule.Form.DECODED));
                case SQL -> Decoding.sql(form(WafRule.Form.DECODED));
            };
            forms[form.ordinal()] = made;
            return made;
        }
    }

    private final List<Value> values = new ArrayList<>();

    /** The method, path, query parameters, headers and cookies of {@code request}. */
    static Inspection ofHead(ProxyRequest request) {
        Inspection inspection = new Inspection();
        inspection.add(Target.METHOD, "method", request.method());
        inspection.add(Target.PATH, "path", request.path());
        String query = request.query();
        if (query != null && !query.isEmpty()) {
            inspection.addForm(query, "query");
        }
        for (Header header : request.headers()) {
            String name = header.name();
            if (name.equalsIgnoreCase("Cookie")) {
                inspection.addCookies(header.value());
                continue;
            }
            inspection.add(Target.HEADER, "header:" + name, header.value());
            if (name.equalsIgnoreCase("User-Agent")) {
                inspection.add(Target.USER_AGENT, "header:" + name, header.value());
            }
        }
        return inspection;
    }

    List<Value> values() {
        return values;
    }

    boolean hasUserAgent() {
        for (Value value : values) {
            if (value.target() == Target.USER_AGENT) {
                return true;
            }
        }
        return false;
    }

    void add(Target target, String name, String raw) {
        values.add(new Value(target, name, raw));
    }

    /** {@code a=1&b=2} as an application reads it: names and values decoded once, {@code +} a space. */
    void addForm(String form, String part) {
        int start = 0;
        int length = form.length();
        while (start <= length) {
            int end = form.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                int equals = form.indexOf('=', start);
                if (equals < 0 || equals > end) {
                    equals = end;
                }
                String name = formDecode(form.substring(start, equals));
                add(Target.ARG_NAME, part + "-name:" + name, name);
                if (equals < end) {
                    add(Target.ARG, part + ":" + name, formDecode(form.substring(equals + 1, end)));
                }
            }
            start = end + 1;
        }
    }

    private void addCookies(String header) {
        for (String pair : header.split(";")) {
            String cookie = pair.strip();
            if (cookie.isEmpty()) {
                continue;
            }
            int equals = cookie.indexOf('=');
            String name = equals < 0 ? cookie : cookie.substring(0, equals).strip();
            add(Target.ARG_NAME, "cookie-name:" + name, name);
            if (equals >= 0) {
                add(Target.ARG, "cookie:" + name, cookie.substring(equals + 1).strip());
            }
        }
    }

    /** The string keys and values of a JSON document (or as much of one as arrived), decoded. */
    void addJson(String json) {
        String key = "";
        int i = 0;
        int length = json.length();
        while (i < length) {
            char c = json.charAt(i);
            if (c != '"') {
                i++;
                continue;
            }
            StringBuilder text = new StringBuilder();
            i++;
            while (i < length && json.charAt(i) != '"') {
                char d = json.charAt(i);
                if (d == '\\' && i + 1 < length) {
                    char e = json.charAt(i + 1);
                    i += 2;
                    switch (e) {
                        case 'n' -> text.append('\n');
                        case 'r' -> text.append('\r');
                        case 't' -> text.append('\t');
                        case 'b' -> text.append('\b');
                        case 'f' -> text.append('\f');
                        case 'u' -> {
                            if (i + 4 <= length && isHex(json, i, i + 4)) {
                                text.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
                                i += 4;
                            } else {
                                text.append("\\u");
                            }
                        }
                        default -> text.append(e);
                    }
                } else {
                    text.append(d);
                    i++;
                }
            }
            i++; // the closing quote
            int next = i;
            while (next < length && Character.isWhitespace(json.charAt(next))) {
                next++;
            }
            if (next < length && json.charAt(next) == ':') {
                key = text.toString();
                add(Target.ARG_NAME, "body-name:" + key, key);
            } else {
                add(Target.ARG, "body:" + key, text.toString());
            }
        }
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String formDecode(String text) {
        String spaced = text.replace('+', ' ');
        return spaced.indexOf('%') < 0 ? spaced : Decoding.percentDecode(spaced);
    }
}
