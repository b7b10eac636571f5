package dev.proxy4j.config.file;

/**
 * A config file that cannot be used, with the place in it: the message reads
 * {@code "routes[1].upstream.endpoints[0]: \"htp://x\" (expected: an absolute http(s) URI such as http://127.0.0.1:9000)"}.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    ConfigException(String field, String problem, Throwable cause) {
        super(field.isEmpty() ? problem : field + ": " + problem, cause);
        this.field = field;
    }

    ConfigException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
    }

    /** The path of the field in the file, such as {@code routes[1].upstream.endpoints[0]}; empty for the whole file. */
    public String field() {
        return field;
    }
}
