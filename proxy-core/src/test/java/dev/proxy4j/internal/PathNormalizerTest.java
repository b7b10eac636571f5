package dev.proxy4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.config.EscapedSlashes;
import dev.proxy4j.log.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

    private static String normalize(String path) {
        return PathNormalizer.normalize(path, true, EscapedSlashes.REJECT);
    }

    private static Refusal refusal(String path, boolean mergeSlashes, EscapedSlashes escapedSlashes) {
        try {
            PathNormalizer.normalize(path, mergeSlashes, escapedSlashes);
        } catch (PathNormalizer.Rejected rejected) {
            return rejected.refusal();
        }
        throw new AssertionError(path + " was not refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b/", "/.well-known/x", "/a.b/c..d/...", "/a;b=c", "/x-y_z~"})
    void returnsTheSameStringWhenNothingNeedsWork(String path) {
        assertThat(normalize(path)).isSameAs(path);
    }

    @ParameterizedTest
    @CsvSource({
        "/%70rivate/x, /private/x",
        "/%41%7a%2D%2e%5F%7E, /Az-._~",
        "/a%2fb%3a, REJECT",
        "/a%3ab, /a%3Ab",
        "/a%20b, /a%20b",
        "/a/./b, /a/b",
        "/a/../b, /b",
        "/a/b/.., /a/",
        "/a/., /a/",
        "/a/%2e%2e/private, /private",
        "/a/.%2E/b, /b",
        "//private//x, /private/x",
        "/a/b//../c, /a/c",
    })
    void decodesUnreservedCharactersRemovesDotSegmentsAndMergesSlashes(String path, String expected) {
        if (expected.equals("REJECT")) {
            assertThat(refusal(path, true, EscapedSlashes.REJECT)).isEqualTo(Refusal.ESCAPED_SLASH);
        } else {
            assertThat(normalize(path)).isEqualTo(expected);
        }
    }

    @Test
    void upperCasesTheHexDigitsOfWhatStaysEncoded() {
        assertThat(normalize("/caf%c3%a9")).isEqualTo("/caf%C3%A9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/a/../..", "/%2e%2e/etc", "/a/%2E%2E/%2e%2e/x"})
    void refusesAPathThatClimbsAboveTheRoot(String path) {
        assertThat(refusal(path, true, EscapedSlashes.DECODE)).isEqualTo(Refusal.PATH_ABOVE_ROOT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%", "/a%2", "/a%zz", "/a%2g/b"})
    void refusesBadPercentEncoding(String path) {
        assertThat(refusal(path, true, EscapedSlashes.KEEP)).isEqualTo(Refusal.BAD_PERCENT_ENCODING);
    }

    @Test
    void refusesAnEncodedNul() {
        assertThat(refusal("/a%00b", true, EscapedSlashes.KEEP)).isEqualTo(Refusal.ENCODED_NUL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/private%2Fx", "/private%2fx", "/private%5Cx", "/private\\x"})
    void refusesEncodedSlashesAndBackslashesByDefault(String path) {
        assertThat(refusal(path, true, EscapedSlashes.REJECT)).isEqualTo(Refusal.ESCAPED_SLASH);
    }

    @Test
    void keepsEncodedSlashesAsOneSegmentWhenAskedTo() {
        assertThat(PathNormalizer.normalize("/private%2fx/..", true, EscapedSlashes.KEEP)).isEqualTo("/");
        assertThat(PathNormalizer.normalize("/a%2fb\\c", true, EscapedSlashes.KEEP)).isEqualTo("/a%2Fb%5Cc");
    }

    @Test
    void decodesEncodedSlashesBeforeMergingAndDotSegmentsWhenAskedTo() {
        assertThat(PathNormalizer.normalize("/private%2Fx", true, EscapedSlashes.DECODE)).isEqualTo("/private/x");
        assertThat(PathNormalizer.normalize("/a\\..\\private/x", true, EscapedSlashes.DECODE)).isEqualTo("/private/x");
        assertThat(PathNormalizer.normalize("/%2F%2Fprivate", true, EscapedSlashes.DECODE)).isEqualTo("/private");
    }

    @Test
    void refusesEmptySegmentsWhenSlashesAreNotMerged() {
        assertThat(refusal("//private/x", false, EscapedSlashes.REJECT)).isEqualTo(Refusal.EMPTY_SEGMENT);
        assertThat(refusal("/a%2F%2Fb", false, EscapedSlashes.DECODE)).isEqualTo(Refusal.EMPTY_SEGMENT);
        assertThat(PathNormalizer.normalize("/a/./b", false, EscapedSlashes.REJECT)).isEqualTo("/a/b");
    }

    @Test
    void aRefusalCarriesNoStack() {
        assertThatThrownBy(() -> normalize("/a%2Fb"))
                .isInstanceOf(PathNormalizer.Rejected.class)
                .hasMessage("encoded slash or backslash in path")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
    }
}
