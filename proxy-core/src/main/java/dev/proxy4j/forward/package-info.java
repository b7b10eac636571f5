/**
 * What a proxy adds to and removes from a request on its way through: hop-by-hop headers,
 * X-Forwarded-*, RFC 7239 Forwarded, Via, request ids, and which peers are trusted to have
 * set them before us.
 */
@NullMarked
package dev.proxy4j.forward;

import org.jspecify.annotations.NullMarked;
