package dev.proxy4j.waf;

import dev.proxy4j.waf.WafRule.Form;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The built-in rules, our own, written for this proxy in the manner of the OWASP Core Rule Set's
 * families (none of its rule text is used). Paranoia 1 is meant to block real attacks with almost
 * no false positives on ordinary API and browser traffic; paranoia 2 adds broader patterns that
 * catch more and do trip on some benign text. docs/security.md has the measured rates.
 *
 * <p>Families: {@code protocol} (methods, NUL and control bytes, CR LF header injection),
 * {@code traversal} (dot-dot segments in every encoding, OS and restricted files), {@code lookup}
 * (Log4Shell-style {@code ${jndi:...}} lookups, nested and obfuscated; Spring and OGNL expression
 * injection), {@code sqli}, {@code xss}, {@code scanner} (scanner user agents, paranoia 2).
 */
public final class WafRules {

    private static final Set<Target> ARGS = EnumSet.of(Target.ARG_NAME, Target.ARG);
    private static final Set<Target> PATH_AND_ARGS = EnumSet.of(Target.PATH, Target.ARG_NAME, Target.ARG);
    private static final Set<Target> ALL = EnumSet.of(Target.PATH, Target.ARG_NAME, Target.ARG, Target.HEADER);

    private static final Set<String> COMMON_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE");

    private static final List<WafRule> DEFAULTS = List.copyOf(build());

    private WafRules() {
    }

    /** Every built-in rule, all paranoia levels, in the order they run. */
    public static List<WafRule> defaults() {
        return DEFAULTS;
    }

