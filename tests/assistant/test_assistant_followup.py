"""Follow-up questions rewritten to stand alone, by rules (no LLM)."""

from __future__ import annotations

import pytest

from assistant.followup import needs_context, rewrite_by_rules


def turns(*pairs):
    out = []
    for q, a in pairs:
        out += [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
    return out


SYBIGA = turns(("What did Sybiga say?",
                "Andrii Sybiga (Ukraine's foreign minister) said: “Russia wants war.” [1]"))


@pytest.mark.parametrize("question, expected", [
    ("What about Tregubov?", "What did Tregubov say?"),
    ("And Zelensky?", "What did Zelensky say?"),
    ("How about the Kremlin?", "What did the Kremlin say?"),
    ("Who is he?", "Who is Sybiga?"),
    ("What did he say about Putin?", "What did Sybiga say about Putin?"),
    ("What were his remarks on sanctions?", "What were Sybiga's remarks on sanctions?"),
    ("How many drones were fired?", "How many drones were fired?"),  # stands alone
])
def test_rules(question, expected):
    assert rewrite_by_rules(question, SYBIGA).question == expected


def test_chained_follow_ups():
    history = SYBIGA + turns(("What about Tregubov?", "Tregubov said on 2025-06-17 ... [1]"))
    assert rewrite_by_rules("Who is he?", history).question == "Who is Tregubov?"
    before = rewrite_by_rules("And before that?", history)
    assert before.question == "What did Tregubov say?"
    assert before.until == "2025-06-16" and before.since is None
    after = rewrite_by_rules("What about after that?", history)
    assert after.since == "2025-06-18"


def test_pronoun_falls_back_to_the_last_answer_when_the_question_names_no_one():
    history = turns(("How many drones were fired at Kyiv?",
                     "Tymur Tkachenko said 440 drones were fired. [1]"))
    assert rewrite_by_rules("What else did he say?", history).question == "What else did Tymur Tkachenko say?"


def test_he_is_the_person_a_who_answer_led_with_nickname_and_all():
    history = turns(("Which police officer was shot at the custody centre?",
                     'Matiu "Matt" Ratana [1]. Police sergeant Matiu "Matt" Ratana was shot on Friday by a '
                     "prisoner, suspected to be Louis De Zoysa. [1]"))
    assert rewrite_by_rules("Where was he from?", history).question == 'Where was Matiu "Matt" Ratana from?'


def test_no_history_or_no_one_to_refer_to_leaves_the_question_alone():
    assert rewrite_by_rules("Who is he?", []).question == "Who is he?"
    assert not rewrite_by_rules("Who is he?", turns(("how many drones?", "440 drones. [1]"))).changed


def test_needs_context():
    assert needs_context("What about Tregubov?") and needs_context("Who is he?")
    assert needs_context("and before that?")
    assert not needs_context("What did Sybiga say about the strike?")


def test_history_in_any_common_shape():
    from langchain_core.messages import AIMessage, HumanMessage

    from assistant.followup import normalize_history
    from corpus import InvalidInput

    expected = [{"role": "user", "content": "What did Sybiga say?"},
                {"role": "assistant", "content": "He said x."}]
    assert normalize_history(expected) == expected
    assert normalize_history([HumanMessage("What did Sybiga say?"), AIMessage("He said x.")]) == expected
    assert normalize_history([("user", "What did Sybiga say?"), ("assistant", "He said x.")]) == expected
    assert normalize_history([{"role": "user", "content": [{"type": "text", "text": "hi"}]}])[0]["content"] == "hi"
    assert len(normalize_history([{"role": "user", "content": "x" * 10**6}] * 100)) == 20
    assert len(normalize_history([{"role": "user", "content": "x" * 10**6}])[0]["content"]) == 4000
    for bad in ([42], [{"role": "robot", "content": "x"}], ["just text"]):
        with pytest.raises(InvalidInput):
            normalize_history(bad)


def test_a_holiday_that_dated_the_last_question_dates_the_follow_up():
    history = turns(("How many emails had been released by New Year's Eve 2015?", "5,500 pages [1]."))
    rewrite = rewrite_by_rules("And how many of them were secret?", history)
    assert "New Year's Eve" in rewrite.context and "2015" in rewrite.context


def test_how_many_without_a_noun_counts_what_the_last_question_counted():
    history = turns(("How many missile tests had Kim Jong Un ordered by October 2016?", "49 missile tests [1]."))
    rewrite = rewrite_by_rules("And how many were carried out while his father was in charge?", history)
    assert rewrite.question == "And how many missile tests were carried out while Kim Jong Un's father was in charge?"
    history = turns(("How many people were killed in the Kyiv strike?", "seven [1]."))
    assert rewrite_by_rules("How many more died the next day?", history).question == \
        "How many more people died the next day?"
