package dev.proxy4j.internal;

import dev.proxy4j.config.EscapedSlashes;
import dev.proxy4j.log.Refusal;

/**
 * A request path as routes, filters and the backend get it: RFC 3986 6.2.2 normalisation
 * (percent-encoded unreserved characters decoded, the hex digits of the rest upper-cased, dot
 * segments removed), slashes merged or refused, encoded slashes and backslashes handled as
 * {@link EscapedSlashes} says. A path that needs none of it (no {@code %}, no {@code \}, no
 * {@code //}, no dot segment) is returned as it is, the same String, after one scan.
 */
public final class PathNormalizer {

    private PathNormalizer() {
    }

    /** Why a path was refused; stackless, one instance per reason. */
    public static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private static final Rejected[] BY_REFUSAL = new Rejected[Refusal.values().length];

        static {
            for (Refusal refusal : Refusal.values()) {
                BY_REFUSAL[refusal.ordinal()] = new Rejected(refusal);
            }
        }

        private final transient Refusal refusal;

        private Rejected(Refusal refusal) {
            super(refusal.reason(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }

        static Rejected of(Refusal refusal) {
            return BY_REFUSAL[refusal.ordinal()];
        }
    }

    /**
     * {@code path} normalised; {@code path} itself when nothing in it needs work.
     *
     * @param path the raw path, starting with {@code /}
     * @throws Rejected when the path is refused, with the reason
     */
    public static String normalize(String path, boolean mergeSlashes, EscapedSlashes escapedSlashes) {
        if (!needsWork(path)) {
            return path;
        }
        String decoded = decode(path, escapedSlashes);
        return removeDotSegments(mergeSlashes(decoded, mergeSlashes));
    }

    /** True when the path has a {@code %}, a {@code \}, a {@code //} or a {@code .} or {@code ..} segment. */
    static boolean needsWork(String path) {
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c == '%' || c == '\\') {
                return true;
            }
            if (c == '/' && i + 1 < length) {
                char next = path.charAt(i + 1);
                if (next == '/' || next == '.' && isDotSegment(path, i + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a {@code .} or {@code ..} segment starts at {@code at}. */
    private static boolean isDotSegment(String path, int at) {
        int end = path.indexOf('/', at);
        int length = (end < 0 ? path.length() : end) - at;
        return length == 1 || length == 2 && path.charAt(at + 1) == '.';
    }

    private static String decode(String path, EscapedSlashes escapedSlashes) {
        StringBuilder out = new StringBuilder(path.length());
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                slash(out, "%5C", escapedSlashes);
            } else if (c != '%') {
                out.append(c);
            } else {
                int high = i + 2 < length ? Character.digit(path.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(path.charAt(i + 2), 16);
                if (low < 0) {
                    throw Rejected.of(Refusal.BAD_PERCENT_ENCODING);
                }
                char value = (char) (high * 16 + low);
                i += 2;
                if (isUnreserved(value)) {
                    out.append(value);
                } else if (value == '/') {
                    slash(out, "%2F", escapedSlashes);
                } else if (value == '\\') {
                    slash(out, "%5C", escapedSlashes);
                } else if (value == 0) {
                    throw Rejected.of(Refusal.ENCODED_NUL);
                } else {
                    out.append('%').append(Character.toUpperCase(path.charAt(i - 1)))
                            .append(Character.toUpperCase(path.charAt(i)));
                }
            }
        }
        return out.toString();
    }

    private static void slash(StringBuilder out, String encoded, EscapedSlashes escapedSlashes) {
        switch (escapedSlashes) {
            case REJECT -> throw Rejected.of(Refusal.ESCAPED_SLASH);
            case KEEP -> out.append(encoded);
            case DECODE -> out.append('/');
        }
    }

    /** RFC 3986 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static String mergeSlashes(String path, boolean merge) {
        if (path.indexOf("//") < 0) {
            return path;
        }
        if (!merge) {
            throw Rejected.of(Refusal.EMPTY_SEGMENT);
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '/' || out.length() == 0 || out.charAt(out.length() - 1) != '/') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * RFC 3986 5.2.4 on an absolute path, except that a {@code ..} above the root is refused rather
     * than dropped, as nginx does: such a path is an attack more often than a mistake.
     */
    private static String removeDotSegments(String path) {
        if (path.indexOf("/.") < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        int i = 0;
        int length = path.length();
        while (i < length) {
            // path.charAt(i) == '/': one segment from i + 1 to the next '/'
            int end = path.indexOf('/', i + 1);
            if (end < 0) {
                end = length;
            }
            int segment = end - i - 1;
            boolean last = end == length;
            if (segment == 1 && path.charAt(i + 1) == '.') {
                if (last) {
                    out.append('/');
                }
            } else if (segment == 2 && path.charAt(i + 1) == '.' && path.charAt(i + 2) == '.') {
                int cut = out.lastIndexOf("/");
                if (cut < 0) {
                    throw Rejected.of(Refusal.PATH_ABOVE_ROOT);
                }
                out.setLength(cut);
                if (last) {
                    out.append('/');
                }
            } else {
                out.append(path, i, end);
            }
            i = end;
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
