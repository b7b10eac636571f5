/**
 * The proxy's configuration as a YAML file ({@link dev.proxy4j.config.file.ConfigFile}), and a
 * watcher that reloads it when it changes ({@link dev.proxy4j.config.file.ConfigWatcher}). The file's
 * format is documented in docs/config-file.md; each key maps onto a builder method of proxy-core.
 */
@NullMarked
package dev.proxy4j.config.file;

import org.jspecify.annotations.NullMarked;
