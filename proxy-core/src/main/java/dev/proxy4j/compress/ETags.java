package dev.proxy4j.compress;

import org.jspecify.annotations.Nullable;

/** Entity tags of compressed representations: the encoding's suffix inside the quotes ({@code W/"abc--br"}). */
final class ETags {

    private ETags() {
    }

    /** {@code etag} with {@code encoding}'s suffix; {@code ""} when it is not a quoted tag (then it is dropped). */
    static String withSuffix(String etag, Encoding encoding) {
        String tag = etag.strip();
        int open = tag.startsWith("W/") ? 2 : 0;
        if (tag.length() < open + 2 || tag.charAt(open) != '"' || tag.charAt(tag.length() - 1) != '"') {
            return "";
        }
        if (tag.endsWith(encoding.etagSuffix() + '"')) {
            return tag;
        }
        return tag.substring(0, tag.length() - 1) + encoding.etagSuffix() + '"';
    }

    /** A list of tags with the suffixes of the encodings {@code which} takes taken off. */
    static String stripSuffixes(String tags, java.util.function.Predicate<Encoding> which) {
        String out = tags;
        for (Encoding encoding : Encoding.values()) {
            if (which.test(encoding)) {
                out = out.replace(encoding.etagSuffix() + '"', "\"");
            }
        }
        return out;
    }

    /** The encoding of the first suffixed tag in a list, or null. */
    static @Nullable Encoding suffixIn(String tags) {
        Encoding found = null;
        int at = Integer.MAX_VALUE;
        for (Encoding encoding : Encoding.values()) {
            int index = tags.indexOf(encoding.etagSuffix() + '"');
            if (index >= 0 && index < at) {
                at = index;
                found = encoding;
            }
        }
        return found;
    }
}
