package dev.proxy4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The BOM names every library module at the project's version, so that a user's import aligns them all. */
class BomTest {

    @Test
    void theBomManagesEveryLibraryModuleAtTheProjectsVersion() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String parent = Files.readString(root.resolve("pom.xml"));
        String bom = Files.readString(root.resolve("proxy4j-bom/pom.xml"));
        Matcher version = Pattern.compile("<artifactId>proxy4j-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(parent);
        assertThat(version.find()).isTrue();
        List<String> modules = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        while (module.find()) {
            if (module.group(1).startsWith("proxy-") && !module.group(1).equals("proxy-examples")) {
                modules.add(module.group(1));
            }
        }

        assertThat(modules).contains("proxy-core", "proxy-jetty", "proxy-micrometer");
        assertThat(bom).contains("<artifactId>proxy4j-bom</artifactId>\n  <version>" + version.group(1) + "</version>");
        for (String name : modules) {
            assertThat(bom).as(name).contains("<artifactId>" + name + "</artifactId>\n        <version>"
                    + version.group(1) + "</version>");
        }
    }
}
