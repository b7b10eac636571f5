package dev.proxy4j.waf;

import static dev.proxy4j.internal.FormDecoding.hexValue;

import java.io.ByteArrayOutputStream;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * The transformations rules look through, so that an encoding cannot walk around them. Lenient
 * on purpose: a malformed escape is kept as it is rather than ending the inspection, since an
 * attacker chooses the bytes.
 */
final class Decoding {

    /** Enough for double and triple encoding; a fourth layer is not something a backend decodes either. */
    private static final int MAX_PASSES = 3;

    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""), Map.entry("apos", "'"),
            Map.entry("amp", "&"), Map.entry("colon", ":"), Map.entry("tab", "\t"), Map.entry("newline", "\n"),
            Map.entry("lpar", "("), Map.entry("rpar", ")"), Map.entry("sol", "/"), Map.entry("bsol", "\\"),
            Map.entry("grave", "`"), Map.entry("equals", "="), Map.entry("nbsp", " "), Map.entry("semi", ";"),
            Map.entry("lsqb", "["), Map.entry("rsqb", "]"), Map.entry("lcub", "{"), Map.entry("rcub", "}"),
            Map.entry("num", "#"), Map.entry("period", "."), Map.entry("comma", ","), Map.entry("excl", "!"));

    private Decoding() {
    }

    /**
     * Percent-decoded until nothing changes (at most three times: double and triple encoding),
     * IIS's {@code %uXXXX} included, UTF-8 read leniently (overlong forms such as {@code %c0%ae}
     * give the character they spell), compatibility forms folded (NFKC: full-width {@code ＜} is
     * {@code <}), lower case.
     */
    static String decoded(String raw) {
        String s = raw;
        for (int pass = 0; pass < MAX_PASSES && s.indexOf('%') >= 0; pass++) {
            String next = percentDecode(s);
            if (next.equals(s)) {
                break;
            }
            s = next;
        }
        if (!isAscii(s)) {
            s = Normalizer.normalize(s, Normalizer.Form.NFKC);
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** {@link #decoded(String)} with backslashes read as slashes, as Windows servers and many frameworks do. */
    static String path(String decoded) {
        return decoded.replace('\\', '/');
    }

    /**
     * {@link #decoded(String)} with HTML character references resolved ({@code &lt;}, {@code &#x3c;},
     * {@code &#60}) and the tab, newline, carriage return and NUL that browsers skip inside a URL
     * scheme or a tag name removed.
     */
    static String html(String decoded) {
        String s = decoded.indexOf('&') >= 0 ? entities(decoded) : decoded;
        if (s.indexOf('&') >= 0 && !s.equals(decoded)) {
            s = entities(s); // &amp;lt; is one more layer
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean skip = c == '\t' || c == '\n' || c == '\r' || c == 0;
            if (skip && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            } else if (!skip && out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * {@link #decoded(String)} as a SQL parser reads it: comments ({@code /*...*}{@code /}, MySQL's
     * {@code /*!50000 ...}, which runs its content) become a space, and runs of white space one space.
     */
    static String sql(String decoded) {
        String s = decoded;
        if (s.indexOf("/*") >= 0) {
            s = s.replaceAll("/\\*!\\d*", " ").replaceAll("/\\*.*?\\*/", " ").replace("*/", " ");
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == 0x0b || c == 0xa0) {
                if (!space) {
                    out.append(' ');
                }
                space = true;
            } else {
                out.append(c);
                space = false;
            }
        }
        return out.toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** One layer of {@code %XX} and {@code %uXXXX}; anything else, malformed escapes included, as it is. */
    static String percentDecode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 < s.length() && hexValue(s.charAt(i + 1)) >= 0
                        && hexValue(s.charAt(i + 2)) >= 0) {
                    bytes.write(hexValue(s.charAt(i + 1)) << 4 | hexValue(s.charAt(i + 2)));
                    i += 3;
                    continue;
                }
                if (i + 5 < s.length() && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
                        && hexValue(s.charAt(i + 2)) >= 0 && hexValue(s.charAt(i + 3)) >= 0 && hexValue(s.charAt(i + 4)) >= 0
                        && hexValue(s.charAt(i + 5)) >= 0) {
                    int code = hexValue(s.charAt(i + 2)) << 12 | hexValue(s.charAt(i + 3)) << 8 | hexValue(s.charAt(i + 4)) << 4
                            | hexValue(s.charAt(i + 5));
                    writeUtf8(bytes, code);
                    i += 6;
                    continue;
                }
            }
            if (c < 0x80) {
                bytes.write(c);
                i++;
            } else {
                int cp = s.codePointAt(i);
                writeUtf8(bytes, cp);
                i += Character.charCount(cp);
            }
        }
        return lenientUtf8(bytes.toByteArray());
    }

    private static void writeUtf8(ByteArrayOutputStream out, int cp) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xc0 | cp >> 6);
            out.write(0x80 | cp & 0x3f);
        } else if (cp < 0x10000) {
            out.write(0xe0 | cp >> 12);
            out.write(0x80 | cp >> 6 & 0x3f);
            out.write(0x80 | cp & 0x3f);
        } else {
            out.write(0xf0 | cp >> 18);
            out.write(0x80 | cp >> 12 & 0x3f);
            out.write(0x80 | cp >> 6 & 0x3f);
            out.write(0x80 | cp & 0x3f);
        }
    }

    /**
     * UTF-8 as a careless decoder reads it: an overlong form gives the character its bits spell
     * ({@code C0 AE} is {@code .}), and a byte that starts no sequence stands for itself (Latin-1).
     */
    static String lenientUtf8(byte[] b) {
        StringBuilder out = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int lead = b[i] & 0xff;
            int extra;
            int cp;
            if (lead < 0x80) {
                out.append((char) lead);
                i++;
                continue;
            } else if (lead >= 0xc0 && lead < 0xe0) {
                extra = 1;
                cp = lead & 0x1f;
            } else if (lead >= 0xe0 && lead < 0xf0) {
                extra = 2;
                cp = lead & 0x0f;
            } else if (lead >= 0xf0 && lead < 0xf8) {
                extra = 3;
                cp = lead & 0x07;
            } else {
                out.append((char) lead);
                i++;
                continue;
            }
            if (i + extra >= b.length) {
                out.append((char) lead);
                i++;
                continue;
            }
            boolean ok = true;
            for (int k = 1; k <= extra; k++) {
                int next = b[i + k] & 0xff;
                if ((next & 0xc0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = cp << 6 | next & 0x3f;
            }
            if (!ok || cp > Character.MAX_CODE_POINT || (cp >= 0xd800 && cp <= 0xdfff)) {
                out.append((char) lead);
                i++;
                continue;
            }
            out.appendCodePoint(cp);
            i += extra + 1;
        }
        return out.toString();
    }

    private static String entities(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int j = i + 1;
            if (j < s.length() && s.charAt(j) == '#') {
                j++;
                boolean hexForm = j < s.length() && (s.charAt(j) == 'x' || s.charAt(j) == 'X');
                if (hexForm) {
                    j++;
                }
                int start = j;
                long value = 0;
                while (j < s.length() && j - start < 8
                        && (hexForm ? hexValue(s.charAt(j)) >= 0 : Character.isDigit(s.charAt(j)))) {
                    value = value * (hexForm ? 16 : 10) + (hexForm ? hexValue(s.charAt(j)) : s.charAt(j) - '0');
                    j++;
                }
                if (j > start && value > 0 && value <= Character.MAX_CODE_POINT) {
                    out.appendCodePoint((int) value);
                    i = j < s.length() && s.charAt(j) == ';' ? j + 1 : j;
                    continue;
                }
            } else {
                int start = j;
                while (j < s.length() && j - start < 8 && Character.isLetter(s.charAt(j))) {
                    j++;
                }
                String replacement = ENTITIES.get(s.substring(start, j).toLowerCase(Locale.ROOT));
                if (replacement != null) {
                    out.append(replacement);
                    i = j < s.length() && s.charAt(j) == ';' ? j + 1 : j;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
