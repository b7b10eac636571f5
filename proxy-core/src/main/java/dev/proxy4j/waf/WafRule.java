package dev.proxy4j.waf;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One rule: where it looks ({@link Target}s), what it looks for, the {@link Severity} a match adds
 * to the anomaly score, and the paranoia level from which it runs (1 is the default set; 2 adds
 * rules with more false positives). Ids read {@code family-number} ({@code sqli-100}); a route can
 * exclude a rule by its id or a whole family by its name. Rules look at values decoded as a
 * backend might decode them (percent-encoding however deep, overlong UTF-8, full-width forms,
 * lower case; for HTML rules character references too, for SQL rules comments).
 */
public final class WafRule {

    /** Which transformation of a value a rule reads. */
    enum Form {
        /** As received (query and form values decoded once, as an application reads them). */
        RAW,
        /** {@link Decoding#decoded(String)}. */
        DECODED,
        /** Decoded, backslashes as slashes. */
        PATH,
        /** Decoded, HTML character references resolved. */
        HTML,
        /** Decoded, SQL comments removed, white space collapsed. */
        SQL
    }

    /** Finds the rule's pattern in a transformed value: the matched text, or null. */
    @FunctionalInterface
    interface Finder {
        @Nullable String find(String text);
    }

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*-[0-9a-z-]+");

    private final String id;
    private final String family;
    private final Severity severity;
    private final int paranoia;
    private final String description;
    private final Set<Target> targets;
    private final Form form;
    private final Finder finder;
    /** Strings one of which the transformed value must contain for the finder to be worth running; empty: always run. */
    private final List<String> hints;

    WafRule(String id, Severity severity, int paranoia, String description, Set<Target> targets, Form form,
            List<String> hints, Finder finder) {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("rule id: \"" + id + "\" (expected: family-number, lower case, as sqli-100)");
        }
        if (paranoia < 1 || paranoia > Waf.MAX_PARANOIA) {
            throw new IllegalArgumentException("paranoia: " + paranoia + " (expected: 1.." + Waf.MAX_PARANOIA + ")");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets of rule " + id + ": none (expected: at least one)");
        }
        this.id = id;
        this.family = id.substring(0, id.indexOf('-'));
        this.severity = Objects.requireNonNull(severity, "severity");
        this.paranoia = paranoia;
        this.description = Objects.requireNonNull(description, "description");
        this.targets = Set.copyOf(targets);
        this.form = Objects.requireNonNull(form, "form");
        this.hints = List.copyOf(hints);
        this.finder = Objects.requireNonNull(finder, "finder");
    }

    /**
     * A rule of one's own: {@code pattern} is searched in the values of {@code targets}, decoded as
     * the built-in rules see them (percent-decoded however deep, lower case). Its id must not clash
     * with a built-in one; a family of one's own ({@code app-100}) keeps it apart.
     */
    public static WafRule of(String id, Severity severity, int paranoia, String description, Pattern pattern,
            Target first, Target... more) {
        Objects.requireNonNull(pattern, "pattern");
        return new WafRule(id, severity, paranoia, description, EnumSet.of(first, more), Form.DECODED, List.of(),
                regex(pattern));
    }

    static Finder regex(Pattern pattern) {
        return text -> {
            Matcher m = pattern.matcher(text);
            return m.find() ? m.group() : null;
        };
    }

    static Finder regex(String pattern) {
        return regex(Pattern.compile(pattern, Pattern.DOTALL));
    }

    /** E.g. {@code sqli-100}. */
    public String id() {
        return id;
    }

    /** The part of the id before the dash, e.g. {@code sqli}. */
    public String family() {
        return family;
    }

    public Severity severity() {
        return severity;
    }

    /** The lowest paranoia level that runs the rule (1..4). */
    public int paranoia() {
        return paranoia;
    }

    /** What the rule finds, in a few words. */
    public String description() {
        return description;
    }

    public Set<Target> targets() {
        return targets;
    }

    Form form() {
        return form;
    }

    /** The matched text in {@code value}'s form for this rule, or null. */
    @Nullable String find(Inspection.Value value) {
        String text = value.form(form);
        if (!hints.isEmpty()) {
            boolean any = false;
            for (String hint : hints) {
                if (text.contains(hint)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return null;
            }
        }
        return finder.find(text);
    }

    @Override
    public String toString() {
        return id + " (" + severity.name().toLowerCase(Locale.ROOT) + ", paranoia " + paranoia + "): " + description;
    }
}
