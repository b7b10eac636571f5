/**
 * The extension point: a {@link dev.proxy4j.filter.ProxyFilter} sees a request, may call the rest of
 * the chain, and may change what comes back. Built-in features are filters too.
 */
@NullMarked
package dev.proxy4j.filter;

import org.jspecify.annotations.NullMarked;
