"""Each file format loads into the same Article fields."""

import datetime as dt
import json

import pytest

from corpus import load_file
from corpus.dates import normalise_date
from corpus.formats import title_from_body

BODY = "First paragraph of the story.\n\nSecond paragraph, with a quote."


def only_article(path):
    result = load_file(path)
    assert result.problems == [], result.problems
    assert result.files == 1
    assert len(result.articles) == 1
    return result.articles[0]


def test_txt_first_line_is_title(write):
    path = write("story.txt", "\n\n  Storm hits coast  \r\n\r\nFirst paragraph of the story.\r\n\r\n"
                               "Second paragraph,\u00a0with a quote.   \r\n")
    art = only_article(path)
    assert art.title == "Storm hits coast"
    assert art.body == BODY
    assert (art.source, art.url, art.published_at, art.author) == ("", None, None, None)
    assert art.origin == str(path)


def test_txt_with_utf8_bom(write):
    art = only_article(write("bom.txt", "\ufeffTitle\n\nBody text.".encode("utf-8")))
    assert art.title == "Title"


def test_md_front_matter(write):
    path = write("a.md", "---\ntitle: Budget passes\nsource: Daily Planet\nurl: https://dp.example/b\n"
                         "date: 2024-05-02\nauthor: Lois Lane\ntags: [politics, budget]\n---\n"
                         "# Budget passes\n\n" + BODY + "\n")
    art = only_article(path)
    assert art.title == "Budget passes"
    assert art.body == BODY  # the heading repeating the title is dropped
    assert (art.source, art.url, art.published_at, art.author) == (
        "Daily Planet", "https://dp.example/b", "2024-05-02", "Lois Lane")
    assert art.metadata == {"tags": ["politics", "budget"]}


def test_md_heading_is_title_without_front_matter(write):
    art = only_article(write("b.md", "Intro line kept.\n\n# The real title\n\nMore *markdown* text.\n"))
    assert art.title == "The real title"
    assert art.body == "Intro line kept.\n\nMore *markdown* text."


def test_md_first_line_is_title_without_heading(write):
    art = only_article(write("c.md", "Plain first line\n\n" + BODY))
    assert art.title == "Plain first line"
    assert art.body == BODY


def test_md_malformed_front_matter_is_a_problem(write):
    result = load_file(write("bad.md", "---\ntitle: [unclosed\n---\nBody.\n"))
    assert result.articles == []
    assert "front matter" in result.problems[0].reason


def test_json_single_record_and_aliases(write):
    record = {"title": "T", "text": BODY, "date": "2024-03-14T22:10:00+02:00",
              "source": "Wire", "url": "https://w.example/t", "author": ["A. One", "B. Two"],
              "section": "World"}
    art = only_article(write("one.json", json.dumps(record)))
    assert art.body == BODY
    assert art.published_at == "2024-03-14"
    assert art.author == "A. One, B. Two"
    assert art.metadata == {"section": "World"}
    assert art.origin.endswith("one.json")


def test_json_list_origins_and_bad_items(write):
    path = write("many.json", json.dumps([{"title": "A", "body": "Body A."}, "not an object",
                                          {"title": "C", "content": "Body C."}]))
    result = load_file(path)
    assert [a.title for a in result.articles] == ["A", "C"]
    assert [a.origin for a in result.articles] == [f"{path}#0", f"{path}#2"]
    assert len(result.problems) == 1
    assert result.problems[0].origin == f"{path}#1"
    assert result.problems[0].reason == "record is a string, not an object"


def test_json_malformed_file(write):
    result = load_file(write("broken.json", '{"title": "A" "body": "x"}'))
    assert result.articles == []
    assert result.problems[0].reason.startswith("malformed JSON: Expecting ',' delimiter")


def test_jsonl_malformed_line_in_the_middle(write):
    lines = [json.dumps({"title": "One", "body": "Body one."}), "",
             '{"title": "Two", "body": "Body two." "x": 1}',
             json.dumps({"title": "Three", "body": "Body three."})]
    path = write("feed.jsonl", "\n".join(lines) + "\n")
    result = load_file(path)
    assert [a.title for a in result.articles] == ["One", "Three"]
    assert [a.origin for a in result.articles] == [f"{path}:1", f"{path}:4"]
    [problem] = result.problems
    assert problem.origin == f"{path}:3"
    assert problem.reason == "malformed JSON: Expecting ',' delimiter at column 38"


def test_record_without_body_is_a_problem(write):
    path = write("nobody.jsonl", json.dumps({"title": "Empty", "body": "  "}) + "\n"
                 + json.dumps({"title": "Fine", "body": "Text."}) + "\n")
    result = load_file(path)
    assert [a.title for a in result.articles] == ["Fine"]
    assert result.problems[0].origin == f"{path}:1"
    assert result.problems[0].reason.startswith("record has no body")


def test_record_without_title_uses_first_sentence(write):
    body = "Rain fell all day in the valley. Rivers rose."
    art = only_article(write("t.jsonl", json.dumps({"body": body}) + "\n"))
    assert art.title == "Rain fell all day in the valley."
    long = "word " * 60
    assert len(title_from_body(long)) <= 101


