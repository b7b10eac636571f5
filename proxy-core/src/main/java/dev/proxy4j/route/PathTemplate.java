package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A path template compiled once to an array of segments, then matched per request by walking the
 * path: no regular expression, and no allocation unless variables are captured.
 *
 * <p>Syntax: segments separated by {@code /}; a segment is literal text, {@code {name}} (exactly one
 * non-empty segment), or, as the last segment only, {@code {*name}} or {@code **} (the remainder:
 * zero or more segments). A catch-all captures the remainder with its leading slash, as Spring's
 * {@code PathPattern} does: {@code /static/{*rest}} gives {@code rest} = {@code ""} for {@code /static}
 * and {@code "/a/b"} for {@code /static/a/b}. Names are letters, digits, {@code _} and {@code -}.
 * Text segments may not contain braces or {@code *}, and compare raw and case-sensitively.
 */
final class PathTemplate {

    enum SegmentKind { LITERAL, VARIABLE, CATCH_ALL }

    /**
     * One segment: {@code text} is the literal, the variable's name, or {@code **};
     * {@code variable} is the variable's index in {@link #variables()}, or -1.
     */
    record Segment(SegmentKind kind, String text, int variable) {
    }

    private static final String GRAMMAR = "segments that are text, {name}, or a last {*name} or **";

    private final String template;
    private final Segment[] segments;
    private final List<String> variables;

    private PathTemplate(String template, Segment[] segments, List<String> variables) {
        this.template = template;
        this.segments = segments;
        this.variables = variables;
    }

    /**
     * @param field the name used in error messages, e.g. {@code path template}
     * @param distinctNames whether a variable name may appear only once (true for templates that match)
     */
    static PathTemplate parse(String field, String template, boolean distinctNames) {
        Checks.checkPath(field, template);
        String[] parts = template.substring(1).split("/", -1);
        Segment[] segments = new Segment[parts.length];
        List<String> variables = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals("**")) {
                if (!last) {
                    throw Checks.invalid(field, template, "{*name} or ** only as the last segment");
                }
                segments[i] = new Segment(SegmentKind.CATCH_ALL, "**", -1);
                continue;
            }
            if (!part.startsWith("{")) {
                if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0 || part.indexOf('*') >= 0) {
                    throw Checks.invalid(field, template, GRAMMAR);
                }
                segments[i] = new Segment(SegmentKind.LITERAL, part, -1);
                continue;
            }
            if (part.indexOf('}') < 0) {
                throw Checks.invalid(field, template, "a } closing every {");
            }
            if (!part.endsWith("}")) {
                throw Checks.invalid(field, template, GRAMMAR);
            }
            boolean catchAll = part.startsWith("{*");
            String name = part.substring(catchAll ? 2 : 1, part.length() - 1);
            if (catchAll && !last) {
                throw Checks.invalid(field, template, "{*name} or ** only as the last segment");
            }
            if (name.isEmpty()) {
                throw Checks.invalid(field, template, "a name in every {}");
            }
            if (!isName(name)) {
                throw Checks.invalid(field, template, "variable names of letters, digits, _ and -");
            }
            int index = variables.indexOf(name);
            if (index >= 0 && distinctNames) {
                throw Checks.invalid(field, template, "distinct variable names, but " + name + " repeats");
            }
            if (index < 0) {
                index = variables.size();
                variables.add(name);
            }
            segments[i] = new Segment(catchAll ? SegmentKind.CATCH_ALL : SegmentKind.VARIABLE, name, index);
        }
        return new PathTemplate(template, segments, List.copyOf(variables));
    }

    private static boolean isName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code path} matches; when it does and {@code captures} is not null, stores each
     * variable's raw value at its index in {@link #variables()}.
     */
    boolean match(String path, String @Nullable [] captures) {
        int length = path.length();
        int pos = 0;
        for (Segment segment : segments) {
            if (segment.kind() == SegmentKind.CATCH_ALL) {
                if (captures != null && segment.variable() >= 0) {
                    captures[segment.variable()] = path.substring(pos);
                }
                return true;
            }
            if (pos >= length || path.charAt(pos) != '/') {
                return false;
            }
            int start = pos + 1;
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            if (segment.kind() == SegmentKind.LITERAL) {
                String text = segment.text();
                if (end - start != text.length() || !path.startsWith(text, start)) {
                    return false;
                }
            } else {
                if (end == start) {
                    return false;
                }
                if (captures != null) {
                    captures[segment.variable()] = path.substring(start, end);
                }
            }
            pos = end;
        }
        return pos == length;
    }

    String template() {
        return template;
    }

    /** Variable names in order of first appearance. */
    List<String> variables() {
        return variables;
    }

    Segment[] segments() {
        return segments.clone();
    }

    @Override
    public String toString() {
        return template;
    }
}
