package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

class AddedFieldsTest {

    private final AddedFields added = new AddedFields();

    @Test
    void aRepeatedValueOfARememberedNameGetsTheFieldMadeLastTime() {
        HttpField first = added.field("X-Forwarded-Proto", "http");
        // Equal text from another request's parse: a different string.
        HttpField second = added.field("X-Forwarded-Proto", new String("http".toCharArray()));

        assertThat(second).isSameAs(first);
        assertThat(second.getHeader()).isEqualTo(HttpHeader.X_FORWARDED_PROTO);
        assertThat(added.field("Via", "1.1 proxy4j")).isSameAs(added.field("Via", "1.1 proxy4j"));
    }

    @Test
    void aNewValueGetsANewFieldAndIsRememberedInstead() {
        HttpField a = added.field("X-Forwarded-Host", "a.example");
        HttpField b = added.field("X-Forwarded-Host", "b.example");

        assertThat(b).isNotSameAs(a);
        assertThat(b.getValue()).isEqualTo("b.example");
        assertThat(added.field("X-Forwarded-Host", "b.example")).isSameAs(b);
        assertThat(added.field("X-Forwarded-Port", "b.example")).as("another name, same value").isNotSameAs(b);
    }

    @Test
    void otherNamesGetAFieldOfTheirOwnEachTime() {
        HttpField id = added.field("X-Request-Id", "1");

        assertThat(added.field("X-Request-Id", "1")).isNotSameAs(id).isEqualTo(id);
        // A name written otherwise than the forwarding policy writes it is not remembered either.
        assertThat(added.field("x-forwarded-proto", "http")).isNotSameAs(added.field("x-forwarded-proto", "http"));
    }
}
