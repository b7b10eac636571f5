/**
 * Response compression: which encodings ({@link dev.proxy4j.compress.Encoding}), when a response is
 * compressed and what its headers become ({@link dev.proxy4j.compress.Compression}), and
 * Accept-Encoding negotiation ({@link dev.proxy4j.compress.AcceptEncoding}). The bytes are encoded
 * by the adapter, after every filter, on the way to the client.
 */
@NullMarked
package dev.proxy4j.compress;

import org.jspecify.annotations.NullMarked;
