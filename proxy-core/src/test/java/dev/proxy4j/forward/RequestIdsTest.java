package dev.proxy4j.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

    @Test
    void anIdIs32LowerCaseHexDigits() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(RequestIds.next()).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void idsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(RequestIds.next());
        }

        assertThat(ids).hasSize(10_000);
    }

    @Test
    void idsUseEveryHexDigitInEveryPosition() {
        // A slip in the bit shifts would leave some positions constant.
        List<Set<Character>> seen = new ArrayList<>();
        for (int p = 0; p < 32; p++) {
            seen.add(new HashSet<>());
        }
        for (int i = 0; i < 2_000; i++) {
            String id = RequestIds.next();
            for (int p = 0; p < 32; p++) {
                seen.get(p).add(id.charAt(p));
            }
        }

        for (int p = 0; p < 32; p++) {
            assertThat(seen.get(p)).as("digits seen at position %d", p).hasSize(16);
        }
    }

    @Test
    void generatedIdsAreAcceptable() {
        assertThat(RequestIds.isAcceptable(RequestIds.next())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "req-42", "550e8400-e29b-41d4-a716-446655440000", "A.b_c:d/e=f+g~h", "!#$%&'()*,;<>?@[]^`{|}"})
    void acceptsVisibleAsciiWithoutQuotesOrBackslashes(String id) {
        assertThat(RequestIds.isAcceptable(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a\tb", "line\nbreak", "a\"b", "a\\b", "caf\u00e9", "a\u007fb"})
    void rejectsEmptyIdsSpacesControlsQuotesBackslashesAndNonAscii(String id) {
        assertThat(RequestIds.isAcceptable(id)).isFalse();
    }

    @Test
    void acceptsUpTo128Characters() {
        assertThat(RequestIds.isAcceptable("x".repeat(128))).isTrue();
        assertThat(RequestIds.isAcceptable("x".repeat(129))).isFalse();
    }
}
