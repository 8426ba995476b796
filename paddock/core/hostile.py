"""Hostile strings: what an attacker, a careless paste or an unusual alphabet sends to a text field.

`HOSTILE_STRINGS` is plain data for tests of any field that takes reader input (comment bodies,
display names, search queries, report details, newsletter addresses). A field passes when every
string is either refused with a message or stored and shown back as inert text: no tag,
attribute or URL from the input reaches a page as markup, no script runs, and nothing is
mangled that a reader meant (right-to-left text, emoji, combining marks).

Payloads that would run script set the sentinel `window.__xss` (or call `alert`), so a browser
test can prove that none of them ran. Only escaped forms of a lone surrogate appear here: a real
one cannot be encoded as UTF-8, so it cannot reach the site through a browser or a form.
"""

HOSTILE_STRINGS: list[str] = [
    # --- Script tags, plain and disguised ---------------------------------------------------
    "<script>alert(1)</script>",
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<svg><script>window.__xss=1</script></svg>",
    "<![CDATA[<script>window.__xss=1</script>]]>",
    '<!--<img src="--><img src=x onerror="window.__xss=1">',
    # --- Event handlers on tags that load or focus by themselves ----------------------------
    '<img src=x onerror="window.__xss=1">',
    "<img src=x onerror=alert(1)//",
    '<IMG SRC="javascript:alert(1);">',
    '<svg onload="window.__xss=1">',
    '<body onload="window.__xss=1">',
    '<details open ontoggle="window.__xss=1">',
    '<input autofocus onfocus="window.__xss=1">',
    '<a href="https://example.com/" onclick="window.__xss=1">an ordinary-looking link</a>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
    # --- Breaking out of an attribute, a textarea or the surrounding markup -----------------
    '"><script>window.__xss=1</script>',
    '\'><img src=x onerror="window.__xss=1">',
    '" autofocus onfocus="window.__xss=1" x="',
    "</textarea><script>window.__xss=1</script>",
    "</p></div></li></ol><script>window.__xss=1</script>",
    # --- Other dangerous tags ---------------------------------------------------------------
    "<style>body { display: none }</style>",
    '<div style="position:fixed;inset:0;background:#b3121f">this page is covered</div>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==">',
    '<form action="javascript:alert(1)"><button>Continue</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    # --- Dangerous URLs through Markdown ----------------------------------------------------
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:window.__xss=1)",
    "[click me](javascript&#58;alert(1))",
    '[click me](  javascript:alert(1)  "title")',
    "[click me](<javascript:alert(1)>)",
    "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click me](vbscript:msgbox(1))",
    "[click me](//evil.example/phish)",
    '[click me](https://example.com/" onmouseover="window.__xss=1)',
    '![picture](https://example.com/x.png" onerror="window.__xss=1)',
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[mail us](mailto:desk@example.com?subject=<script>alert(1)</script>)",
    "[https://paddock.example/login](https://evil.example/login)",
    # --- HTML entities, double and other encodings ------------------------------------------
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "&#x3C;svg onload=alert(1)&#x3E;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "＜script＞alert(1)＜/script＞",
    # --- Markdown that hides markup in code -------------------------------------------------
    "`<script>window.__xss=1</script>`",
    '```\n<img src=x onerror="window.__xss=1">\n```',
    # --- Template and other server-side syntax ----------------------------------------------
    "{{ request.user.password }}",
    "{% debug %}{% load static %}{% csrf_token %}",
    "{{7*7}} ${7*7} #{7*7} <%= 7*7 %> {{constructor.constructor('alert(1)')()}}",
    # --- SQL fragments ----------------------------------------------------------------------
    "'; DROP TABLE comments_comment; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(10); --",
    "Robert'); DELETE FROM auth_user WHERE ('1'='1",
    # --- Sheer size and pathological structure ----------------------------------------------
    ("A very long comment about build quality. " * 250)[:10_000],
    "x" * 5_000,
    "> " * 1_000 + "deeply quoted",
    "*a **b " * 1_000,
    "[" * 2_000 + "]" * 2_000,
    "\n" * 5_000 + "after many blank lines",
    # --- NUL and other control characters ---------------------------------------------------
    "before\x00after",
    "\x00\x01\x02\x03\x1f",
    "bell\x07 backspace\x08 escape\x1b[31mred\x1b[0m form\x0cfeed vtab\x0b del\x7f end",
    "carriage\rreturn and\r\nwindows line ends",
    "line\u2028separator and paragraph\u2029separator",
    # --- Unicode edge cases -----------------------------------------------------------------
    "Invoice \u202egnp.exe looks like a picture",
    "zero\u200bwidth\u200cnon\u200djoiner and word\u2060joiner",
    "Z\u0351\u0352\u0357\u035b\u0301\u0300\u0316\u0317a\u0350\u0341\u0342\u0343l\u0344\u0345go",
    "👍🏽 👩🏾‍🔧 👨‍👩‍👧‍👦 🏳️‍🌈 🇳🇴 ❤️‍🔥",
    "السيارات الكهربائية أرخص من أي وقت مضى",
    "מכונית חשמלית חדשה נבנית בטרונדהיים",
    "Halvorsen מכונית 2026 سيارة Fjell",
    "\\ud800 \\udfff \\udbff\\udc00 lone surrogates, escaped as text",
    "\ufeffByte order mark at the start",
    "Ünïcödé Ñ ß ﬁ ẞ İı Ω Å 𝐁𝐨𝐥𝐝 𝔉𝔯𝔞𝔨𝔱𝔲𝔯",
]
