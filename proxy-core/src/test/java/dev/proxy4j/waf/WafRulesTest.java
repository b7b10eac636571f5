package dev.proxy4j.waf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxy4j.http.Headers;
import dev.proxy4j.http.ProxyRequest;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each family of built-in rules: what it finds, in which encodings, and what it leaves alone. */
class WafRulesTest {

    private static final Waf ONE = Waf.builder().mode(WafMode.BLOCK).build();
    private static final Waf TWO = Waf.builder().mode(WafMode.BLOCK).paranoia(2).build();

    private static List<String> rules(Waf waf, ProxyRequest request) {
        return waf.inspect(request).matches().stream().map(WafMatch::ruleId).toList();
    }

    private static List<String> query(String query) {
        return rules(ONE, ProxyRequest.builder().path("/search").query(query).build());
    }

    private static List<String> path(String path) {
        return rules(ONE, ProxyRequest.builder().path(path).build());
    }

    private static List<String> header(String name, String value) {
        return rules(ONE, ProxyRequest.builder().path("/").headers(Headers.of(name, value)).build());
    }

    private static List<String> json(Waf waf, String body) {
        ProxyRequest request = ProxyRequest.builder().method("POST").path("/api")
                .headers(Headers.of("Content-Type", "application/json; charset=utf-8")).build();
        return waf.inspect(request, body).matches().stream().map(WafMatch::ruleId).toList();
    }

    @Nested
    class Protocol {
        @Test
        void trackAndDebugAreRefusedAtParanoiaOneAndUnknownMethodsAtTwo() {
            assertThat(rules(ONE, ProxyRequest.builder().method("TRACK").build())).containsExactly("protocol-100");
            assertThat(rules(ONE, ProxyRequest.builder().method("PROPFIND").build())).isEmpty();
            assertThat(rules(TWO, ProxyRequest.builder().method("PROPFIND").build())).containsExactly("protocol-110");
            assertThat(rules(TWO, ProxyRequest.builder().method("PATCH").build())).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"f=passwd%00.jpg", "f=passwd%2500.jpg", "f=a%c0%80b", "f%00=1"})
        void nulInAnyEncodingIsCritical(String q) {
            assertThat(query(q)).contains("protocol-120");
        }

        @Test
        void controlBytesInThePathAndRareOnesInArgumentsAndHeaders() {
            assertThat(path("/a%250d%250aSet-Cookie:x")).contains("protocol-130");
            assertThat(query("a=%01")).contains("protocol-140");
            assertThat(header("X-Note", "a\u0001b")).contains("protocol-140");
            // a textarea's line breaks and tabs are ordinary
            assertThat(query("message=line+one%0D%0Aline+two%09tabbed")).isEmpty();
        }

