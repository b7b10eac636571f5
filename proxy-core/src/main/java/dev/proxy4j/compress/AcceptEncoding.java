package dev.proxy4j.compress;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Content negotiation on Accept-Encoding (RFC 9110 12.5.3): of the encodings offered, the one the
 * client weighs highest, ties going to the earlier offer (the server's preference). {@code q=0}
 * refuses a coding; {@code *} stands for every coding the field does not name; a missing field
 * means identity only here (RFC 9110 allows any coding then, but clients that say nothing are
 * often tools that cannot decode), and an empty one means identity only. Malformed members are
 * ignored, a malformed weight counts as 0.
 */
public final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /** The encoding to use for a request's Accept-Encoding fields (all of them, joined), or empty for identity. */
    public static Optional<Encoding> negotiate(List<String> acceptEncoding, List<Encoding> offered) {
        if (acceptEncoding.isEmpty() || offered.isEmpty()) {
            return Optional.empty();
        }
        Encoding best = null;
        int bestWeight = 0;
        for (Encoding encoding : offered) {
            int weight = weight(acceptEncoding, encoding.token());
            if (weight > bestWeight) {
                best = encoding;
                bestWeight = weight;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The weight (0..1000) the fields give {@code token}: its own member's, else {@code *}'s, else 0. */
    static int weight(List<String> fields, String token) {
        int own = -1;
        int star = -1;
        for (String field : fields) {
            for (String member : field.split(",")) {
                int semicolon = member.indexOf(';');
                String coding = (semicolon < 0 ? member : member.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
                if (coding.isEmpty()) {
                    continue;
                }
                int q = semicolon < 0 ? 1000 : quality(member.substring(semicolon + 1));
                if (coding.equals(token) || token.equals("gzip") && coding.equals("x-gzip")) {
                    own = Math.max(own, q);
                } else if (coding.equals("*")) {
                    star = Math.max(star, q);
                }
            }
        }
        return own >= 0 ? own : Math.max(star, 0);
    }

    /** {@code q=0.8} as 800; anything else (another parameter, a bad number) as 0. */
    private static int quality(String parameters) {
        @Nullable String q = null;
        for (String parameter : parameters.split(";")) {
            String p = parameter.strip();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                q = p.substring(2).strip();
            }
        }
        if (q == null) {
            return 0;
        }
        // RFC 9110 12.4.2: "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")]
        if (!q.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            return 0;
        }
        if (q.charAt(0) == '1') {
            return 1000;
        }
        String digits = q.length() > 2 ? q.substring(2) : "";
        return digits.isEmpty() ? 0 : Integer.parseInt((digits + "00").substring(0, 3));
    }
}
