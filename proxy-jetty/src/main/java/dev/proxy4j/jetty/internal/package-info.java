/**
 * The Jetty 12 adapter's internals: free to change between releases, not an API. Jetty types stay in
 * this package; {@link dev.proxy4j.server.ProxyServer} is the public face.
 */
@NullMarked
package dev.proxy4j.jetty.internal;

import org.jspecify.annotations.NullMarked;
