package dev.proxy4j.testkit;

import dev.proxy4j.http.Header;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on a {@link RecordedRequest}. Header names compare case-insensitively, values
 * exactly; a failure lists the request's headers as they arrived.
 *
 * <pre>{@code
 * assertThat(orders.takeRequest())
 *         .hasMethod("GET")
 *         .hasPath("/orders/1")
 *         .hasHeader("X-Forwarded-For", "127.0.0.1")
 *         .doesNotHaveHeader("Proxy-Authorization");
 * }</pre>
 */
public final class RecordedRequestAssert extends AbstractAssert<RecordedRequestAssert, RecordedRequest> {

    RecordedRequestAssert(@Nullable RecordedRequest actual) {
        super(actual, RecordedRequestAssert.class);
    }

    /** At least one field named {@code name} has exactly {@code value}. */
    public RecordedRequestAssert hasHeader(String name, String value) {
        isNotNull();
        if (!actual.headerValues(name).contains(value)) {
            failWithHeaders("to have header \"" + name + ": " + value + "\"");
        }
        return this;
    }

    public RecordedRequestAssert hasHeader(String name) {
        isNotNull();
        if (actual.header(name) == null) {
            failWithHeaders("to have a header named \"" + name + "\"");
        }
        return this;
    }

    public RecordedRequestAssert doesNotHaveHeader(String name) {
        isNotNull();
        if (actual.header(name) != null) {
            failWithHeaders("not to have a header named \"" + name + "\"");
        }
        return this;
    }

    /**
     * Exactly {@code count} fields are named {@code name}. Fields are counted as they arrived:
     * {@code Via: a, b} is one field.
     */
    public RecordedRequestAssert hasHeaderCount(String name, int count) {
        isNotNull();
        int actualCount = actual.headerValues(name).size();
        if (actualCount != count) {
            failWithHeaders("to have " + count + " \"" + name + "\" field(s), but it had " + actualCount);
        }
        return this;
    }

    public RecordedRequestAssert hasMethod(String method) {
        isNotNull();
        if (!actual.method().equals(method)) {
            fail("to have method \"" + method + "\", but its method was \"" + actual.method() + "\"");
        }
        return this;
    }

    /** The path as sent, without the query. */
    public RecordedRequestAssert hasPath(String path) {
        isNotNull();
        if (!actual.path().equals(path)) {
            fail("to have path \"" + path + "\", but its path was \"" + actual.path() + "\"");
        }
        return this;
    }

    /** The raw query, without {@code ?}. */
    public RecordedRequestAssert hasQuery(String query) {
        isNotNull();
        if (!Objects.equals(actual.query(), query)) {
            fail("to have query \"" + query + "\", but "
                    + (actual.query() == null ? "it had none" : "its query was \"" + actual.query() + "\""));
        }
        return this;
    }

    /** The body, decoded as UTF-8. */
    public RecordedRequestAssert hasBody(String body) {
        isNotNull();
        if (!actual.bodyAsString().equals(body)) {
            fail("to have body \"" + body + "\", but its body was \"" + actual.bodyAsString() + "\"");
        }
        return this;
    }

    private void fail(String expectation) {
        failWithMessage("%s", "Expecting " + actual + " " + expectation);
    }

    private void failWithHeaders(String expectation) {
        StringBuilder message = new StringBuilder("Expecting ").append(actual).append(' ').append(expectation);
        message.append(expectation.contains(", but") ? "; its headers were:" : ", but its headers were:");
        if (actual.headers().isEmpty()) {
            message.append("\n  (none)");
        }
        for (Header header : actual.headers()) {
            message.append("\n  ").append(header.name()).append(": ").append(header.value());
        }
        failWithMessage("%s", message.toString());
    }
}
