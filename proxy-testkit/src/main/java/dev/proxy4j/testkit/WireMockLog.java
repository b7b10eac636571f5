package dev.proxy4j.testkit;

import com.github.tomakehurst.wiremock.common.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends WireMock's notifications to SLF4J (the standalone jar shades its own, unbound, SLF4J).
 * WireMock reports an unmatched request as an error although the 404 body already says it, so
 * plain errors go to INFO; errors with an exception go to WARN.
 */
final class WireMockLog implements Notifier {

    private static final Logger logger = LoggerFactory.getLogger("dev.proxy4j.testkit.WireMock");

    @Override
    public void info(String message) {
        logger.debug("{}", message);
    }

    @Override
    public void error(String message) {
        logger.info("{}", message);
    }

    @Override
    public void error(String message, Throwable t) {
        logger.warn("{}", message, t);
    }
}
