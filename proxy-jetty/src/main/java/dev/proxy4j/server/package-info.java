/** The entry point: {@link dev.proxy4j.server.ProxyServer#builder()}. */
@NullMarked
package dev.proxy4j.server;

import org.jspecify.annotations.NullMarked;