        @Test
        void headerInjectionThroughCrLf() {
            assertThat(query("next=%0d%0aSet-Cookie:%20admin=1")).contains("protocol-150");
            assertThat(query("next=%0aLocation:%20https://evil.example")).contains("protocol-150");
            assertThat(query("note=Meeting%0D%0AAttendees:%20Ana")).isEmpty();
        }
    }

    @Nested
    class Traversal {
        @ParameterizedTest
        @ValueSource(strings = {"/static/%252e%252e/%252e%252e/etc/x", "/files/%c0%ae%c0%ae/%c0%ae%c0%ae/x",
                "/a/%25c0%25ae%25c0%25ae/x", "/api/..;/admin", "/s/%uff0e%uff0e/x"})
        void dotDotSegmentsInThePathInEveryEncoding(String p) {
            assertThat(path(p)).contains("traversal-100");
        }

        @ParameterizedTest
        @ValueSource(strings = {"f=../../../x", "f=..%2f..%2f..%2fx", "f=..%5c..%5c..%5cx", "f=..\\..\\..\\x",
                "f=%252e%252e%252f%252e%252e%252f%252e%252e%252fx", "f=%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/x",
                "f=../etc/x", "f=..\\windows\\x", "f=..;/..;/..;/x"})
        void climbingArgumentsInEveryEncoding(String q) {
            assertThat(query(q)).contains("traversal-110");
        }

        @Test
        void oneDotDotInAnArgumentOnlyAtParanoiaTwo() {
            ProxyRequest request = ProxyRequest.builder().path("/docs").query("link=../guide/intro.md").build();
            assertThat(rules(ONE, request)).isEmpty();
            assertThat(rules(TWO, request)).contains("traversal-120");
        }

        @Test
        void encodingLeftAfterOneDecodeIsEvidenceOfEvasion() {
            assertThat(query("f=%252e%252e%252fx")).contains("traversal-130");
            assertThat(query("f=..%25c0%25afx")).contains("traversal-130");
            assertThat(query("next=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc")).isEmpty();
        }

        @Test
        void systemFilesAndRestrictedDirectories() {
            assertThat(query("file=/etc/passwd")).contains("traversal-140");
            assertThat(query("file=C:\\windows\\system32\\config")).contains("traversal-140");
            assertThat(query("file=/proc/self/environ")).contains("traversal-140");
            assertThat(path("/.git/config")).contains("traversal-150");
            assertThat(path("/app/.env")).contains("traversal-150");
            assertThat(path("/app/.env.local")).contains("traversal-150");
            assertThat(path("/.well-known/security.txt")).isEmpty();
            assertThat(path("/environment")).isEmpty();
            assertThat(rules(TWO, ProxyRequest.builder().path("/backup/db.sql").build())).contains("traversal-160");
        }
    }

    @Nested
    class Lookup {
        @ParameterizedTest
        @ValueSource(strings = {"${jndi:ldap://x/a}", "${${lower:j}ndi:ldap://x/a}", "${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}",
                "${j${env:NOPE:-n}di:ldap://x}", "${${upper:j}${upper:n}${lower:d}i:dns://x}", "$%7Bjndi:ldap://x%7D",
                "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "${jNdI:LdAp://x}", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:x}",
                "${${k8s:k5:-J}${k8s:k5:-ND}i${sd:k5:-:}ldap://x/a}"})
        void jndiInEveryObfuscationAndInAnyHeader(String payload) {
            assertThat(header("X-Api-Version", payload)).contains("lookup-100");
            assertThat(header("User-Agent", payload)).contains("lookup-100");
        }

        @Test
        void otherLookupsAndNesting() {
            assertThat(header("Referer", "${env:AWS_SECRET_ACCESS_KEY}")).containsExactly("lookup-120");
            assertThat(query("x=${script:javascript:java.lang.Runtime.getRuntime().exec('id')}")).contains("lookup-120");
            assertThat(query("x=${a${b}}")).containsExactly("lookup-110");
            // template placeholders without a lookup prefix are ordinary text
            assertThat(json(ONE, "{\"template\":\"Hello, ${name}! You owe ${amount}.\"}")).isEmpty();
        }

        @Test
        void springClassLoaderAndOgnl() {
            assertThat(query("class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp")).contains("lookup-130");
            assertThat(query("user.className=x")).isEmpty();
            assertThat(header("Content-Type", "%{(#_memberAccess['allowStaticMethodAccess']=true)}")).contains("lookup-140");
        }
    }

    @Nested
    class Sqli {
        @ParameterizedTest
        @ValueSource(strings = {"' OR '1'='1", "' OR 1=1--", "admin'--", "\" OR \"\"=\"", "1 UNION SELECT a,b FROM users",
                "1 UNION/**/SELECT 1", "1 /*!50000UNION*/ /*!50000SELECT*/ 1", "1; DROP TABLE users--", "1 AND SLEEP(5)",
                "'; WAITFOR DELAY '0:0:5'--", "1 OR 1=1", "1' ORDER BY 3--", "' || '1'='1", "-1' UNION SELECT 1 FROM information_schema.tables--",
                "1' AND ASCII(SUBSTRING((SELECT 1),1,1))>64--", "'||(SELECT version())||'", "CHAR(83,69,76,69,67,84)"})
        void classicsAreCriticalAtParanoiaOne(String payload) {
            assertThat(json(ONE, "{\"q\":\"" + payload.replace("\"", "\\\"") + "\"}")).as(payload)
                    .anyMatch(id -> id.startsWith("sqli-"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"O'Brien", "Rock 'n' roll", "don't stop", "D'Angelo and Smith", "union station",
                "select committee", "1=1 meaning", "it's 5 o'clock", "Guns N' Roses", "St. Mary's Road"})
        void apostrophesAndSqlWordsInTextAreNot(String text) {
            assertThat(json(ONE, "{\"q\":\"" + text + "\"}")).isEmpty();
        }

        @Test
        void englishThatReadsLikeSqlOnlyAtParanoiaTwo() {
            assertThat(json(ONE, "{\"q\":\"how to select from a dropdown\"}")).isEmpty();
            assertThat(json(TWO, "{\"q\":\"how to select from a dropdown\"}")).containsExactly("sqli-200");
        }
    }

    @Nested
    class Xss {
        @ParameterizedTest
        @ValueSource(strings = {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>",
                "javascript:alert(1)", "java%0ascript:alert(1)", "&lt;script&gt;", "%253Cscript%253E", "＜script＞",
                "<a href=\"jav&#x09;ascript:alert(1)\">", "'-alert(1)-'", "\" onmouseover=\"alert(1)",
                "{{constructor.constructor('alert(1)')()}}", "data:text/html;base64,PHNjcmlwdD4=", "<iframe src=x>",
                "<div style=\"width:expression(alert(1))\">", "<iframe srcdoc=\"x\">"})
        void classicsInEveryEncodingAreCriticalAtParanoiaOne(String payload) {
            assertThat(query("q=" + payload.replace("&", "%26").replace("#", "%23").replace(" ", "+").replace("\"", "%22").replace("<", "%3C").replace(">", "%3E")
                    .replace("{", "%7B").replace("}", "%7D").replace("`", "%60").replace("'", "%27").replace("\\", "%5C")
                    .replace("|", "%7C").replace("^", "%5E")))
                    .as(payload).anyMatch(id -> id.startsWith("xss-"));
        }

        @Test
        void ordinaryMarkupAndTextAreNot() {
            assertThat(json(ONE, "{\"c\":\"<b>bold</b> and <i>italic</i>, I <3 it, 5 > 3\"}")).isEmpty();
            assertThat(json(ONE, "{\"q\":\"javascript: the good parts\"}")).isEmpty();
            assertThat(json(ONE, "{\"q\":\"onload event javascript\"}")).isEmpty();
            assertThat(json(TWO, "{\"q\":\"javascript: the good parts\"}")).containsExactly("xss-220");
            assertThat(json(TWO, "{\"c\":\"<img src=cat.png>\"}")).containsExactly("xss-200");
        }
    }

    @Nested
    class Scanner {
        @Test
        void scannerUserAgentsOnlyAtParanoiaTwo() {
            ProxyRequest request = ProxyRequest.builder().headers(Headers.of("User-Agent", "sqlmap/1.8.11#stable (https://sqlmap.org)")).build();
            assertThat(rules(ONE, request)).isEmpty();
            assertThat(rules(TWO, request)).containsExactly("scanner-100");
            ProxyRequest browser = ProxyRequest.builder().headers(Headers.of("User-Agent",
                    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")).build();
            assertThat(rules(TWO, browser)).isEmpty();
        }
    }
}
