package dev.proxy4j.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxy4j.route.Route;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestContextTest {

    private static final AttributeKey<String> TENANT = AttributeKey.of("tenant", String.class);
    private static final AttributeKey<String> OTHER_TENANT = AttributeKey.of("tenant", String.class);

    private final RequestContext ctx = TestContexts.direct();

    @Test
    void attributesAreTypedAndKeyedByIdentityNotByName() {
        ctx.setAttr(TENANT, "acme");

        assertThat(ctx.attr(TENANT)).contains("acme");
        assertThat(ctx.attr(OTHER_TENANT)).isEmpty();
        ctx.removeAttr(TENANT);
        assertThat(ctx.attr(TENANT)).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedEvenThroughARawKey() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        AttributeKey<Object> raw = (AttributeKey) TENANT;

        assertThatThrownBy(() -> ctx.setAttr(raw, 42)).isInstanceOf(ClassCastException.class);
    }

    @Test
    void isRoutedOnceAndThenNamesTheRouteInItsLog() {
        Route route = Route.builder().name("orders").pathTemplate("/orders/{id}").upstream("http://127.0.0.1:9000")
                .build();

        assertThat(ctx.route()).isEmpty();
        ctx.routed(route, Map.of("id", "42"));

        assertThat(ctx.route()).contains(route);
        assertThat(ctx.pathVariables()).containsExactly(Map.entry("id", "42"));
        assertThat(ctx.log().route()).contains("orders");
        assertThatThrownBy(() -> ctx.routed(route, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("route was already set to orders");
    }

    @Test
    void theClientAddressIsThePeersUnlessTold() {
        RequestContext plain = RequestContext.builder().peerAddress("10.0.0.1").eventLoop(TestContexts.DIRECT)
                .blockingExecutor(Runnable::run).build();
        RequestContext forwarded = RequestContext.builder().peerAddress("10.0.0.1").clientAddress("203.0.113.9")
                .eventLoop(TestContexts.DIRECT).blockingExecutor(Runnable::run).build();

        assertThat(plain.clientAddress()).isEqualTo("10.0.0.1");
        assertThat(forwarded.clientAddress()).isEqualTo("203.0.113.9");
        assertThat(forwarded.peerAddress()).isEqualTo("10.0.0.1");
    }

    @Test
    void needsAnEventLoopAndABlockingExecutor() {
        assertThatThrownBy(() -> RequestContext.builder().blockingExecutor(Runnable::run).build())
                .isInstanceOf(NullPointerException.class).hasMessage("eventLoop");
        assertThatThrownBy(() -> RequestContext.builder().eventLoop(TestContexts.DIRECT).build())
                .isInstanceOf(NullPointerException.class).hasMessage("blockingExecutor");
    }

    @Test
    void attributeKeysNeedANonBlankName() {
        assertThatThrownBy(() -> AttributeKey.of(" ", String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name: \" \" (expected: not blank)");
    }

    @Test
    void pendingWorkIsDoneUntilExtendedAndThenUntilEveryPieceIsDoneWellOrNot() {
        RequestContext ctx = TestContexts.direct();
        assertThat(ctx.pendingWork()).isDone();
        java.util.concurrent.CompletableFuture<String> one = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<String> two = new java.util.concurrent.CompletableFuture<>();

        ctx.extendUntil(one);
        ctx.extendUntil(two);
        one.complete("ok");
        assertThat(ctx.pendingWork()).isNotDone();
        two.completeExceptionally(new IllegalStateException("failed work ends the wait too"));

        assertThat(ctx.pendingWork()).isCompleted();
    }
}
