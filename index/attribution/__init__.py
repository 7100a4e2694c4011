"""Who said what: attributed statements extracted from an article's text.

Rules of news writing, no model: a quotation ("..." or “...”) is attributed by the
speaker and speech verb next to it — ``"...," X said``, ``"...," said X, the <role>``,
``X said: "..."``, ``according to X, "..."`` — and an interrupted quotation
(``"The first part," X said, "and the rest."``) is one statement. A quotation with no
speaker of its own that follows an attributed one in the same paragraph continues it;
a quotation left open at a paragraph's end and reopened at the next one runs on.
Reported speech (``X said that ...``, ``X warned that ...``) is a second kind,
``indirect``. Speakers are resolved within the article: a surname or "Mr. X" to the
fullest form of the name used ("Sybiga" -> "Andriy Sybiga"), "he"/"she" to the nearest
person named before the sentence whom the article calls so, a role taken from the text
("Ukraine's foreign minister"). Organisations ("the Kremlin", "Russia's Ministry of
Defence") stay as written. A quotation whose speaker cannot be found is kept with
``speaker=None``: never guessed.

``lexicon`` holds the word lists, ``phrases`` reads quotations and speaker phrases,
``extractor`` puts them together per article.
"""

from .extractor import DIRECT, INDIRECT, VERSION, Statement, extract, fold, name_words, speaker_key

__all__ = ["DIRECT", "INDIRECT", "VERSION", "Statement", "extract", "fold", "name_words",
           "speaker_key"]
