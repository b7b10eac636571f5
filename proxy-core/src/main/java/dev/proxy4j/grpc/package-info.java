/** gRPC as the proxy sees it: which requests are gRPC, their deadlines, and errors as gRPC statuses. */
@NullMarked
package dev.proxy4j.grpc;

import org.jspecify.annotations.NullMarked;
