package dev.proxy4j.micrometer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading a Prometheus scrape in tests. */
final class Scrapes {

    private Scrapes() {
    }

    /** The sum of every sample of {@code name}, whatever its labels. */
    static double total(String text, String name) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(text);
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** The value of the one sample of {@code name} with exactly {@code labels}, or -1 when there is none. */
    static double sample(String text, String name, String labels) {
        String head = labels.isEmpty() ? name + " " : name + "{" + labels + "} ";
        for (String line : text.split("\n")) {
            if (line.startsWith(head)) {
                return Double.parseDouble(line.substring(head.length()).trim());
            }
        }
        return -1;
    }
}
