/**
 * Test fixtures for code that talks HTTP to backends: {@link dev.proxy4j.testkit.FakeBackend} (a
 * WireMock server that records what it receives and misbehaves on demand),
 * {@link dev.proxy4j.testkit.FakeBackendGroup}, and AssertJ assertions on
 * {@link dev.proxy4j.testkit.RecordedRequest}.
 */
@NullMarked
package dev.proxy4j.testkit;

import org.jspecify.annotations.NullMarked;
