/**
 * The proxy's view of HTTP: immutable request and response heads, headers and bodies.
 * No I/O type appears here; the adapter builds these values from the wire and writes them back.
 */
@NullMarked
package dev.proxy4j.http;

import org.jspecify.annotations.NullMarked;
