"""Who said what: the attribution extractor on the forms news writing uses."""

from __future__ import annotations

import time

import pytest

from index.attribution import DIRECT, INDIRECT, extract, fold, speaker_key


def one(body: str, **expect):
    """The single statement extracted from ``body``, checked against ``expect``."""
    found = extract("a", body)
    assert len(found) == 1, [(s.speaker, s.kind, s.text) for s in found]
    s = found[0]
    for key, value in expect.items():
        assert getattr(s, key) == value, (key, getattr(s, key), s)
    if s.kind == DIRECT and len(s.parts) == 1:
        assert body[s.start:s.end].strip("”\" ").rstrip(",") == s.text
    return s


@pytest.mark.parametrize("body, speaker, cue", [
    ('"We will rebuild the school," Marta Olsen said.', "Marta Olsen", "said"),
    ('“We will rebuild the school,” said Marta Olsen.', "Marta Olsen", "said"),
    ('Marta Olsen said: “We will rebuild the school.”', "Marta Olsen", "said"),
    ('Marta Olsen told reporters, "We will rebuild the school."', "Marta Olsen", "told"),
    ('According to Marta Olsen, "we will rebuild the school."', "Marta Olsen", "according to"),
    ('“We will rebuild the school,” Marta Olsen later added.', "Marta Olsen", "added"),
    ('“Will you rebuild the school?” asked Marta Olsen.', "Marta Olsen", "asked"),
    ('Marta Olsen called the closure "a betrayal of the town".', "Marta Olsen", "called"),
    ('Marta Olsen, the mayor, described the bridge as “our best work in years”.', "Marta Olsen", "described"),
])
def test_direct_quotation_forms(body, speaker, cue):
    words = body.split("“")[-1].split("”")[0] if "“" in body else body.split('"')[1]
    one(body, speaker=speaker, cue=cue, kind=DIRECT, text=words.rstrip(","))


def test_role_after_the_name_and_before_it():
    s = one("“This is not true,” said Viktor Tregubov, spokesperson for the Khortytsia group.",
            speaker="Viktor Tregubov")
    assert s.role == "spokesperson for the Khortytsia group"
    s = one("“It’s time to act,” said Ukraine’s foreign minister Andriy Sybiga.", speaker="Andriy Sybiga")
    assert s.role == "Ukraine’s foreign minister"
    s = one('"We lost," Robert Oldendick, a political science professor, said.', speaker="Robert Oldendick")
    assert s.role == "a political science professor"
    s = one('"We lost," Foreign Minister Andriy Sybiga said.', speaker="Andriy Sybiga")
    assert s.role == "Foreign Minister"


def test_surname_and_pronoun_resolve_to_the_fullest_name_used():
    body = ("Andriy Sybiga, Ukraine's foreign minister, spoke in Kyiv on Monday.\n"
            "“Sanctions must stay,” Sybiga said.\n"
            "He spoke after the strike.\n"
            "“We need air defence,” he added.")
    found = extract("a", body)
    assert [(s.speaker, s.text) for s in found] == [
        ("Andriy Sybiga", "Sanctions must stay"), ("Andriy Sybiga", "We need air defence")]
    assert found[0].role == "Ukraine's foreign minister" == found[1].role
    assert found[0].mention == "Sybiga" and found[1].mention == "he"


def test_he_and_she_follow_the_gender_the_article_uses():
    body = ("Marta Olsen, the mayor, opened the bridge. She thanked the workers.\n"
            "John Berg, his deputy, spoke next. He praised the design.\n"
            "“It took four years,” she said.")
    (s,) = [s for s in extract("a", body) if s.kind == DIRECT]
    assert s.speaker == "Marta Olsen"


def test_interrupted_quotation_is_one_statement():
    body = '"The first part," Marta Olsen said, "and the rest of it."'
    s = one(body, speaker="Marta Olsen", kind=DIRECT)
    assert len(s.parts) == 2 and s.text == "The first part and the rest of it."
    assert [body[a:b] for a, b in s.parts] == ["The first part,", "and the rest of it."]


