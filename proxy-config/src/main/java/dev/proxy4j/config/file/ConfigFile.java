package dev.proxy4j.config.file;

import dev.proxy4j.config.ProxyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The proxy's configuration as a YAML file (format: docs/config-file.md).
 *
 * <pre>{@code
 * ProxyServer proxy = ProxyServer.of(ConfigFile.load(Path.of("proxy4j.yaml"))).start();
 * }</pre>
 *
 * <p>The file is YAML 1.2 (core schema), parsed by SnakeYAML Engine into mappings, lists and scalars
 * only: tags never construct Java objects. Duplicate keys, unknown keys and values of the wrong kind
 * are errors that name the field's path, such as {@code routes[1].upstream.endpoints[0]}.
 */
public final class ConfigFile {

    /** Files larger than this are refused; a proxy's config is a few kilobytes. */
    static final int MAX_FILE_CHARS = 4 * 1024 * 1024;

    private ConfigFile() {
    }

    /** Reads and validates {@code file}; relative certificate paths are resolved against its directory. */
    public static ProxyConfig load(Path file) {
        return read(file).proxyConfig();
    }

    /** Parses and validates YAML text; relative certificate paths are resolved against the working directory. */
    public static ProxyConfig parse(String yaml) {
        return parse(yaml, Path.of("")).proxyConfig();
    }

    /** Reads {@code file} into a validated document. */
    public static ConfigDocument read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read (" + e + ") (expected: a readable UTF-8 file)", e);
        }
        Path directory = file.toAbsolutePath().getParent();
        return parse(text, directory == null ? Path.of("") : directory);
    }

    /** Parses YAML text into a validated document. */
    public static ConfigDocument parse(String yaml, Path baseDirectory) {
        Object tree = load(yaml);
        if (!(tree instanceof Map<?, ?> map)) {
            throw new ConfigException("", "the file is " + Value.show(tree)
                    + " (expected: a mapping with listeners and routes, see docs/config-file.md)");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> root = (Map<String, ?>) map;
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new ConfigException("", "key " + Value.show(key) + " (expected: a name)");
            }
        }
        return ConfigDocument.of(root, baseDirectory);
    }

    /** The document as YAML, in block style, keys in the order of its tree. Parsing the result gives an equal document. */
    public static String toYaml(ConfigDocument document) {
        DumpSettings settings = DumpSettings.builder()
                .setDefaultFlowStyle(FlowStyle.BLOCK)
                .setIndent(2)
                .setIndicatorIndent(2)
                .setIndentWithIndicator(true)
                .setSchema(new CoreSchema())
                .build();
        return new Dump(settings).dumpToString(document.tree());
    }

    private static Object load(String yaml) {
        if (yaml.length() > MAX_FILE_CHARS) {
            throw new ConfigException("", "file of " + yaml.length() + " characters (expected: at most " + MAX_FILE_CHARS + ")");
        }
        LoadSettings settings = LoadSettings.builder()
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(50)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(MAX_FILE_CHARS)
                .build();
        try {
            Object tree = new Load(settings).loadFromString(yaml);
            return tree == null ? Map.of() : tree;
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().orElse(null);
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            throw new ConfigException("", "not valid YAML: " + oneLine(e.getProblem()) + where, e);
        } catch (YamlEngineException e) {
            throw new ConfigException("", "not valid YAML: " + oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
