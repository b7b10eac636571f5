/**
 * A shared HTTP cache (RFC 9111, with RFC 5861's stale-while-revalidate and stale-if-error and
 * RFC 9211's Cache-Status): {@link dev.proxy4j.cache.HttpCache} holds the settings and a
 * {@link dev.proxy4j.cache.CacheStore}; its {@link dev.proxy4j.cache.HttpCache#filter() filter}
 * goes on a route. The policy pieces (directives, freshness, storability) are plain functions of
 * headers and times, so tests drive them with a manual clock.
 */
@NullMarked
package dev.proxy4j.cache;

import org.jspecify.annotations.NullMarked;