    private static List<WafRule> build() {
        List<WafRule> rules = new ArrayList<>();

        // protocol: what no ordinary client sends
        rules.add(rule("protocol-100", Severity.CRITICAL, 1, "method used for cross-site tracing or debugging",
                EnumSet.of(Target.METHOD), Form.RAW, text -> text.equals("TRACK") || text.equals("DEBUG") ? text : null));
        rules.add(rule("protocol-110", Severity.CRITICAL, 2, "method outside RFC 9110 and PATCH",
                EnumSet.of(Target.METHOD), Form.RAW, text -> COMMON_METHODS.contains(text) ? null : text));
        rules.add(rule("protocol-120", Severity.CRITICAL, 1, "NUL byte", ALL, Form.DECODED,
                text -> text.indexOf('\0') >= 0 ? "\0" : null));
        rules.add(rule("protocol-130", Severity.CRITICAL, 1, "control character in the decoded path",
                EnumSet.of(Target.PATH), Form.DECODED, WafRules::anyControl));
        rules.add(rule("protocol-140", Severity.CRITICAL, 1, "control character other than tab, CR or LF",
                EnumSet.of(Target.ARG_NAME, Target.ARG, Target.HEADER), Form.DECODED, WafRules::rareControl));
        rules.add(rule("protocol-150", Severity.CRITICAL, 1, "CR or LF followed by a header field (header injection)",
                ARGS, Form.DECODED, List.of("\n", "\r"),
                "[\\r\\n]\\s*(?:set-cookie|content-length|transfer-encoding|content-type|location)\\s*:"));

        // traversal: the path and arguments after every decoding
        rules.add(rule("traversal-100", Severity.CRITICAL, 1, "dot-dot segment in the decoded path",
                EnumSet.of(Target.PATH), Form.PATH, List.of(".."), "(?:^|/)\\.\\.(?:/|;|$)"));
        rules.add(rule("traversal-110", Severity.CRITICAL, 1, "three dot-dot segments in a row, or one towards a system directory, in an argument",
                ARGS, Form.PATH, List.of(".."),
                "(?:^|[/=:;])(?:\\.\\.;?/){3}|(?:^|[/=:;])\\.\\.;?/\\S*?(?:\\b(?:etc|proc|windows|winnt|system32|web-inf)/|\\b(?:boot|win)\\.ini\\b)"));
        rules.add(rule("traversal-120", Severity.CRITICAL, 2, "dot-dot segment in an argument or header",
                EnumSet.of(Target.ARG_NAME, Target.ARG, Target.HEADER), Form.PATH, List.of(".."),
                "(?:^|[/=:;])\\.\\.(?:/|;|$)"));
        rules.add(rule("traversal-130", Severity.CRITICAL, 1, "encoded dot or slash left after decoding once (double, overlong or %u encoding)",
                PATH_AND_ARGS, Form.RAW, List.of("%"),
                "(?i)(?:%(?:25)*2e|%c0%ae|%e0%80%ae|%c0%2e|%u002e|%uff0e){2}"
                        + "|(?:\\.|%(?:25)*2e|%c0%ae|%u002e){2}(?:%(?:25)*(?:2f|5c)|%c0%af|%c1%9c|%c0%5c|%u2215|%u2216|%u002f|%u005c|%e0%80%af)"
                        + "|%25(?:25)*(?:2f|5c)"));
        rules.add(rule("traversal-140", Severity.CRITICAL, 1, "operating-system file",
                PATH_AND_ARGS, Form.PATH, List.of("etc/", "proc/", ".ini", "system32", "id_rsa", "id_dsa", ".htpasswd", "history"),
                "etc/(?:passwd|shadow|group|sudoers|master\\.passwd|security/)|/?proc/(?:self|\\d+)/(?:environ|cmdline|maps|fd|cwd|root|mem)"
                        + "|\\b(?:boot|win|system)\\.ini\\b|windows/system32|\\bid_[rd]sa\\b|\\.htpasswd\\b|\\.(?:bash|zsh|mysql)_history\\b"));
        rules.add(rule("traversal-150", Severity.CRITICAL, 1, "restricted file or directory in the path (.git, .env, ...)",
                EnumSet.of(Target.PATH), Form.PATH, List.of("/."),
                "/\\.(?:git|svn|hg|bzr|env|htaccess|htpasswd|aws|ssh|ds_store|npmrc|pypirc|docker|kube|idea|vscode)(?:/|\\.|$)"));
        rules.add(rule("traversal-160", Severity.CRITICAL, 2, "configuration or backup file in the path",
                EnumSet.of(Target.PATH), Form.PATH, List.of("."),
                "(?:/web\\.config|/wp-config\\.php|\\.(?:bak|old|orig|swp|sql|sqlite|db|key|pem|log)|~)$"));

        // lookup: Log4Shell and other expression injection
        rules.add(rule("lookup-100", Severity.CRITICAL, 1, "JNDI lookup, nested and obfuscated forms included",
                ALL, Form.DECODED, List.of("${"), WafRules::jndi));
        rules.add(rule("lookup-110", Severity.CRITICAL, 1, "nested ${ lookup", ALL, Form.DECODED, List.of("${"),
                "\\$\\{[^}]{0,80}\\$\\{"));
        rules.add(rule("lookup-120", Severity.CRITICAL, 1, "Log4j, Commons Text or Spring lookup",
                ALL, Form.DECODED, List.of("${"),
                "\\$\\{\\s*(?:jndi|env|sys|java|base64|main|ctx|docker|k8s|log4j|marker|bundle|spring|web|event|map|sd"
                        + "|script|dns|url|file|jvmrunargs|lower|upper|date|const|xml|properties|resourcebundle)\\s*:"));
        rules.add(rule("lookup-130", Severity.CRITICAL, 1, "class loader in a parameter name (Spring4Shell)",
                EnumSet.of(Target.ARG_NAME), Form.DECODED, List.of("class"),
                "(?:^|[.\\[])class\\s*[.\\[]\\s*(?:module\\s*\\.\\s*)?classloader"));
        rules.add(rule("lookup-140", Severity.CRITICAL, 1, "OGNL or Java expression injection",
                ALL, Form.DECODED, List.of("#", "java.lang", "getruntime"),
                "%\\{\\s*[(#'\"]|\\$\\{\\s*#|\\(#[a-z_.]+\\s*=|#_memberaccess|#context\\[|@java\\.lang\\.(?:runtime|processbuilder|system)@"
                        + "|new\\s+java\\.lang\\.processbuilder|getruntime\\(\\)\\s*\\.\\s*exec"));

        // sqli: arguments and cookies, read as SQL
        rules.add(rule("sqli-100", Severity.CRITICAL, 1, "UNION SELECT", PATH_AND_ARGS, Form.SQL, List.of("union"),
                "\\bunion\\b\\s*(?:all\\s*|distinct\\s*)?\\(*\\s*select\\b"));
        rules.add(rule("sqli-110", Severity.CRITICAL, 1, "quote, then a boolean operator and a comparison",
                PATH_AND_ARGS, Form.SQL, List.of("'", "\"", "`"),
                "['\"`]\\s*\\)*\\s*(?:\\bor\\b|\\band\\b|\\bxor\\b|\\|\\||&&)\\s*(?:\\bnot\\b\\s*)?\\(*\\s*['\"`]?[\\w.@$]*['\"`]?\\s*"
                        + "(?:=|<=>|<|>|!=|\\blike\\b|\\brlike\\b|\\bregexp\\b|\\bis\\b|\\bin\\s*\\(|\\bbetween\\b)"));
        rules.add(rule("sqli-112", Severity.CRITICAL, 1, "quote, then an operator and an SQL function, subquery or comment",
                PATH_AND_ARGS, Form.SQL, List.of("'", "\"", "`"),
                "['\"`]\\s*\\)*\\s*(?:\\bor\\b|\\band\\b|\\bxor\\b|\\|\\||&&|\\+)\\s*\\(*\\s*(?:(?:ascii|substring|substr|mid|length"
                        + "|char|ord|if|case|exists|sleep|benchmark|version|user|database|count|hex|unhex|cast|convert)\\s*\\(|select\\b)"
                        + "|['\"`]\\s*\\)*\\s*(?:\\bor\\b|\\band\\b)\\s+['\"`]?\\w+['\"`]?\\s*(?:--|#|/\\*|;)"));
        rules.add(rule("sqli-115", Severity.CRITICAL, 1, "always-true comparison after OR or AND (1=1, 'a'='a')",
                PATH_AND_ARGS, Form.SQL, List.of("="),
                "\\b(?:or|and|having|where)\\b\\s*\\(*\\s*(['\"`]?)(\\w+)\\1\\s*=\\s*\\1\\2\\1(?!\\w)"));
        rules.add(rule("sqli-120", Severity.CRITICAL, 1, "quote or parenthesis closed, then an SQL comment",
                PATH_AND_ARGS, Form.SQL, List.of("--", "#", "/*"),
                "['\"`]\\s*\\)*\\s*;?\\s*(?:--(?:\\s|$)|--[-+]|#\\s*$|/\\*)"));
        rules.add(rule("sqli-130", Severity.CRITICAL, 1, "stacked statement after a semicolon",
                PATH_AND_ARGS, Form.SQL, List.of(";"),
                ";\\s*(?:(?:drop|truncate|alter|create|rename)\\s+(?:table|database|schema|user|view|index|procedure)\\b"
                        + "|delete\\s+from\\b|insert\\s+into\\b|update\\s+[\\w.`\"\\[\\]]+\\s+set\\b|exec(?:ute)?\\s+(?:xp_|sp_|master\\.|@)"
                        + "|declare\\s+@|shutdown\\b|select\\s+.{1,100}?\\bfrom\\b|select\\s+(?:pg_sleep|sleep|@@|version|user|current_user)\\b)"));
        rules.add(rule("sqli-140", Severity.CRITICAL, 1, "SQL function or catalog attackers probe with",
                PATH_AND_ARGS, Form.SQL, List.of("(", "delay", "information_schema", "outfile", "dumpfile", "@@", "sys",
                        "sqlite_master", "pg_shadow", "mysql.user", "xp_", "sp_"),
                "\\b(?:sleep|pg_sleep|benchmark)\\s*\\(\\s*\\d|\\bwaitfor\\s+delay\\s*['\"]|\\b(?:load_file|extractvalue|updatexml"
                        + "|dbms_pipe\\.receive_message|utl_inaddr\\.get_host_address|xp_cmdshell|sp_executesql|sys_eval|sys_exec)\\b"
                        + "|\\binformation_schema\\b|\\binto\\s+(?:out|dump)file\\b|@@(?:version|datadir|hostname|basedir)\\b"
                        + "|\\b(?:sysobjects|syscolumns|sqlite_master|pg_shadow|mysql\\.user)\\b"));
        rules.add(rule("sqli-150", Severity.CRITICAL, 1, "ORDER BY or GROUP BY a column number after a quote or number",
                PATH_AND_ARGS, Form.SQL, List.of("by"),
                "(?:['\"`)]|\\d)\\s*(?:order|group)\\s+by\\s+\\d+\\s*(?:--|#|;|$|,)"));
        rules.add(rule("sqli-160", Severity.CRITICAL, 1, "character codes or concatenation built for SQL",
                PATH_AND_ARGS, Form.DECODED, List.of("("),
                "\\b(?:char|chr|nchar)\\s*\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*){2,}\\)|\\bconcat(?:_ws)?\\s*\\([^)]*(?:0x[0-9a-f]+|@@|select\\b)"
                        + "|/\\*!\\d*\\s*(?:union|select|and|or)\\b"));
        rules.add(rule("sqli-200", Severity.CRITICAL, 2, "SQL statement keywords",
                PATH_AND_ARGS, Form.SQL, List.of("select", "insert", "delete", "update", "drop", "union"),
                "\\bselect\\b.{1,100}?\\bfrom\\b|\\binsert\\s+into\\b|\\bdelete\\s+from\\b|\\bupdate\\b.{1,60}?\\bset\\b.{0,60}?="
                        + "|\\bdrop\\s+(?:table|database)\\b|\\bunion\\b.{1,40}?\\bselect\\b"));
        rules.add(rule("sqli-210", Severity.CRITICAL, 2, "quote followed by an SQL operator or keyword",
                PATH_AND_ARGS, Form.SQL, List.of("'", "\"", "`"),
                "['\"`]\\s*\\)*\\s*(?:\\bor\\b|\\band\\b|\\bunion\\b|\\bselect\\b|\\border\\s+by\\b|\\bgroup\\s+by\\b|\\bhaving\\b|\\|\\||&&|;)"));
        rules.add(rule("sqli-220", Severity.CRITICAL, 2, "SQL comment in an argument",
                ARGS, Form.DECODED, List.of("/*", "--"), "/\\*.*?\\*/|(?:^|\\s)--\\s*$|\\w--\\s*$"));

        // xss: arguments, cookies and the path, read as HTML
        rules.add(rule("xss-100", Severity.CRITICAL, 1, "script tag", PATH_AND_ARGS, Form.HTML, List.of("<"),
                "<\\s*/?\\s*script(?:[\\s/>]|$)"));
        rules.add(rule("xss-110", Severity.CRITICAL, 1, "event handler attribute", PATH_AND_ARGS, Form.HTML,
                List.of("on"),
                "<[a-z!/?][^>]*?[\\s/\"'`]on[a-z]{3,}\\s*="
                        + "|['\"`][^'\"`<>]{0,60}?[\\s/]on(?:error|load|unload|mouse[a-z]+|focus[a-z]*|blur|click|dblclick|key[a-z]+|submit"
                        + "|change|input|toggle|begin|end|animation[a-z]+|transition[a-z]+|pointer[a-z]+|wheel|scroll"
                        + "|resize|drag[a-z]*|drop|paste|copy|cut|show|hashchange|message|pageshow|popstate)\\s*="));
        rules.add(rule("xss-120", Severity.CRITICAL, 1, "javascript: or vbscript: URL running code",
                PATH_AND_ARGS, Form.HTML, List.of("script"),
                "(?:java|vb|live)script\\s*:\\s*(?:[\\w$.]+\\s*[(`=]|[\\[('\"`/%&\\\\{!+-]|void\\b)"));
        rules.add(rule("xss-130", Severity.CRITICAL, 1, "tag that embeds or runs content (iframe, object, svg, ...)",
                PATH_AND_ARGS, Form.HTML, List.of("<"),
                "<\\s*(?:iframe|frame|frameset|object|embed|applet|base|svg|math|isindex|xss|marquee|meta\\b[^>]*http-equiv)\\b"));
        rules.add(rule("xss-140", Severity.CRITICAL, 1, "script sink or breaking out of a script string",
                PATH_AND_ARGS, Form.HTML, List.of("document", "fromcharcode", "alert", "prompt", "confirm", "eval"),
                "\\bdocument\\s*\\.\\s*(?:cookie|domain|write(?:ln)?)\\b|\\bstring\\s*\\.\\s*fromcharcode\\s*\\("
                        + "|['\"`]\\s*[-+;,)|&*]+\\s*(?:alert|prompt|confirm|eval)\\s*[(`]|^(?:alert|prompt|confirm)\\s*[(`]"));
        rules.add(rule("xss-150", Severity.CRITICAL, 1, "data: URL carrying HTML or script", PATH_AND_ARGS, Form.HTML,
                List.of("data:"), "data:\\s*(?:text/html|image/svg\\+xml|application/(?:x-)?(?:javascript|ecmascript)|text/javascript)"));
        rules.add(rule("xss-160", Severity.CRITICAL, 1, "attribute that runs or loads code (srcdoc, formaction, expression())",
                PATH_AND_ARGS, Form.HTML, List.of("=", "binding", "expression"),
                "\\b(?:srcdoc|formaction)\\s*=|-moz-binding\\b|\\bstyle\\s*=[^>]*expression\\s*\\(|\\bxlink:href\\s*=\\s*['\"]?\\s*javascript"));
        rules.add(rule("xss-170", Severity.CRITICAL, 1, "template injection ({{constructor.constructor(...)}})",
                PATH_AND_ARGS, Form.HTML, List.of("{{"), "\\{\\{.*?(?:constructor|\\$eval|\\$on|\\bcall\\s*\\(|alert\\s*\\()"));
        rules.add(rule("xss-200", Severity.CRITICAL, 2, "HTML tag that can carry script (img, form, style, ...)",
                PATH_AND_ARGS, Form.HTML, List.of("<"),
                "<\\s*(?:img|image|video|audio|body|form|input|button|textarea|select|details|style|link|template|keygen|source|track)\\b[^>]*>?"));
        rules.add(rule("xss-210", Severity.CRITICAL, 2, "script function call", PATH_AND_ARGS, Form.HTML,
                List.of("alert", "prompt", "confirm", "eval", "settimeout", "setinterval"),
                "\\b(?:alert|prompt|confirm|eval|settimeout|setinterval)\\s*[(`]"));
        rules.add(rule("xss-220", Severity.CRITICAL, 2, "javascript: or vbscript: URL", PATH_AND_ARGS, Form.HTML,
                List.of("script"), "(?:java|vb|live)script\\s*:"));

        // scanners: their own user agents
        rules.add(rule("scanner-100", Severity.CRITICAL, 2, "security scanner's user agent",
                EnumSet.of(Target.USER_AGENT), Form.DECODED, List.of(),
                "\\b(?:sqlmap|nikto|nmap|masscan|zgrab|nuclei|acunetix|netsparker|w3af|dirbuster|gobuster|ffuf|wpscan|havij"
                        + "|openvas|nessus|arachni|whatweb|jaeles|commix|xsstrike|wfuzz|zmeu|morfeus|paros|skipfish|joomscan"
                        + "|fimap|grabber|bsqlbf|brutus|hydra|metasploit|burpcollaborator|interactsh|fuzz faster u fool)\\b"));
        return rules;
    }