def test_quotes_over_several_sentences_and_paragraphs():
    body = ("“The bridge is open. Traffic will flow again,” Marta Olsen said. “We are proud.”\n\n"
            "“It took four years of work\n\n"
            "“and it was worth it,” she said.")
    found = extract("a", body)
    assert [s.speaker for s in found] == ["Marta Olsen"] * 3
    assert found[0].text == "The bridge is open. Traffic will flow again"
    assert found[1].text == "We are proud."  # continues the attributed quote of its paragraph


def test_reported_speech_is_indirect():
    s = one("Marta Olsen warned that the bridge would close in winter.", kind=INDIRECT,
            speaker="Marta Olsen", cue="warned")
    assert s.text == "the bridge would close in winter."
    one("Marta Olsen told reporters the bridge would close in winter.", kind=INDIRECT, cue="told")
    one("The bridge will close in winter, Olsen said.", kind=INDIRECT, speaker="Olsen")
    # not reported speech: "said of", a statement that is no clause, a capitalised "States"
    assert extract("a", "Olsen said of the bridge that it was long and very heavy.") == []
    assert extract("a", "Officials in the United States expect a long winter this year.") == []


def test_organisations_are_speakers_as_written():
    s = one("Russia’s Ministry of Defence stated that the town had been “liberated.”",
            kind=INDIRECT, speaker="Russia’s Ministry of Defence", person=False)
    assert s.text == "the town had been “liberated.”"
    one('"We have no comment," the Kremlin said.', speaker="the Kremlin", person=False)


def test_unattributable_quotations_are_kept_unattributed_not_guessed():
    body = ("Marta Olsen opened the bridge on Monday.\n\n"
            "“Nobody expected this to happen so soon.”\n\n"
            "The crowd cheered.")
    s = one(body, speaker=None, kind=DIRECT)
    assert s.text == "Nobody expected this to happen so soon."
    # "they said" and a pronoun with nobody named before are not guessed either
    assert extract("a", '"We are tired of waiting," they said.')[0].speaker is None
    assert extract("a", '"We are tired of waiting," she said.')[0].speaker is None


@pytest.mark.parametrize("body, speaker, role", [
    # a time between the name and the cue; the role before the name
    ("The head of the city's fire service, Marta Olsen, on Sunday said the bridge was safe again.",
     "Marta Olsen", "The head of the city's fire service"),
    # a date before the subject of a participle
    ('This Wednesday Foreign Minister Marta Olsen rejected the plan, saying "it cannot work".',
     "Marta Olsen", "Foreign Minister"),
    # a colon after the speaking event; a name particle is not part of the title
    ('Mayor Jan de Groot spoke on the radio when he made the announcement: "I will not run again."',
     "Jan de Groot", "Mayor"),
    # the person a paper quoted, not the paper
    ('The Herald quoted Marta Olsen, the city engineer, as saying "the bridge is safe".',
     "Marta Olsen", "the city engineer"),
    ('Mayor Marta Olsen addressed the public: "Stay away from the river tonight."', "Marta Olsen", "Mayor"),
])
def test_speakers_behind_times_dates_and_speaking_events(body, speaker, role):
    one(body, speaker=speaker, role=role)


def test_a_quotation_ending_its_sentence_with_only_its_attribution_after_it():
    one('Marta Olsen spoke. "The bridge is safe and the city demands a review." Olsen said.',
        speaker="Marta Olsen", cue="said")
    # a new sentence that merely starts with a name is not an attribution
    assert extract("a", '"The bridge is safe for everyone." Olsen said the review was over.')[0].speaker is None


def test_he_after_a_quotation_is_the_person_the_sentence_introduced():
    body = ("Jan Berg, the mayor, spoke first. Following the vote, a city council spokesperson, "
            'Morgan Lind, indicated the council was disappointed: "We await the ruling," he said.')
    assert [(s.speaker, s.role) for s in extract("a", body) if s.kind == DIRECT] == [
        ("Morgan Lind", "a city council spokesperson")]


def test_scare_quotes_and_titles_are_not_statements():
    assert extract("a", 'The film "Bridge" opened in Oslo on Friday.') == []
    assert extract("a", 'He called the plan a "disaster" in the debate.') == []
    # naming, not speaking: a thing called "...", and "what he called" with nothing named
    assert extract("a", 'Police shut a website called "Welcome To Video" on Monday.') == []
    assert extract("a", 'Olsen rejected what she called "a witch hunt by the council".') == []


