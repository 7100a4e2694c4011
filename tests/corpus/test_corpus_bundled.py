"""The articles shipped in corpus/articles load cleanly and keep their text."""

import json

import pytest

from corpus import BUNDLED_DIR, load_file, load_paths

SEED = BUNDLED_DIR / "kyiv-strike-2025.txt"
WIKINEWS = BUNDLED_DIR / "wikinews-2019-2020.jsonl"


@pytest.fixture(scope="module")
def wikinews():
    result = load_file(WIKINEWS)
    raw = [json.loads(line) for line in WIKINEWS.read_text(encoding="utf-8").splitlines()]
    return result, raw


def test_seed_article():
    [article] = load_file(SEED).articles
    assert article.title == ("Zelensky Calls for Regime Change in Russia After Deadly Missile "
                             "Strike Kills 7 in Kyiv")
    body = article.body
    assert body.startswith("Ukrainian President Volodymyr Zelensky has called on global allies")
    assert "Leave a Reply" not in body
    assert "email address" not in body
    assert "Required fields" not in body
    assert "Zelensky" not in body.split("\n")
    assert "“President Trump has been very generous and patient with Putin,” said Ukraine’s " \
           "foreign minister Andriy Sybiga." in body
    assert "over 300 drones" in body
    assert body.endswith("previously called for his removal from power.")
    assert (article.source, article.url, article.published_at) == ("", None, None)


def test_seed_id_is_stable():
    assert load_file(SEED).articles[0].id == load_file(SEED).articles[0].id


def test_wikinews_records(wikinews):
    result, raw = wikinews
    assert result.problems == []
    assert len(result.articles) == len(raw) == 273
    assert [a.id for a in result.articles] == [r["id"] for r in raw]
    first = result.articles[0]
    assert first.id == "wn-20201228-d37000"
    assert first.origin == f"{WIKINEWS}:1"
    for article, record in zip(result.articles, raw):
        assert article.source == "Wikinews"
        assert article.published_at == record["published_at"]
        assert article.url == record["url"]
        assert article.title == record["title"]
        assert article.metadata["categories"] == record["categories"]
        assert article.metadata["license"] == "CC BY 2.5"


def test_wikinews_text_is_not_cut(wikinews):
    result, raw = wikinews
    for article, record in zip(result.articles, raw):
        assert len(article.body) >= 0.95 * len(record["body"]), article.id


def test_bundled_dir_loads_everything():
    result = load_paths([BUNDLED_DIR])
    assert result.files == 2
    assert len(result.articles) == 274
    assert result.problems == []
