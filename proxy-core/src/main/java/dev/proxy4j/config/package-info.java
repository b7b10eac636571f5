/**
 * The proxy's configuration: immutable values validated when built. Every default is named and
 * documented where it is declared.
 */
@NullMarked
package dev.proxy4j.config;

import org.jspecify.annotations.NullMarked;
