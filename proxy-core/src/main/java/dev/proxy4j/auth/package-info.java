/**
 * Authentication at the edge: {@link dev.proxy4j.auth.ApiKeys} (keys stored hashed, each with an
 * identity later filters and rate limits can use).
 */
@NullMarked
package dev.proxy4j.auth;

import org.jspecify.annotations.NullMarked;
