package dev.proxy4j.testkit;

import org.jspecify.annotations.Nullable;

/**
 * Entry point for the testkit's AssertJ assertions. {@link RecordedRequest} is also an AssertJ
 * {@link org.assertj.core.api.AssertProvider}, so {@code Assertions.assertThat(request)} gives the
 * same {@link RecordedRequestAssert}; this class is for code that prefers one explicit import.
 */
public final class ProxyAssertions {

    private ProxyAssertions() {}

    public static RecordedRequestAssert assertThat(@Nullable RecordedRequest actual) {
        return new RecordedRequestAssert(actual);
    }
}
