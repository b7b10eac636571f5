package dev.proxy4j.compress;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.http.ProxyResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When responses are compressed on their way to the client, and with what. Immutable; {@link
 * #defaults()} is what {@code --compress} turns on: zstd, br and gzip, preferred in that order when
 * the client weighs them equally, for bodies of {@value #DEFAULT_MIN_LENGTH} bytes or more of
 * textual types.
 *
 * <p>{@link #apply} decides for one response, after every filter (so after a cache, which keeps
 * what the backend sent): a response is compressed when the client accepts an offered encoding,
 * it has a body of a compressible type, is not already encoded, is not a range (206), is not
 * marked {@code no-transform}, and is not known to be shorter than the minimum. A response of a
 * compressible type gets {@code Accept-Encoding} merged into its Vary, compressed or not (a cache
 * downstream must not hand the compressed one to a client that cannot read it). A compressed
 * response loses Content-Length and Accept-Ranges, and its ETag gets the encoding's suffix ({@code
 * "abc"} becomes {@code "abc--gzip"}), which {@link #mapConditionals} takes off again when the tag
 * comes back in If-None-Match or If-Match (the proxy does so for every request while any
 * compression is on), so that the backend's own validators keep working.
 */
public final class Compression {

    /** Bodies shorter than this are sent as they are: below it the coding's framing eats most of the gain. */
    public static final int DEFAULT_MIN_LENGTH = 256;

    /** The encodings offered by default, in the order preferred among equal weights. */
    public static final List<Encoding> DEFAULT_ENCODINGS = List.of(Encoding.ZSTD, Encoding.BROTLI, Encoding.GZIP);

    /**
     * Compressible types by default: text, JSON, XML, JavaScript, SVG, WebAssembly and uncompressed
     * font formats. Images (but SVG), audio, video, archives, WOFF fonts and PDF are left out: they
     * are compressed already. {@code type/*} and {@code type/*+suffix} match families.
     */
    public static final List<String> DEFAULT_TYPES = List.of("text/*", "application/json", "application/*+json",
            "application/javascript", "application/x-javascript", "application/ecmascript", "application/xml",
            "application/*+xml", "application/x-ndjson", "application/wasm", "application/vnd.ms-fontobject",
            "image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon", "image/bmp", "font/ttf", "font/otf");

    /**
     * Never compressed, even when {@link #types()} match: event streams, which a compressor would hold
     * back until its buffer fills. gRPC is never compressed either (it has its own message coding).
     */
    public static final List<String> DEFAULT_EXCLUDED_TYPES = List.of("text/event-stream");

    /**
     * Levels by default: gzip 6 (zlib's default), brotli 5 and zstd 3 (its own default), each fast
     * enough for compressing on the fly (brotli's 11, Jetty's default, takes some 70 times as long as
     * 5 for a few per cent; docs/compression.md has the measurement).
     */
    public static final Map<Encoding, Integer> DEFAULT_LEVELS = Map.of(Encoding.GZIP, 6, Encoding.BROTLI, 5, Encoding.ZSTD, 3);

    private static final Compression OFF = new Compression(new Builder().encodings(List.of()));

    private final List<Encoding> encodings;
    private final int minLength;
    private final List<String> types;
    private final List<String> excludedTypes;
    private final Map<Encoding, Integer> levels;
    private final List<Pattern> typePatterns;
    private final List<Pattern> excludedPatterns;

    private Compression(Builder b) {
        this.encodings = List.copyOf(b.encodings);
        this.minLength = b.minLength;
        this.types = List.copyOf(b.types);
        this.excludedTypes = List.copyOf(b.excludedTypes);
        this.levels = Map.copyOf(b.levels);
        this.typePatterns = types.stream().map(Compression::pattern).toList();
        this.excludedPatterns = excludedTypes.stream().map(Compression::pattern).toList();
    }

    /** zstd, br and gzip with the defaults above. */
    public static Compression defaults() {
        return builder().build();
    }

    /** No compression. */
    public static Compression off() {
        return OFF;
    }

    /** The defaults, to change. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.encodings = new ArrayList<>(encodings);
        b.minLength = minLength;
        b.types = new ArrayList<>(types);
        b.excludedTypes = new ArrayList<>(excludedTypes);
        b.levels.putAll(levels);
        return b;
    }

    /** Whether anything is ever compressed (some encoding is offered). */
    public boolean enabled() {
        return !encodings.isEmpty();
    }

    /** The encodings offered, the preferred first. */
    public List<Encoding> encodings() {
        return encodings;
    }

    public int minLength() {
        return minLength;
    }

    public List<String> types() {
        return types;
    }

    public List<String> excludedTypes() {
        return excludedTypes;
    }

    /** The level {@code encoding} compresses at. */
    public int level(Encoding encoding) {
        return levels.get(encoding);
    }

    /** Whether a Content-Type (parameters allowed) is one this compresses. */
    public boolean compressible(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/grpc")) {
            return false;
        }
        for (Pattern excluded : excludedPatterns) {
            if (excluded.matcher(type).matches()) {
                return false;
            }
        }
        for (Pattern included : typePatterns) {
            if (included.matcher(type).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The request as it goes on: tags in If-None-Match and If-Match that carry an encoding's suffix
     * get their backend's form back. In If-None-Match only the suffixes of encodings the request
     * accepts are taken off: a tag of a representation the client can no longer be given (it holds
     * the br copy but now accepts only gzip) must not match, or a 304 would tell it to use bytes it
     * cannot decode. If-Range is left as it is: a range is of the uncompressed representation, so a
     * compressed tag there must not match (the client gets the whole response).
     */
    public static ProxyRequest mapConditionals(ProxyRequest request) {
        Headers headers = request.headers();
        Headers.Builder mapped = null;
        for (String name : List.of("If-None-Match", "If-Match")) {
            List<String> values = headers.getAll(name);
            if (values.isEmpty()) {
                continue;
            }
            String joined = String.join(", ", values);
            List<String> accepted = headers.getAll("Accept-Encoding");
            String stripped = name.equals("If-Match") ? ETags.stripSuffixes(joined, encoding -> true)
                    : ETags.stripSuffixes(joined, encoding -> AcceptEncoding.weight(accepted, encoding.token()) > 0);
            if (!stripped.equals(joined)) {
                mapped = mapped == null ? headers.toBuilder() : mapped;
                mapped.set(name, stripped);
            }
        }
        return mapped == null ? request : request.toBuilder().headers(mapped.build()).build();
    }

    /**
     * What the client gets for {@code response}: its headers as they go (Vary, Content-Encoding,
     * Content-Length, Accept-Ranges, ETag), and the encoding its body is to be compressed with, if any.
     *
     * @param request the client's request as it arrived, before {@link #mapConditionals}
     */
    public Decision apply(ProxyRequest request, ProxyResponse response) {
        int status = response.status();
        Headers headers = response.headers();
        if (!enabled() || status < 200 || status == 204 || status == 205 || status == 206
                || headers.contains("Content-Range") || !identity(headers) || noTransform(headers)) {
            return Decision.unchanged(response);
        }
        String type = headers.get("Content-Type");
        if (status == 304) {
            // A 304 tells the client its copy is good: the tag it holds is the one we gave it.
            Encoding held = ETags.suffixIn(String.join(", ", request.headers().getAll("If-None-Match")));
            Headers.Builder out = Vary.merge(headers.toBuilder());
            String etag = headers.get("ETag");
            if (held != null && etag != null) {
                out.set("ETag", ETags.withSuffix(etag, held));
            }
            return new Decision(response.toBuilder().headers(out.build()).build(), Optional.empty());
        }
        if (type == null || !compressible(type)) {
            return Decision.unchanged(response);
        }
        Headers.Builder out = Vary.merge(headers.toBuilder());
        long length = length(response);
        Optional<Encoding> encoding = length >= 0 && length < minLength || request.method().equals("HEAD")
                ? Optional.empty() : AcceptEncoding.negotiate(request.headers().getAll("Accept-Encoding"), encodings);
        if (encoding.isPresent()) {
            out.set("Content-Encoding", encoding.get().token());
            out.remove("Content-Length");
            out.remove("Accept-Ranges");
            String etag = headers.get("ETag");
            if (etag != null) {
                String suffixed = ETags.withSuffix(etag, encoding.get());
                if (suffixed.isEmpty()) {
                    out.remove("ETag");
                } else {
                    out.set("ETag", suffixed);
                }
            }
        }
        return new Decision(response.toBuilder().headers(out.build()).build(), encoding);
    }

    private static boolean identity(Headers headers) {
        for (String value : headers.getAll("Content-Encoding")) {
            for (String coding : value.split(",")) {
                String c = coding.strip();
                if (!c.isEmpty() && !c.equalsIgnoreCase("identity")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** RFC 9110 7.7 / RFC 9111 5.2.2.6: a proxy must not transform content marked no-transform. */
    private static boolean noTransform(Headers headers) {
        for (String value : headers.getAll("Cache-Control")) {
            for (String directive : value.split(",")) {
                if (directive.strip().equalsIgnoreCase("no-transform")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The body's length, from the body or Content-Length; -1 when unknown. */
    private static long length(ProxyResponse response) {
        long length = response.body().length();
        if (length >= 0) {
            return length;
        }
        String declared = response.headers().get("Content-Length");
        if (declared != null) {
            try {
                return Long.parseLong(declared.strip());
            } catch (NumberFormatException ignored) {
                return -1;
            }
        }
        return -1;
    }

    private static Pattern pattern(String type) {
        return Pattern.compile(Pattern.quote(type.toLowerCase(Locale.ROOT)).replace("*", "\\E[^/]*\\Q"));
    }

    @Override
    public String toString() {
        return enabled() ? "Compression" + encodings + "[min " + minLength + ']' : "Compression[off]";
    }

    /** What {@link #apply} made of a response: the response as it goes (its body untouched), and the encoding for its body. */
    public record Decision(ProxyResponse response, Optional<Encoding> encoding) {
        public Decision {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(encoding, "encoding");
        }

        static Decision unchanged(ProxyResponse response) {
            return new Decision(response, Optional.empty());
        }
    }

    /** Builds a {@link Compression}; starts from the defaults. */
    public static final class Builder {
        private List<Encoding> encodings = new ArrayList<>(DEFAULT_ENCODINGS);
        private int minLength = DEFAULT_MIN_LENGTH;
        private List<String> types = new ArrayList<>(DEFAULT_TYPES);
        private List<String> excludedTypes = new ArrayList<>(DEFAULT_EXCLUDED_TYPES);
        private final Map<Encoding, Integer> levels = new EnumMap<>(DEFAULT_LEVELS);

        private Builder() {
        }

        /** The encodings offered, the preferred first; none turns compression off. */
        public Builder encodings(List<Encoding> encodings) {
            LinkedHashSet<Encoding> distinct = new LinkedHashSet<>();
            for (Encoding encoding : encodings) {
                if (!distinct.add(Objects.requireNonNull(encoding, "encoding"))) {
                    throw new IllegalArgumentException("encodings: " + encodings + " (expected: each encoding once)");
                }
            }
            this.encodings = new ArrayList<>(distinct);
            return this;
        }

        public Builder encodings(Encoding... encodings) {
            return encodings(List.of(encodings));
        }

        /** Bodies known to be shorter are not compressed; default {@value #DEFAULT_MIN_LENGTH}. */
        public Builder minLength(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("minLength: " + bytes + " (expected: >= 0)");
            }
            this.minLength = bytes;
            return this;
        }

        /** The media types compressed (replacing the defaults): {@code text/html}, {@code text/*}, {@code application/*+json}. */
        public Builder types(List<String> types) {
            this.types = checkedTypes("types", types);
            return this;
        }

        /** Media types never compressed (replacing the defaults), checked before {@link #types}. */
        public Builder excludedTypes(List<String> types) {
            this.excludedTypes = checkedTypes("excludedTypes", types);
            return this;
        }

        /** gzip 1..9, br 0..11, zstd 1..19. */
        public Builder level(Encoding encoding, int level) {
            int max = switch (encoding) {
                case GZIP -> 9;
                case BROTLI -> 11;
                case ZSTD -> 19;
            };
            int min = encoding == Encoding.BROTLI ? 0 : 1;
            if (level < min || level > max) {
                throw new IllegalArgumentException(encoding.token() + " level: " + level + " (expected: " + min + ".." + max + ")");
            }
            levels.put(encoding, level);
            return this;
        }

        public Compression build() {
            return new Compression(this);
        }

        private static List<String> checkedTypes(String field, List<String> types) {
            List<String> checked = new ArrayList<>();
            for (String type : types) {
                Objects.requireNonNull(type, field);
                int slash = type.indexOf('/');
                if (slash <= 0 || slash == type.length() - 1 || type.indexOf('/', slash + 1) >= 0
                        || type.indexOf(';') >= 0 || type.isBlank() || !type.strip().equals(type)) {
                    throw new IllegalArgumentException(field + ": \"" + type
                            + "\" (expected: a media type such as text/html, text/* or application/*+json)");
                }
                checked.add(type.toLowerCase(Locale.ROOT));
            }
            return checked;
        }
    }
}