    private static WafRule rule(String id, Severity severity, int paranoia, String description, Set<Target> targets,
            Form form, WafRule.Finder finder) {
        return new WafRule(id, severity, paranoia, description, targets, form, List.of(), finder);
    }

    private static WafRule rule(String id, Severity severity, int paranoia, String description, Set<Target> targets,
            Form form, List<String> hints, String pattern) {
        return new WafRule(id, severity, paranoia, description, targets, form, hints, WafRule.regex(pattern));
    }

    private static WafRule rule(String id, Severity severity, int paranoia, String description, Set<Target> targets,
            Form form, List<String> hints, WafRule.Finder finder) {
        return new WafRule(id, severity, paranoia, description, targets, form, hints, finder);
    }

    private static @Nullable String anyControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return String.valueOf(c);
            }
        }
        return null;
    }

    private static @Nullable String rareControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0) || c == 0x7f) {
                return String.valueOf(c);
            }
        }
        return null;
    }

    private static final Pattern INNERMOST_LOOKUP = Pattern.compile("\\$\\{([^${}]*)\\}");
    private static final Pattern JNDI = Pattern.compile("\\$\\{\\s*jndi\\s*:");

    /**
     * {@code ${jndi:} after the lookups that only spell letters are resolved, innermost first:
     * {@code ${lower:j}}, {@code ${upper:J}}, a default ({@code ${::-j}}, {@code ${env:X:-j}}),
     * {@code ${date:'j'}}; so {@code ${${lower:j}ndi:} and {@code ${j${::-n}di:} are found.
     */
    static @Nullable String jndi(String text) {
        int start = text.indexOf("${");
        String s = text;
        for (int round = 0; round < 16; round++) {
            if (JNDI.matcher(s).find()) {
                return excerpt(text, start);
            }
            Matcher m = INNERMOST_LOOKUP.matcher(s);
            StringBuilder out = new StringBuilder(s.length());
            boolean changed = false;
            while (m.find()) {
                String inner = m.group(1);
                String spelled = spelled(inner);
                if (spelled == null) {
                    // kept, but no longer a lookup: a later round must not take it again
                    m.appendReplacement(out, Matcher.quoteReplacement("\u0001" + inner + "\u0002"));
                } else {
                    m.appendReplacement(out, Matcher.quoteReplacement(spelled));
                }
                changed = true;
            }
            if (!changed) {
                return null;
            }
            m.appendTail(out);
            s = out.toString();
        }
        return null;
    }

    private static @Nullable String spelled(String inner) {
        int dflt = inner.indexOf(":-");
        if (dflt >= 0) {
            return inner.substring(dflt + 2);
        }
        for (String prefix : new String[] {"lower:", "upper:"}) {
            if (inner.startsWith(prefix)) {
                return inner.substring(prefix.length());
            }
        }
        if (inner.startsWith("date:")) {
            return inner.substring(5).replace("'", "");
        }
        return null;
    }

    private static String excerpt(String text, int start) {
        int from = Math.max(0, start);
        return text.substring(from, Math.min(text.length(), from + 64));
    }
}
