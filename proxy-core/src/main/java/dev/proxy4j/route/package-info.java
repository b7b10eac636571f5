/**
 * Routes: which requests a route takes (host, path, method, header and query predicates), how it
 * rewrites the path, and the table that picks the route for a request.
 */
@NullMarked
package dev.proxy4j.route;

import org.jspecify.annotations.NullMarked;
