package dev.proxy4j.jetty.internal;

import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.UpgradeProtocolHandler;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Hands a backend's 101 to the upgrader of the attempt that asked for the switch
 * ({@link BackendAttempt}), whatever the protocol; a 101 to a request that asked for none is left
 * to the attempt's listener, as any other response.
 */
final class TunnelUpgrades extends UpgradeProtocolHandler {

    @Override
    public String getName() {
        return "proxy4j-tunnel";
    }

    @Override
    public boolean accept(Request request, Response response) {
        return response.getStatus() == HttpStatus.SWITCHING_PROTOCOLS_101
                && request.getAttributes().get(HttpUpgrader.Factory.class.getName()) != null;
    }
}
