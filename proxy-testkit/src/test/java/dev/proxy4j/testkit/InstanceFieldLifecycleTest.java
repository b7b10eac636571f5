package dev.proxy4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A backend in an instance field: started before and stopped after each test. Tests run in order. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceFieldLifecycleTest {

    private static FakeBackend previous;

    @RegisterExtension
    final FakeBackend backend = FakeBackend.create();

    @Order(1)
    @Test
    void runsDuringTheTest() {
        previous = backend;

        assertThat(backend.isRunning()).isTrue();
    }

    @Order(2)
    @Test
    void wasStoppedAfterThePreviousTest() {
        assertThat(previous).isNotSameAs(backend);
        assertThat(previous.isRunning()).isFalse();
        assertThat(backend.isRunning()).isTrue();
    }
}
