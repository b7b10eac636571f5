package dev.proxy4j.admin;

import dev.proxy4j.config.ProxyConfig;

/**
 * Where a running proxy's configuration comes from when it is reloaded (the admin endpoint's
 * {@code POST /reload}, {@code ProxyServer.reload()}): typically a config file read again.
 */
@FunctionalInterface
public interface ConfigSource {

    /**
     * The configuration as it is now; throws, with a message naming what is wrong, when it
     * cannot be read or is invalid.
     */
    ProxyConfig load() throws Exception;
}
