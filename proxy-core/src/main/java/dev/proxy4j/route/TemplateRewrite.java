package dev.proxy4j.route;

import dev.proxy4j.internal.Checks;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** {@link PathRewrites#template}: matches one path template and fills in another. */
final class TemplateRewrite implements PathRewrite {

    private final PathTemplate from;
    private final PathTemplate to;
    /** Per segment of {@code to}: the index of the value captured by {@code from}, or -1 for text. */
    private final int[] sources;
    private final PathTemplate.Segment[] toSegments;

    private TemplateRewrite(PathTemplate from, PathTemplate to, int[] sources) {
        this.from = from;
        this.to = to;
        this.sources = sources;
        this.toSegments = to.segments();
    }

    static TemplateRewrite of(String fromTemplate, String toTemplate) {
        Objects.requireNonNull(fromTemplate, "from");
        Objects.requireNonNull(toTemplate, "to");
        PathTemplate from = PathTemplate.parse("rewrite template", fromTemplate, true);
        PathTemplate to = PathTemplate.parse("rewrite replacement", toTemplate, false);
        Map<String, PathTemplate.Segment> declared = new HashMap<>();
        for (PathTemplate.Segment segment : from.segments()) {
            if (segment.variable() >= 0) {
                declared.put(segment.text(), segment);
            }
        }
        PathTemplate.Segment[] segments = to.segments();
        int[] sources = new int[segments.length];
        for (int i = 0; i < segments.length; i++) {
            PathTemplate.Segment segment = segments[i];
            sources[i] = -1;
            if (segment.kind() == PathTemplate.SegmentKind.LITERAL) {
                continue;
            }
            String name = segment.text();
            if (segment.variable() < 0) {
                throw Checks.invalid("rewrite replacement", toTemplate,
                        "{*name} naming a catch-all of the rewrite template instead of **");
            }
            PathTemplate.Segment source = declared.get(name);
            if (source == null) {
                throw Checks.invalid("rewrite replacement", toTemplate,
                        "only variables of the rewrite template, " + from.variables());
            }
            if (source.kind() != segment.kind()) {
                throw Checks.invalid("rewrite replacement", toTemplate,
                        source.kind() == PathTemplate.SegmentKind.CATCH_ALL
                                ? "{*" + name + "}, as " + name + " is a catch-all"
                                : "{" + name + "}, as " + name + " matches one segment");
            }
            sources[i] = source.variable();
        }
        return new TemplateRewrite(from, to, sources);
    }

    @Override
    public String rewrite(String path) {
        String[] values = new String[from.variables().size()];
        if (!from.match(path, values)) {
            return path;
        }
        StringBuilder result = new StringBuilder(path.length() + 16);
        for (int i = 0; i < toSegments.length; i++) {
            PathTemplate.Segment segment = toSegments[i];
            switch (segment.kind()) {
                case LITERAL -> result.append('/').append(segment.text());
                case VARIABLE -> result.append('/').append(values[sources[i]]);
                case CATCH_ALL -> result.append(values[sources[i]]);
            }
        }
        return result.length() == 0 ? "/" : result.toString();
    }

    @Override
    public String toString() {
        return "PathRewrites.template(" + from + ", " + to + ")";
    }
}