@pytest.mark.parametrize("body", [
    "",
    "\n\n\n",
    '"',
    '““““',
    '"Unbalanced quote with no end, Olsen said.',
    'An ”odd” mark and “nested “quotes” inside” here, said Olsen.',
    '“He told me: ‘Never again,’ and left,” Marta Olsen said. “Then “what?” he asked.',
    "said said said: “” “ ” ,” said.",
    "Mr. . Dr. . “x” y, said , .",
])
def test_hostile_text_never_crashes(body):
    for s in extract("a", body):
        assert 0 <= s.start <= s.end <= len(body)
        assert s.speaker is None or s.speaker.strip()


def test_very_long_quotation_is_extracted_quickly():
    words = " ".join(["word"] * 20000)
    body = f"“{words},” Marta Olsen said.\n“{words}"
    started = time.perf_counter()
    found = extract("a", body)
    assert time.perf_counter() - started < 5  # linear in the text; generous for slow machines
    assert found[0].speaker == "Marta Olsen" and len(found[0].text.split()) == 20000


def test_seed_article_statements(seed_article):
    found = extract(seed_article.id, seed_article.body, seed_article.published_at)
    by = {}
    for s in found:
        by.setdefault(s.speaker, []).append(s)
    sybiga = by["Andriy Sybiga"]
    assert [s.text for s in sybiga] == [
        "President Trump has been very generous and patient with Putin",
        "It’s time to make him feel the pain and consequences of his choices. "
        "It’s time to put maximum pressure on Moscow."]
    assert {s.role for s in sybiga} == {"Ukraine’s foreign minister"}
    assert [s.text for s in by["Viktor Tregubov"]] == ["This is not true"]
    assert by["Viktor Tregubov"][0].role.startswith("spokesperson for the Khortytsia")
    zelensky = [s for s in by["Volodymyr Zelensky"] if s.kind == DIRECT]
    assert zelensky[0].text.startswith("If the world doesn’t aim to change the regime in Russia")
    assert zelensky[0].mention == "he"
    assert by["Tymur Tkachenko"][0].role == "head of Kyiv’s military administration"
    assert by["Russia’s Ministry of Defence"][0].kind == INDIRECT
    for s in found:
        assert s.article_id == seed_article.id and s.start < s.end


def test_name_keys_ignore_case_diacritics_and_possessives():
    assert speaker_key("José Núñez") == speaker_key("NUNEZ") == "nunez"
    assert speaker_key("Marco Rubio's") == "rubio"
    assert fold("Zelenskyy’s") == "zelenskyy's"


@pytest.mark.parametrize("body, speaker, role", [
    ("“We lost,” said the Democratic candidate Hillary Clinton.", "Hillary Clinton", "the Democratic candidate"),
    ("“It is a plan,” said Sen. Chuck Schumer of New York.", "Chuck Schumer", "Sen."),
    ("“We need a plan,” said David Sandalow of Columbia University's Center.", "David Sandalow",
     "of Columbia University's Center"),
    ("“It is not over,” Quina Jones, 25, said as she marched.", "Quina Jones", None),
    ("“He is out,” Jeff Weaver, Sanders' campaign manager, said.", "Jeff Weaver", "Sanders' campaign manager"),
    ("“We won,” John Weaver, a GOP strategist who has feuded with Manafort, wrote in an email.",
     "John Weaver", "a GOP strategist who has feuded with Manafort"),
    ("“We need him,” his wife, Gabriela Lazar, wrote in a letter.", "Gabriela Lazar", "his wife"),
    ("“No comment,” Rep. Jason Chaffetz, R-Utah, said.", "Jason Chaffetz", "R-Utah"),
])
def test_names_roles_and_appositives(body, speaker, role):
    one(body, speaker=speaker, role=role)


@pytest.mark.parametrize("body, speaker", [
    ("Rep. Trey Gowdy (R-S.C.):\"I have not heard anyone cite that figure.\"", "Trey Gowdy"),
    ("In a statement released Thursday, Rep. Hakeem Jeffries reacted to the news, saying: "
     "“He should be in prison.”", "Hakeem Jeffries"),
    ("(Raphael Lemkin, who coined the word genocide, once said, “It happened so many times.”)",
     "Raphael Lemkin"),
    ("“It was a long night,” said the Rev. Peter Wherry, of Mayfield Church.", "Peter Wherry"),
    ("The hacker lives in Alexandria, Va. Marcel Lazar said he was sorry for everything.", "Marcel Lazar"),
])
def test_transcripts_participles_relative_clauses_and_abbreviations(body, speaker):
    assert [s.speaker for s in extract("a", body)] == [speaker]


