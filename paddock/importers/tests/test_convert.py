"""WordPress HTML into Wagtail rich text, and comment HTML into the comments' Markdown."""

from __future__ import annotations

import pytest

from paddock.importers.convert import comment_markdown, safe_url
from paddock.importers.wordpress.convert import image_refs, rich_text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # wpautop: blank lines make paragraphs, single newlines line breaks
        ("One\nline two\n\nTwo", "<p>One<br/>line two</p><p>Two</p>"),
        ("<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h6>E</h6>",
         "<h2>A</h2><h2>B</h2><h3>C</h3><h3>D</h3><h3>E</h3>"),
        ("<strong>b</strong> <em>i</em> <u>u</u>", "<p><b>b</b> <i>i</i> u</p>"),
        ("<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>",
         "<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>"),
        ("<ul><li>one<li>two</ul>", "<ul><li>one</li><li>two</li></ul>"),
        ("<blockquote><p>q1</p><p>q2</p></blockquote>",
         "<blockquote>q1</blockquote><blockquote>q2</blockquote>"),
        ("a<hr>b", "<p>a</p><hr/><p>b</p>"),
        ("<b>bold <p>para</p> tail</b>", "<p><b>bold</b></p><p><b>para</b></p><p><b>tail</b></p>"),
        ("<table><tr><th>Model</th><th>kW</th></tr><tr><td>GT</td><td>250</td></tr></table>",
         "<p>Model | kW</p><p>GT | 250</p>"),
        ("<pre>line 1\nline 2</pre>", "<p>line 1<br/>line 2</p>"),
        ("Fish &amp; chips &lt;3", "<p>Fish &amp; chips &lt;3</p>"),
        ('<a href="//cdn.example/x">x</a> <a href="/local">l</a> <a href="ftp://x">f</a>',
         '<p><a href="https://cdn.example/x">x</a> <a href="/local">l</a> f</p>'),
        ('<a href="https://a.example/"><img src="https://a.example/i.jpg" alt="Pic"></a>',
         '<p><a href="https://a.example/">Pic</a></p>'),
        ("[embed]https://video.example/v/1[/embed]",
         '<p><a href="https://video.example/v/1">https://video.example/v/1</a></p>'),
        ('[video src="https://v.example/a.mp4"][/video]',
         '<p><a href="https://v.example/a.mp4">https://v.example/a.mp4</a></p>'),
        ("Price [sic] stays", "<p>Price [sic] stays</p>"),
        ("<div><div>nested</div></div>", "<p>nested</p>"),
        ("", ""),
    ],
)  # fmt: skip
def test_rich_text(html, expected):
    assert rich_text(html) == expected


def test_images_embed_when_resolved_and_split_the_paragraph():
    def resolve(src: str, attachment_id: str):
        return (9, "") if attachment_id == "5" else (None, "https://old.example/6.jpg")

    html = (
        'Before <img class="wp-image-5" src="a.jpg" alt="A &quot;car&quot;"> after '
        '[gallery ids="6"]'
    )
    assert rich_text(html, images=resolve) == (
        '<p>Before</p><embed alt="A &quot;car&quot;" embedtype="image" format="fullwidth" '
        'id="9"/><p>after</p><p><a href="https://old.example/6.jpg">6.jpg</a></p>'
    )


def test_image_refs():
    srcs, ids = image_refs(
        '<img src="https://x/a-300x200.jpg" class="wp-image-7"> [gallery ids="8, 9"]'
    )
    assert srcs == {"https://x/a-300x200.jpg"} and ids == {"7", "8", "9"}


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("Plain *stars* and _under_ [x]", r"Plain \*stars\* and \_under\_ \[x\]"),
        ("Line one\nline two\n\n\n\nNew para", "Line one\nline two\n\nNew para"),
        ("<b>bold</b> <i>it</i> <code>x()</code>", "**bold** *it* `x()`"),
        ('<a href="https://e.example/a_(b)">link</a>', "[link](https://e.example/a_%28b%29)"),
        ("<blockquote>quoted\ntwo</blockquote>after", "> quoted\n> two\n\nafter"),
        ("<p>p1</p><p>p2</p>", "p1\n\np2"),
        ("> not a quote", r"\> not a quote"),
        ("<script>x</script><iframe src='https://v.example/1'></iframe>", "<https://v.example/1>"),
    ],
)  # fmt: skip
def test_comment_markdown(html, expected):
    assert comment_markdown(html) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/x y", "https://a.example/x%20y"),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<b>", None),
        ("mailto:a@b.example", "mailto:a@b.example"),
        ("#top", "#top"),
        ("relative/path", None),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected
