/**
 * Internal helpers of proxy-core shared by its packages: not API, free to change between versions.
 */
@NullMarked
package dev.proxy4j.internal;

import org.jspecify.annotations.NullMarked;