def test_unparseable_date_is_none_not_a_failure(write):
    art = only_article(write("d.json", json.dumps({"title": "T", "body": "B.", "published_at": "soon"})))
    assert art.published_at is None
    assert "published_at" not in art.metadata


@pytest.mark.parametrize("value, expected", [
    ("2024-03-14", "2024-03-14"),
    ("2024-03-14T23:30:00-05:00", "2024-03-14"),
    ("2024-03-14T09:30:00Z", "2024-03-14"),
    ("Thu, 14 Mar 2024 09:30:00 GMT", "2024-03-14"),
    ("14 March 2024", "2024-03-14"),
    ("March 14, 2024", "2024-03-14"),
    (dt.date(2024, 3, 14), "2024-03-14"),
    (dt.datetime(2024, 3, 14, 8, 0), "2024-03-14"),
    (1710405000, "2024-03-14"),
    (1710405000000, "2024-03-14"),
    ("March 2024", None),
    ("2024", None),
    ("not a date", None),
    ("", None),
    (None, None),
    (True, None),
])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour bridge reopens after repairs | Coastal Gazette</title>
<link rel="canonical" href="https://gazette.example.com/2024/03/harbour-bridge-reopens">
<meta property="og:title" content="Harbour bridge reopens after two years of repairs">
<meta property="og:site_name" content="Coastal Gazette">
<meta name="author" content="Maria Jensen">
<meta property="article:published_time" content="2024-03-14T09:30:00+00:00">
</head><body>
<header class="site-header"><a href="/">Coastal Gazette</a>
 <nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
 <li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
 <h1>Harbour bridge reopens after two years of repairs</h1>
 <p class="byline">By Maria Jensen, 14 March 2024</p>
 <p>The harbour bridge reopened to traffic on Thursday morning after two years of structural
 repairs that cost the city 48 million euros.</p>
 <p>Mayor Anna Lind cut the ribbon at eight o'clock, telling a crowd of several hundred
 residents that the bridge was "safer than the day it was built".</p>
 <p>Engineers replaced all 112 steel cables and resurfaced the deck. Buses will return to the
 route from Monday, the transport authority said.</p>
 <p>Local shop owners on the north bank welcomed the news, saying footfall had fallen by a
 third while the bridge was closed.</p>
 <div class="share-bar">Share this: <a href="#">Share on Facebook</a>
 <a href="#">Share on Twitter</a> <a href="#">Email</a></div>
</article>
<section id="comments" class="comments"><h2>3 comments</h2>
 <div class="comment"><p>Finally! It took them long enough, what a waste of money.</p></div>
 <div class="comment"><p>Great news for the bakery on Dock Street.</p></div>
 <h3>Leave a Reply</h3>
 <form><p>Your email address will not be published. Required fields are marked *</p>
 <textarea></textarea></form></section></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Storm warning for the weekend</a></li></ul></aside>
<footer><p>&copy; 2024 Coastal Gazette. All rights reserved.</p><a href="/privacy">Privacy policy</a>
<a href="/subscribe">Subscribe to our newsletter</a></footer>
</body></html>
"""


def test_html_article_page(write):
    art = only_article(write("page.html", PAGE))
    assert art.title == "Harbour bridge reopens after two years of repairs"
    assert art.published_at == "2024-03-14"
    assert art.url == "https://gazette.example.com/2024/03/harbour-bridge-reopens"
    assert art.source == "Coastal Gazette"
    assert art.author == "Maria Jensen"
    paragraphs = art.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The harbour bridge reopened to traffic")
    assert "safer than the day it was built" in art.body
    assert paragraphs[-1].endswith("while the bridge was closed.")
    for furniture in ("News", "Weather", "Share", "Facebook", "comments", "Finally!", "Dock Street",
                      "Leave a Reply", "email address", "Most read", "Storm warning",
                      "rights reserved", "Privacy", "newsletter", "Harbour bridge reopens"):
        assert furniture not in art.body


def test_html_title_falls_back_to_title_tag(write, monkeypatch):
    import trafilatura

    real = trafilatura.bare_extraction

    def without_title(*args, **kwargs):  # as when trafilatura finds no title
        doc = real(*args, **kwargs)
        doc.title = None
        return doc

    monkeypatch.setattr(trafilatura, "bare_extraction", without_title)
    words = "The council met on Tuesday and voted to extend the library opening hours. " * 4
    art = only_article(write("plain.htm", f"<html><head><title>Library &amp; hours</title></head>"
                                          f"<body><div><p>{words}</p></div></body></html>"))
    assert art.title == "Library & hours"
    assert "library opening hours" in art.body


def test_html_without_article_text_is_a_problem(write):
    result = load_file(write("menu.html", "<html><head><title>Home</title></head><body><nav>"
                                          "<a href='/'>Home</a> <a href='/n'>News</a></nav></body></html>"))
    assert result.articles == []
    assert result.problems[0].reason == "no article text found in the page"
