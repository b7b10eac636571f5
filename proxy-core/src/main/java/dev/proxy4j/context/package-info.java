/**
 * What a filter knows about the request it is handling: {@link dev.proxy4j.context.RequestContext},
 * typed attributes ({@link dev.proxy4j.context.AttributeKey}), the request's
 * {@link dev.proxy4j.context.EventLoop} and TLS facts.
 */
@NullMarked
package dev.proxy4j.context;

import org.jspecify.annotations.NullMarked;
