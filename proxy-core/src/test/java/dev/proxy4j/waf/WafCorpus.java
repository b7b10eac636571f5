package dev.proxy4j.waf;

import dev.proxy4j.config.EscapedSlashes;
import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import dev.proxy4j.internal.PathNormalizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The requests of {@code waf/benign.tsv} and {@code waf/attacks.tsv} (written by {@code waf/generate_corpus.py}). */
final class WafCorpus {

    /** One request: its label ({@code benign} or the attack's family), the request as the WAF sees it, its body. */
    record Entry(String label, String target, ProxyRequest request, String body, boolean refusedAtTheDoor) {
    }

    private WafCorpus() {
    }

    static List<Entry> load(String resource) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(WafCorpus.class.getResourceAsStream("/waf/" + resource), resource);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String label = unescape(f[0]);
                String method = unescape(f[1]);
                String target = unescape(f[2]);
                Headers.Builder headers = Headers.builder();
                for (String header : unescape(f[3]).split("\n")) {
                    int colon = header.indexOf(':');
                    if (colon > 0) {
                        headers.add(header.substring(0, colon), header.substring(colon + 1).strip());
                    }
                }
                String body = unescape(f[4]);
                int q = target.indexOf('?');
                String rawPath = q < 0 ? target : target.substring(0, q);
                String path;
                boolean refused = false;
                try {
                    // what the proxy's filters see: the path normalised with the default hygiene
                    path = PathNormalizer.normalize(rawPath, true, EscapedSlashes.REJECT);
                } catch (PathNormalizer.Rejected rejected) {
                    path = "/";
                    refused = true;
                }
                ProxyRequest request = ProxyRequest.builder().method(method).authority("shop.example.com").path(path)
                        .query(q < 0 ? null : target.substring(q + 1)).headers(headers.build()).build();
                entries.add(new Entry(label, target, request, body, refused));
            }
        }
        return entries;
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char e = field.charAt(++i);
                out.append(switch (e) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
