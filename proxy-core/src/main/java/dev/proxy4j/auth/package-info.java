/**
 * Authentication at the edge: {@link dev.proxy4j.auth.ApiKeys} (keys stored hashed, each with an
 * identity later filters and rate limits can use) and {@link dev.proxy4j.auth.Jwt} (bearer tokens
 * checked against static keys or a JWK set URL fetched asynchronously, claims passed on as headers).
 */
@NullMarked
package dev.proxy4j.auth;

import org.jspecify.annotations.NullMarked;
