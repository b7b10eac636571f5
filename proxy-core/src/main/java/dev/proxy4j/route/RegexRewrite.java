package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@link PathRewrites#regex}: replaces a path that matches a regular expression as a whole. The
 * replacement is checked when the rewrite is made, so that a reference to a missing group fails
 * at configuration time and not on the first request.
 */
final class RegexRewrite implements PathRewrite {

    private static final String SYNTAX = "$ followed by a group number or {name}, and \\ followed by a character";

    private final Pattern regex;
    private final String replacement;

    private RegexRewrite(Pattern regex, String replacement) {
        this.regex = regex;
        this.replacement = replacement;
    }

    static RegexRewrite of(String regex, String replacement) {
        Objects.requireNonNull(regex, "regex");
        Objects.requireNonNull(replacement, "replacement");
        Pattern pattern = Checks.compile("rewrite regex", regex);
        checkReplacement(pattern, replacement);
        return new RegexRewrite(pattern, replacement);
    }

    @Override
    public String rewrite(String path) {
        Matcher matcher = regex.matcher(path);
        if (!matcher.matches()) {
            return path;
        }
        StringBuilder result = new StringBuilder(path.length() + replacement.length() + 1);
        matcher.appendReplacement(result, replacement);
        if (result.length() == 0 || result.charAt(0) != '/') {
            result.insert(0, '/');
        }
        return result.toString();
    }

    /** Checks {@code replacement} the way {@link Matcher#appendReplacement} reads it (as of Java 17). */
    private static void checkReplacement(Pattern pattern, String replacement) {
        int groupCount = pattern.matcher("").groupCount();
        int length = replacement.length();
        int i = 0;
        while (i < length) {
            char c = replacement.charAt(i++);
            if (c == '\\') {
                if (i == length) {
                    throw Checks.invalid("rewrite replacement", replacement, SYNTAX);
                }
                i++;
            } else if (c == '$') {
                if (i == length) {
                    throw Checks.invalid("rewrite replacement", replacement, SYNTAX);
                }
                if (replacement.charAt(i) == '{') {
                    int close = replacement.indexOf('}', i);
                    String name = close < 0 ? "" : replacement.substring(i + 1, close);
                    if (!isGroupName(name)) {
                        throw Checks.invalid("rewrite replacement", replacement, SYNTAX);
                    }
                    if (!hasNamedGroup(pattern.pattern(), name)) {
                        throw Checks.invalid("rewrite replacement", replacement,
                                "a group named " + name + " in the rewrite regex");
                    }
                    i = close + 1;
                } else {
                    int group = digit(replacement.charAt(i));
                    if (group < 0) {
                        throw Checks.invalid("rewrite replacement", replacement, SYNTAX);
                    }
                    if (group > groupCount) {
                        throw Checks.invalid("rewrite replacement", replacement,
                                "group numbers from 0 to " + groupCount + ", the groups of the rewrite regex");
                    }
                    i++;
                    // Like Matcher: further digits belong to the number while it stays a group.
                    while (i < length && digit(replacement.charAt(i)) >= 0
                            && group * 10 + digit(replacement.charAt(i)) <= groupCount) {
                        group = group * 10 + digit(replacement.charAt(i));
                        i++;
                    }
                }
            }
        }
    }

    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }

    /** Group names as {@link Pattern} defines them: an ASCII letter, then ASCII letters and digits. */
    private static boolean isGroupName(String name) {
        if (name.isEmpty() || digit(name.charAt(0)) >= 0) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code regex} defines the named group. Java 17 has no public API for a pattern's group
     * names, so this asks the parser: a back reference {@code \k<name>} after the regex compiles only
     * if the group exists. The suffix first closes a trailing {@code \Q} quote, and a line break ends a
     * trailing comment of {@code (?x)} mode; neither changes which groups exist.
     */
    private static boolean hasNamedGroup(String regex, String name) {
        String closed = compiles(regex + "\\E") ? regex + "\\E" : regex;
        return compiles("(?:" + closed + "\n)\\k<" + name + ">");
    }

    private static boolean compiles(String regex) {
        try {
            Pattern.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "PathRewrites.regex(" + regex.pattern() + ", " + replacement + ")";
    }
}
