package dev.proxy4j.jetty.internal;

import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;

/**
 * A connection that closes its endpoint as soon as it opens: a refused PROXY protocol header's
 * client connection, a TCP health check's backend connection (the connect was the check).
 */
final class ClosingConnection extends AbstractConnection {

    ClosingConnection(EndPoint endPoint, Executor executor) {
        super(endPoint, executor);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().close();
    }

    @Override
    public void onFillable() {
        getEndPoint().close();
    }
}
