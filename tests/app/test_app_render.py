"""The web chat's HTML rendering: article text is shown inert, quotes are highlighted."""

import pytest

from app import _md_text, _plain, citation_html, make_filters, sources_html
from assistant import Answer, Citation
from corpus import InvalidInput


def citation(**kw) -> Citation:
    passage = "Before. The quoted sentence. After."
    base = dict(n=1, article_id="a1", title="A title", source="Wire", published_at="2025-07-31",
                url="https://example.org/a", passage=passage, passage_start=100,
                passage_end=100 + len(passage), quote="The quoted sentence.",
                quote_start=108, quote_end=128)
    base.update(kw)
    return Citation(**base)


def test_quote_is_highlighted_at_its_span():
    html = citation_html(citation())
    assert "Before. <mark>The quoted sentence.</mark> After." in html
    assert 'href="https://example.org/a"' in html and 'rel="noopener noreferrer"' in html
    assert "Wire · 2025-07-31" in html


def test_a_story_with_copies_names_its_other_versions_escaped():
    also = ({"article_id": "a2", "title": "T", "source": "<b>Daily</b>", "published_at": "2025-08-01", "url": None},
            {"article_id": "a3", "title": "Herald story", "source": "", "published_at": None, "url": None})
    html = citation_html(citation(also_published=also))
    assert "also published by: &lt;b&gt;Daily&lt;/b&gt; (2025-08-01), Herald story" in html
    assert "also published by" not in citation_html(citation())


def test_article_markup_is_escaped_and_unsafe_links_dropped():
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    html = citation_html(citation(title=evil, passage=evil, quote="", url="javascript:alert(3)"))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "javascript:" not in html and "href" not in html


def test_quote_outside_its_span_is_found_in_the_passage():
    html = citation_html(citation(quote_start=0, quote_end=20))
    assert "<mark>The quoted sentence.</mark>" in html


def test_sources_panel_states():
    assert "appear here" in sources_html(None)
    assert "No sources were cited" in sources_html(Answer(question="q", text="t", covered=False))
    assert sources_html(Answer(question="q", text="t", citations=[citation()])).count("nd-cite") == 1


def test_chat_text_round_trips_verbatim():
    text = "**not bold** <b>x</b> [2] $5 and \\ backslash"
    assert _plain(_md_text(text)) == text
    assert "<b>" not in _md_text(text)


def test_filters_from_the_filter_row():
    assert make_filters([], "", "") is None
    f = make_filters(["Wikinews"], "2020-01-01", " ")
    assert f.sources == ("Wikinews",) and f.date_from == "2020-01-01" and f.date_to is None
    with pytest.raises(InvalidInput, match="not a date") as bad:
        make_filters([], "31/07/2025", "")
    assert "YYYY-MM-DD" in bad.value.user_message()
    with pytest.raises(InvalidInput, match="after"):
        make_filters([], "2021-01-01", "2020-01-01")


@pytest.mark.integration
def test_timeline_is_escaped_and_says_when_nobody_is_found(make_bot, fake_embedder_cls, write_file,
                                                           tmp_path):
    from app import TIMELINE_IDLE, timeline_html

    write_file("articles/evil.txt", "Evil <b>markup</b>\n\n"
               "“<script>alert(1)</script> is what we saw,” Marta Olsen, the <i>mayor</i>, said.\n")
    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls())
    bot.ingest([tmp_path / "articles"])
    html = timeline_html(bot, "olsen", "")
    assert "<script>" not in html and "<i>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is what we saw" in html
    assert "Marta Olsen, the &lt;i&gt;mayor&lt;/i&gt;" in html
    assert "<mark>" in html  # the passage, with the statement highlighted
    assert timeline_html(bot, "  ", None) == TIMELINE_IDLE
    assert "No statement by Nobody about cats" in timeline_html(bot, "Nobody", "cats")


def test_generated_answer_marks_unsupported_sentences_and_shows_the_notice():
    from app import _turn_text, answer_markdown
    from assistant import Answer
    from assistant.citations import CheckedSentence

    answer = Answer(question="q", text="Kyiv was hit [1]. It was <b>9,999</b> drones [1].",
                    answerer="llm:test", standalone="How many drones hit Kyiv?",
                    notice="Sentences marked ⚠ (1) are not supported by the passages they cite.",
                    sentences=[CheckedSentence("Kyiv was hit [1].", [1], True),
                               CheckedSentence("It was <b>9,999</b> drones [1].", [1], False,
                                               problems=["numbers not in the cited passages: 9999"])])
    md = answer_markdown(answer)
    assert md.startswith("*Searched for\\: How many drones hit Kyiv\\?*")
    assert "&lt;b&gt;" in md and "<b>" not in md  # model text is shown, never rendered
    assert "⚠ *(numbers not in the cited passages\\: 9999)*" in md
    assert md.count("⚠") == 2 and md.endswith("cite\\.*")
    # as history for the next turn: the answer's text only, no "Searched for", no notice
    assert _turn_text({"role": "assistant", "content": md}).startswith("Kyiv was hit [1].")
    assert "Searched" not in _turn_text({"role": "assistant", "content": md})


def test_a_timeline_stays_a_list_with_its_words_shown_verbatim():
    from app import _turn_text, answer_markdown
    from assistant import Answer

    text = "Timeline of “Floods” (2 reports):\n\n- 30 July 2025: *Seven* <i>died</i> [1]\n- 31 July 2025: 18 died [2]"
    md = answer_markdown(Answer(question="q", text=text, answerer="timeline"))
    assert md.split("\n")[2:] == ["- 30 July 2025\\: \\*Seven\\* &lt;i&gt;died&lt;\\/i&gt; \\[1\\]",
                                  "- 31 July 2025\\: 18 died \\[2\\]"]
    assert _turn_text({"role": "assistant", "content": md}).startswith("Timeline of")


def test_uploads_over_the_limits_are_refused_with_a_message(make_bot, tmp_path, fake_embedder_cls):
    from app import ingest_uploads
    from corpus import TooLarge

    bot = make_bot(tmp_path / "data", embedder=fake_embedder_cls(), max_upload_files=2, max_upload_mb=0.01)
    files = [tmp_path / f"{n}.txt" for n in "abc"]
    for f in files:
        f.write_text(f"Title {f.stem}\n\nA body for {f.stem}.")
    shown = ingest_uploads(bot, [str(f) for f in files])
    assert 'class="nd-error"' in shown and "3 files; the limit is 2" in shown
    big = tmp_path / "big.txt"
    big.write_text("Big\n\n" + "word " * 4000)
    shown = ingest_uploads(bot, [str(big)])
    assert "big.txt&#x27; is 0.02 MB; the limit is 0.01 MB per file" in shown
    with pytest.raises(TooLarge) as refused:
        bot.ingest_files([("big.txt", big.read_bytes())])
    assert "NEWSDESK_MAX_UPLOAD_MB" in refused.value.hint
    assert bot.status()["articles"] == 0
    assert "1 added" in ingest_uploads(bot, [str(files[0])])
