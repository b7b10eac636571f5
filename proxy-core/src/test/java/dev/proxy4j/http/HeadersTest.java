package dev.proxy4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadersTest {

    private static List<Header> fields(Headers headers) {
        List<Header> fields = new ArrayList<>();
        headers.forEach(fields::add);
        return fields;
    }

    @Test
    void keepsFieldsInTheOrderTheyWereAddedWithTheCaseTheyArrivedWith() {
        Headers headers = Headers.of("Accept", "*/*", "x-trace", "1", "Accept", "text/html");

        assertThat(fields(headers)).containsExactly(
                new Header("Accept", "*/*"), new Header("x-trace", "1"), new Header("Accept", "text/html"));
        assertThat(headers.size()).isEqualTo(3);
        assertThat(headers.name(1)).isEqualTo("x-trace");
        assertThat(headers.value(2)).isEqualTo("text/html");
    }

    @Test
    void looksNamesUpIgnoringCase() {
        Headers headers = Headers.of("Content-Type", "text/plain");

        assertThat(headers.get("content-type")).isEqualTo("text/plain");
        assertThat(headers.get("CONTENT-TYPE")).isEqualTo("text/plain");
        assertThat(headers.contains("content-TYPE")).isTrue();
        assertThat(headers.getAll("content-type")).containsExactly("text/plain");
    }


    @Test
    void namesCompareAsEqualsIgnoreCaseDoesForEveryPairOfCharactersUpToU0200() {
        // The look-up's first-character shortcut must never tell apart what equalsIgnoreCase calls the same.
        for (char x = 0; x < 0x200; x++) {
            for (char y = 0; y < 0x200; y++) {
                String a = x + "-Name";
                String b = y + "-name";
                assertThat(Headers.sameName(a, b)).as("%s vs %s", a, b).isEqualTo(a.equalsIgnoreCase(b));
            }
        }
        assertThat(Headers.sameName("\u212Aeep-Alive", "keep-alive")).isTrue();
        assertThat(Headers.sameName("Connection", "User-Agent")).isFalse();
        assertThat(Headers.sameName("Connection", "connectioN")).isTrue();
        assertThat(Headers.sameName("", "")).isTrue();
        assertThat(Headers.sameName("Via", "Vias")).isFalse();
    }
    @Test
    void getGivesTheFirstValueGetLastTheLastAndGetAllEveryValueInOrder() {
        Headers headers = Headers.of("Via", "1.1 a", "Accept", "*/*", "via", "1.1 b", "VIA", "2 c");

        assertThat(headers.get("Via")).isEqualTo("1.1 a");
        assertThat(headers.getLast("Via")).isEqualTo("2 c");
        assertThat(headers.getAll("Via")).containsExactly("1.1 a", "1.1 b", "2 c");
    }

    @Test
    void absentNamesGiveNullAndAnEmptyList() {
        Headers headers = Headers.of("Accept", "*/*");

        assertThat(headers.get("Cookie")).isNull();
        assertThat(headers.getLast("Cookie")).isNull();
        assertThat(headers.getAll("Cookie")).isEmpty();
        assertThat(headers.contains("Cookie")).isFalse();
    }

    @Test
    void headersBuiltFromAFullBuilderDoNotChangeWhenTheBuilderGoesOn() {
        Headers.Builder builder = Headers.builder(2).add("A", "1").add("B", "2");
        Headers first = builder.build();

        Headers added = builder.add("C", "3").build();
        Headers set = Headers.builder(1).add("A", "1").set("A", "x").build();
        Headers.Builder again = Headers.builder(2).add("A", "1").add("B", "2");
        Headers beforeSet = again.build();
        Headers afterSet = again.set("A", "x").build();
        Headers.Builder third = Headers.builder(2).add("A", "1").add("B", "2");
        Headers beforeRemove = third.build();
        Headers afterRemove = third.remove("A").build();

        assertThat(first).isEqualTo(Headers.of("A", "1", "B", "2"));
        assertThat(added).isEqualTo(Headers.of("A", "1", "B", "2", "C", "3"));
        assertThat(set).isEqualTo(Headers.of("A", "x"));
        assertThat(beforeSet).isEqualTo(Headers.of("A", "1", "B", "2"));
        assertThat(afterSet).isEqualTo(Headers.of("A", "x", "B", "2"));
        assertThat(beforeRemove).isEqualTo(Headers.of("A", "1", "B", "2"));
        assertThat(afterRemove).isEqualTo(Headers.of("B", "2"));
    }

    @Test
    void headersBuiltFromABuilderWithRoomLeftDoNotChangeWhenTheBuilderGoesOn() {
        // Room for six fields, two used: the built headers share the builder's array.
        Headers.Builder builder = Headers.builder(6).add("A", "1").add("B", "2");
        Headers first = builder.build();
        Headers added = builder.add("C", "3").build();
        Headers removed = builder.remove("A").build();
        Headers set = builder.set("B", "x").build();

        assertThat(first).isEqualTo(Headers.of("A", "1", "B", "2"));
        assertThat(first.size()).isEqualTo(2);
        assertThat(first.get("C")).isNull();
        assertThat(first.getAll("B")).containsExactly("2");
        assertThat(first.getLast("A")).isEqualTo("1");
        assertThat(first).extracting(Header::name).containsExactly("A", "B");
        assertThat(added).isEqualTo(Headers.of("A", "1", "B", "2", "C", "3"));
        assertThat(removed).isEqualTo(Headers.of("B", "2", "C", "3"));
        assertThat(set).isEqualTo(Headers.of("B", "x", "C", "3"));
        assertThat(first.hashCode()).isEqualTo(Headers.of("A", "1", "B", "2").hashCode());
        assertThat(first.toBuilder().add("D", "4").build()).isEqualTo(Headers.of("A", "1", "B", "2", "D", "4"));
        assertThatThrownBy(() -> first.name(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aBuilderSizedForFewerFieldsGrows() {
        Headers headers = Headers.builder(0).add("A", "1").add("B", "2").add("C", "3").build();

        assertThat(headers).isEqualTo(Headers.of("A", "1", "B", "2", "C", "3"));
        assertThatThrownBy(() -> Headers.builder(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fields: -1 (expected: >= 0)");
    }

    @Test
    void addKeepsEarlierFieldsOfTheSameName() {
        Headers headers = Headers.of("X-A", "1").toBuilder().add("x-a", "2").build();

        assertThat(fields(headers)).containsExactly(new Header("X-A", "1"), new Header("x-a", "2"));
    }

    @Test
    void setReplacesTheFirstFieldInPlaceAndDropsTheRepeats() {
        Headers headers = Headers.of("X-A", "1", "Accept", "*/*", "x-a", "2", "Host", "h", "X-A", "3")
                .toBuilder()
                .set("X-a", "new")
                .build();

        assertThat(fields(headers)).containsExactly(
                new Header("X-a", "new"), new Header("Accept", "*/*"), new Header("Host", "h"));
    }

    @Test
    void setAppendsWhenTheNameIsAbsent() {
        Headers headers = Headers.of("Accept", "*/*").toBuilder().set("X-A", "1").build();

        assertThat(fields(headers)).containsExactly(new Header("Accept", "*/*"), new Header("X-A", "1"));
    }

    @Test
    void removeDropsEveryFieldOfTheNameIgnoringCaseAndKeepsTheOthersInOrder() {
        Headers headers = Headers.of("Cookie", "a=1", "Accept", "*/*", "cookie", "b=2", "Host", "h")
                .toBuilder()
                .remove("COOKIE")
                .build();

        assertThat(fields(headers)).containsExactly(new Header("Accept", "*/*"), new Header("Host", "h"));
    }

    @Test
    void removingEveryFieldGivesEmptyHeaders() {
        Headers headers = Headers.of("X-A", "1").toBuilder().remove("x-a").build();

        assertThat(headers.isEmpty()).isTrue();
        assertThat(headers).isSameAs(Headers.empty());
    }

    @Test
    void growsPastItsInitialCapacity() {
        Headers.Builder builder = Headers.builder();
        for (int i = 0; i < 100; i++) {
            builder.add("X-" + i, Integer.toString(i));
        }
        Headers headers = builder.build();

        assertThat(headers.size()).isEqualTo(100);
        assertThat(headers.get("x-0")).isEqualTo("0");
        assertThat(headers.get("x-99")).isEqualTo("99");
    }

    @Test
    void aBuilderFromToBuilderChangesNeitherTheOriginalNorEarlierBuilds() {
        Headers original = Headers.of("X-A", "1", "X-B", "2");
        Headers.Builder builder = original.toBuilder();

        Headers first = builder.set("X-A", "changed").build();
        builder.remove("X-B").add("X-C", "3");
        Headers second = builder.build();

        assertThat(fields(original)).containsExactly(new Header("X-A", "1"), new Header("X-B", "2"));
        assertThat(fields(first)).containsExactly(new Header("X-A", "changed"), new Header("X-B", "2"));
        assertThat(fields(second)).containsExactly(new Header("X-A", "changed"), new Header("X-C", "3"));
    }

    @Test
    void builderLooksNamesUpIgnoringCase() {
        Headers.Builder builder = Headers.builder().add("X-Trace", "1").add("x-trace", "2");

        assertThat(builder.get("X-TRACE")).isEqualTo("1");
        assertThat(builder.contains("x-TRACE")).isTrue();
        assertThat(builder.contains("X-Other")).isFalse();
    }

    @Test
    void equalHeadersHaveTheSameFieldsInTheSameOrderNamesInAnyCase() {
        Headers headers = Headers.of("X-A", "1", "X-B", "2");

        assertThat(headers).isEqualTo(Headers.builder().add("X-A", "1").add("X-B", "2").build());
        assertThat(headers).hasSameHashCodeAs(Headers.of("X-A", "1", "X-B", "2"));
        assertThat(headers).isNotEqualTo(Headers.of("X-B", "2", "X-A", "1"));
        assertThat(headers).isNotEqualTo(Headers.of("X-A", "1", "X-B", "other"));
        assertThat(headers).isNotEqualTo(Headers.of("X-A", "1"));
        Headers otherCase = Headers.of("x-a", "1", "X-b", "2");
        assertThat(headers).isEqualTo(otherCase).hasSameHashCodeAs(otherCase);
        assertThat(Headers.of("X-A", "v")).isNotEqualTo(Headers.of("X-A", "V"));
    }

    @Test
    void ofRejectsAnOddNumberOfStrings() {
        assertThatThrownBy(() -> Headers.of("X-A", "1", "X-B"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namesAndValues: 3 strings (expected: an even number)");
    }

    @Test
    void rejectsAnEmptyName() {
        assertThatThrownBy(() -> Headers.builder().add("", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header name: \"\" (expected: a non-empty token)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X A", "X:A", "X\tA", "X\nA", "X\u007fA", "Ü", "X(A", "X@A", "X\"A", "X/A"})
    void rejectsNamesThatAreNotTokensAsRouteHeaderPredicatesDo(String name) {
        String expected = "header name: \"" + name + "\" (expected: a token as RFC 9110 defines it)";

        assertThatThrownBy(() -> Headers.builder().add(name, "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
        assertThatThrownBy(() -> Headers.builder().set(name, "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
    }

    @Test
    void rejectsNullNamesAndValues() {
        assertThatThrownBy(() -> Headers.builder().add(null, "1"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThatThrownBy(() -> Headers.builder().set("X-A", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("value");
    }

    @Test
    void rejectsAnIndexOutOfRange() {
        Headers headers = Headers.of("X-A", "1");

        assertThatThrownBy(() -> headers.name(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> headers.value(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void printsAsAList() {
        assertThat(Headers.of("X-A", "1", "Accept", "*/*")).hasToString("[X-A: 1, Accept: */*]");
        assertThat(Headers.empty()).hasToString("[]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"b\r\nX-Injected: 1", "b\nX-Injected: 1", "b\rc", "b\u0000c"})
    void refusesAValueThatWouldSplitTheFieldWhereverItIsWritten(String value) {
        String shown = value.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\u0000");

        assertThatThrownBy(() -> Headers.builder().add("X-User", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header X-User: \"" + shown + "\" (expected: a value without CR, LF or NUL)");
        assertThatThrownBy(() -> Headers.builder().set("X-User", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header X-User: \"" + shown + "\" (expected: a value without CR, LF or NUL)");
        assertThatThrownBy(() -> Headers.of("X-User", value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsTabsAndObsTextInValues() {
        assertThat(Headers.of("X-A", "a\tb \u00ff").get("X-A")).isEqualTo("a\tb \u00ff");
    }
}
