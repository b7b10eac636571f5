/** TLS as the proxy reads it without terminating it: the server name of a ClientHello. */
@NullMarked
package dev.proxy4j.tls;

import org.jspecify.annotations.NullMarked;
