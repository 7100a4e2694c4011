"""Boilerplate goes; article text stays."""

import pytest

from corpus.clean import normalise_text, strip_boilerplate

ARTICLE = "\n\n".join(f"Paragraph {i} of the report says something about the city council."
                      for i in range(1, 7))


@pytest.mark.parametrize("heading", [
    "Leave a Reply", "LEAVE A COMMENT", "Post a comment", "Comments", "3 Comments",
    "Related articles", "Related posts", "Share this:", "Sources", "Related news", "## Related news",
    "Leave a Reply Cancel reply",
])
def test_trailer_heading_late_in_text_cuts_to_the_end(heading):
    text = f"{ARTICLE}\n\n{heading}\n\nGreat article!\n\nhttps://example.com/other-story"
    assert strip_boilerplate(text) == ARTICLE


def test_trailer_heading_early_in_text_is_kept():
    text = f"Comments\n\n{ARTICLE}"
    assert strip_boilerplate(text) == text


def test_sentence_mentioning_comments_is_kept():
    text = f"{ARTICLE}\n\nThe minister declined to comment. Comments from residents were mixed."
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize("line", [
    "Your email address will not be published.",
    "Your email address will not be published. Required fields are marked *",
    "Required fields are marked *",
    "Share on Facebook", "Share on Twitter (Opens in new window)", "Share via Email",
    "Click to share on WhatsApp", "Subscribe to our newsletter", "Sign up for our newsletter today",
    "Advertisement", "- Advertisement -", "Follow us on Instagram",
    "Photo: Jane Doe/Reuters", "Image: Wikimedia Commons", "Photo credit: AP",
    "Read more: Ministers face questions over budget",
])
def test_furniture_lines_are_removed_anywhere(line):
    text = f"First paragraph of the article.\n\n{line}\n\nSecond paragraph of the article."
    assert strip_boilerplate(text) == "First paragraph of the article.\n\nSecond paragraph of the article."


@pytest.mark.parametrize("line", [
    "Photos from the scene showed damage: windows were broken across the street.",
    "Readers were asked to share on Facebook what they saw. " * 5,  # too long for furniture
    "Advertisements for the event appeared in every newspaper in town.",
    "She said she would follow us on the trip.",
])
def test_sentences_that_look_like_furniture_are_kept(line):
    text = f"First paragraph.\n\n{line.strip()}\n\nLast paragraph."
    assert strip_boilerplate(text) == text


def test_caption_residue_after_title_is_dropped():
    body = "Zelensky\n\nUkrainian President Volodymyr Zelensky has called on allies."
    title = "Zelensky Calls for Regime Change in Russia"
    assert strip_boilerplate(body, title) == "Ukrainian President Volodymyr Zelensky has called on allies."


@pytest.mark.parametrize("first", [
    "Moscow",            # not a word of the title
    "Zelensky said.",    # sentence punctuation
    "Regime change in",  # three words
])
def test_caption_rule_is_narrow(first):
    body = f"{first}\n\nThe rest of the article."
    assert strip_boilerplate(body, "Zelensky Calls for Regime Change in Russia") == body


def test_caption_rule_needs_a_title_and_more_text():
    assert strip_boilerplate("Zelensky\n\nText.") == "Zelensky\n\nText."
    assert strip_boilerplate("Zelensky", "Zelensky speaks") == "Zelensky"


def test_normalise_text():
    raw = "\r\nLine one\u00a0here.  \r\nLine two.\r\n\r\n\r\n\r\nNext\u202fparagraph.\t\n\n"
    assert normalise_text(raw) == "Line one here.\nLine two.\n\nNext paragraph."
