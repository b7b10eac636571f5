package dev.proxy4j.route;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Argument checks shared by the predicates and rewrites, worded the same way everywhere. */
final class Checks {

    private Checks() {
    }

    /** {@code field: "value" (expected: what)} */
    static IllegalArgumentException invalid(String field, String value, String expected) {
        return new IllegalArgumentException(field + ": \"" + value + "\" (expected: " + expected + ")");
    }

    /** A raw path as configured: starts with {@code /} and has no query or fragment. */
    static String checkPath(String field, String path) {
        if (!path.startsWith("/")) {
            throw invalid(field, path, "starts with /");
        }
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw invalid(field, path, "a path without ? or #");
        }
        return path;
    }

    static Pattern compile(String field, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw invalid(field, regex, "a valid regular expression: " + e.getDescription());
        }
    }

    /** A token as RFC 9110 defines it: the syntax of method names and header field names. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphaNumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphaNumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
