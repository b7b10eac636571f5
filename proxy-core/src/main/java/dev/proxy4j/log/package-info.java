/**
 * What happened to each request: one {@link dev.proxy4j.log.RequestLog} per exchange, handed to
 * every {@link dev.proxy4j.log.RequestLogListener} when the exchange ends. The access log is one
 * listener; metrics are another.
 */
@NullMarked
package dev.proxy4j.log;

import org.jspecify.annotations.NullMarked;
