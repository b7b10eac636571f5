/**
 * The admin listener's settings ({@link dev.proxy4j.admin.AdminConfig}) and the live view of a
 * running proxy it answers from ({@link dev.proxy4j.admin.ProxyStatus}): readiness, routes,
 * upstreams and their endpoints. The adapter implements the view; docs/operations.md documents
 * the endpoints.
 */
@NullMarked
package dev.proxy4j.admin;

import org.jspecify.annotations.NullMarked;
