package dev.proxy4j.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.io.EndPoint;
import org.junit.jupiter.api.Test;

/** The conversation keeps the endpoint attribute in a field and reads like Jetty's everywhere. */
class BackendConversationTest {

    private static final String END_POINT = EndPoint.class.getName();

    @Test
    void endPointAttributeIsSetReadAndRemovedLikeAnyOther() {
        BackendConversation conversation = new BackendConversation();
        Object endPoint = new Object();

        assertThat(conversation.getAttribute(END_POINT)).isNull();
        assertThat(conversation.setAttribute(END_POINT, endPoint)).isNull();
        assertThat(conversation.getAttribute(END_POINT)).isSameAs(endPoint);
        assertThat(conversation.setAttribute("other", "value")).isNull();

        assertThat(conversation.size()).isEqualTo(2);
        assertThat(conversation.getAttributeNameSet()).containsExactlyInAnyOrder(END_POINT, "other");
        assertThat(conversation.asAttributeMap()).containsEntry(END_POINT, endPoint).containsEntry("other", "value");

        assertThat(conversation.removeAttribute(END_POINT)).isSameAs(endPoint);
        assertThat(conversation.getAttribute(END_POINT)).isNull();
        assertThat(conversation.getAttributeNameSet()).containsExactly("other");
        assertThat(conversation.size()).isEqualTo(1);
    }

    @Test
    void clearingRemovesTheEndPointToo() {
        BackendConversation conversation = new BackendConversation();
        conversation.setAttribute(END_POINT, new Object());
        conversation.setAttribute("other", "value");

        conversation.clearAttributes();

        assertThat(conversation.size()).isZero();
        assertThat(conversation.getAttribute(END_POINT)).isNull();
        assertThat(conversation.getAttributeNameSet()).isEmpty();
    }
}