@pytest.mark.parametrize("body", [
    "But even after the growth cooled, the borrowing continued.",  # not speech
    "An earlier version said the committee did not receive any money at all.",
    "Another said he supported the plan, though his family did not.",
])
def test_things_that_are_not_speakers(body):
    assert [s.speaker for s in extract("a", body)] == []


def test_sentence_start_words_are_not_part_of_names():
    body = ("Fault Ted Cruz has a plan.\nIt was his fault and nobody else knew it.\n"
            "Cruz said that he had apologized to the whole team already.")
    assert [s.speaker for s in extract("a", body)] == ["Ted Cruz"]
    assert [s.speaker for s in extract("a", "“We laugh,” Neither Johnson said.")] == ["Johnson"]


def test_two_apostrophes_as_quotation_marks_and_a_family_name_written_first():
    body = ("The finance minister, Lou Jiwei, spoke in Beijing.\n"
            "''At that time, the whole world applauded,'' Mr. Lou told a news briefing.\n"
            "The economist Jared Bernstein wrote: ''We finally may be seeing some wage acceleration.''")
    found = extract("a", body)
    assert [(s.speaker, s.kind, s.text) for s in found] == [
        ("Lou Jiwei", DIRECT, "At that time, the whole world applauded"),
        ("Jared Bernstein", DIRECT, "We finally may be seeing some wage acceleration.")]
    assert found[0].role == "The finance minister"
    for s in found:  # cut from the text as written
        assert body[s.start:s.end].rstrip(",") == s.text


def test_a_paragraph_of_only_a_quotation_goes_on_with_the_last_speaker():
    body = ("“The move to take risk off the table continues,” Chris Weston, a strategist at IG, said.\n\n"
            "“We have reached a point where there is a buyers’ strike.”\n\n"
            "Markets edged up.\n\n"
            "“This is a quote nobody is said to have said.”")
    found = extract("a", body)
    assert [s.speaker for s in found] == ["Chris Weston", "Chris Weston", None]


def test_what_the_subject_did_saying_something_is_reported_speech():
    body = ("In 2016, Mrs. Schlafly endorsed Donald J. Trump for president, saying he had ''the courage "
            "and the energy'' to do ''what the grass roots want him to do.''\n\n"
            "The ministry issued a statement on Monday, saying that the talks would resume next week.")
    found = extract("a", body)
    assert [(s.speaker, s.kind, s.cue) for s in found] == [
        ("Schlafly", INDIRECT, "saying"), ("The ministry", INDIRECT, "saying")]
    assert found[0].text.endswith("want him to do.''") and found[1].text == "the talks would resume next week."
    assert all(body[s.start:s.end] == s.text for s in found)


def test_as_someone_put_it_and_a_rank_written_no_2():
    one('As John Cornyn, the No. 2 in the GOP leadership, put it: "This person will not be confirmed."',
        speaker="John Cornyn", role="the No. 2 in the GOP leadership", cue="put it")


def test_answers_of_a_printed_interview_are_the_words_of_the_person_interviewed():
    body = ("The actress Diane Guerrero has written a memoir. Guerrero was 14 when her parents were deported.\n\n"
            "Q: What did you find when you came home?\n\n"
            "A: My parents were gone, and a neighbor told me they had been taken away.\n\n"
            "Q: What do you think of a wall on the border?\n\n"
            "A: Believe me, a wall is not going to keep people away from their families.")
    found = [s for s in extract("a", body) if s.cue == "answered"]
    assert [(s.speaker, s.kind) for s in found] == [("Diane Guerrero", DIRECT)] * 2
    assert found[1].text == "Believe me, a wall is not going to keep people away from their families."
    assert all(body[s.start:s.end] == s.text for s in found)
    # one answer is no interview
    assert not [s for s in extract("a", "Q: Why?\n\nA: Because it rained all week long.") if s.cue == "answered"]
