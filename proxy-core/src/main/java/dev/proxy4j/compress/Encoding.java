package dev.proxy4j.compress;

import java.util.Locale;

/** A content coding the proxy can compress with, by its Accept-Encoding token. */
public enum Encoding {
    /** Zstandard (RFC 8878), through zstd-jni: the fastest to compress for a ratio close to brotli's. */
    ZSTD("zstd"),
    /** Brotli (RFC 7932), through brotli4j. */
    BROTLI("br"),
    /** gzip (RFC 1952), through the JDK's Deflater. */
    GZIP("gzip");

    private final String token;

    Encoding(String token) {
        this.token = token;
    }

    /** The token in Accept-Encoding and Content-Encoding: {@code zstd}, {@code br}, {@code gzip}. */
    public String token() {
        return token;
    }

    /** What the ETag of a response compressed with this encoding ends with, inside the quotes: {@code --gzip}. */
    public String etagSuffix() {
        return "--" + token;
    }

    /**
     * The encoding for a token, as the config file and the launcher spell it ({@code brotli} is taken
     * for {@code br}).
     *
     * @throws IllegalArgumentException naming the value and the tokens known
     */
    public static Encoding parse(String token) {
        String lower = token.strip().toLowerCase(Locale.ROOT);
        for (Encoding encoding : values()) {
            if (encoding.token.equals(lower)) {
                return encoding;
            }
        }
        if (lower.equals("brotli")) {
            return BROTLI;
        }
        throw new IllegalArgumentException("encoding: \"" + token + "\" (expected: one of gzip, br, zstd)");
    }

    @Override
    public String toString() {
        return token;
    }
}
