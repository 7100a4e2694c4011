"""Word lists and patterns of news attribution: speech verbs, titles, connectors."""

from __future__ import annotations

import re

# speech verbs that attribute a quotation, present and past
CUES = frozenset("""
said says say told tells added adds asked asks wrote writes tweeted tweets posted posts stated states
explained explains noted notes argued argues claimed claims insisted insists warned warns continued
continues acknowledged acknowledges admitted admits conceded concedes declared declares announced
announces replied replies responded responds answered answers recalled recalls remarked remarks stressed
stresses emphasized emphasised emphasizes observed observes suggested suggests predicted predicts
complained complains joked jokes quipped quips cautioned cautions urged urges vowed vows promised
promises countered counters shouted yelled testified concluded concludes agreed agrees confirmed
confirms denied denies reported reports recounted mused maintained maintains contended contends
asserted asserts boasted boasts charged charges pointed lamented laments pledged pledges exclaimed
repeated repeats interjected wondered wonders demanded demands
""".split())
# 'X called the move a "smash and grab"': the speaker's words, in the words they chose
NAMING = frozenset("called calls dubbed dubs described describes labelled labeled labels branded brands termed terms".split())
# 'X spoke on Morning Joe when he made the announcement: "...': a colon after one of these
SPEECH_EVENTS = frozenset("""spoke speaking announcement statement speech interview message address addressed
remarks broadcast livestream press conference""".split())
MONTHS = frozenset("""january february march april may june july august september october november
december""".split())
# "..., X said." and "..., said X.": only verbs that are speech in any context
TRAILING_CUES = frozenset("""said says added adds wrote writes told tells explained noted argued insisted
warned stated claimed declared tweeted asked""".split())
# reported speech needs one of these followed by "that" (say/tell may drop it)
THAT_OPTIONAL = frozenset("said says told tells".split())
PRONOUNS = frozenset({"he", "she", "they"})
ADVERBS = frozenset("""also later then previously once recently again simply further earlier
repeatedly flatly firmly quickly bluntly publicly privately separately yesterday today""".split())
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. miss dr dr. sir dame".split())
# capitalised words that make the start of a name run a title, not a name
TITLE_WORDS = frozenset("""
president vice secretary sen. sen senator rep. rep representative gov. gov governor mayor minister
prime foreign defence defense interior finance chancellor gen. gen general lt. col. adm. admiral
judge justice speaker chairman chairwoman chair director chief executive ceo coo cfo spokesman
spokeswoman spokesperson leader whip attorney press deputy assistant former state treasury
commerce energy labor health education affairs house senate majority minority campaign manager
officer ambassador commander king queen prince princess pope rev. rev bishop archbishop cardinal
professor prof. candidate nominee chairperson head mr. mrs. ms. dr. democratic republican gop
presidential
""".split())
# the titles that make a role on their own ("State" of "Secretary of State" does not)
HEAD_TITLES = frozenset("""president secretary sen. senator rep. representative gov. governor mayor
minister chancellor judge justice speaker chairman chairwoman chair director ceo spokesman spokeswoman
spokesperson leader whip attorney ambassador commander king queen prince princess pope rev. bishop
archbishop cardinal professor prof. candidate nominee manager officer general gen. admiral adm. lt.
col.""".split())
CONNECTORS = frozenset("of de da del della van von der den du la le bin al el ibn di dos".split())
SPEAKER_STOP = frozenset("""in on at during when after before as while because via through from
to with last this yesterday today tonight earlier later about since according who which that
monday tuesday wednesday thursday friday saturday sunday""".split())
OPENERS = frozenset("""but and so yet still however meanwhile then also now instead here there
thus when while after before if as another neither does did is are was were can could should would
will has have had outside inside either both not what how why where despite although though during under with without like unlike
among against over through since until upon within across behind beyond besides about above below
for from in on at by to into onto toward towards of even only just yes no asked meanwhile""".split())
CONTRACTIONS = frozenset("""it's it’s that's that’s there's there’s he's he’s she's she’s what's what’s
let's let’s who's who’s here's here’s""".split())
OBJECTS = frozenset("him her them me us reporters journalists supporters voters crowd audience".split())
PERSON_NOUNS = frozenset("""spokesman spokeswoman spokesperson official aide adviser advisor voter
resident member leader analyst expert source lawyer attorney strategist consultant staffer organizer
organiser supporter critic activist protester delegate donor lawmaker senator governor mayor
president minister secretary director chairman chairwoman chair officer agent investigator
prosecutor judge witness police doctor nurse teacher student professor economist pollster
researcher scientist worker employee owner manager executive woman man person people friend
neighbor neighbour mother father son daughter wife husband relative veteran soldier survivor victim
campaign administration government ministry""".split())
ROLE_NOUNS = frozenset("""councilmember councilman councilwoman commissioner chief head host anchor
columnist correspondent reporter editor author writer actor actress singer comedian coach player
founder partner fellow pastor rabbi priest imam sheriff trooper lieutenant captain sergeant
colonel major expert adviser advisor aide strategist consultant""".split())
GROUPS = frozenset("""democrats republicans americans conservatives liberals progressives
evangelicals officials critics supporters voters""".split())
_CAPITAL_CUES = frozenset(c.capitalize() for c in CUES)
DETERMINERS = frozenset("a an the one two three some several many other another his her their its our".split())
ORG_WORDS = frozenset("""ministry department party committee campaign council agency office house
kremlin police army force forces court commission company inc corp corporation group association
university union organization organisation bureau service government administration command staff
spokesman spokeswoman spokesperson officials official authorities parliament senate congress
cabinet embassy network news times post press foundation institute center centre board""".split())

_OPEN = "“„«"
_CLOSE = "”»"
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W_][\w’'\-]*\.?|[,:;—–()]")
_SENT_END = re.compile(
    r"(?<![A-Z])(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)"
    r"(?<!\bGen)(?<!\bLt)(?<!\bCol)(?<!\bRev)(?<!\bSgt)(?<!\bGov)(?<!\bProf)(?<!\bCapt)(?<!\bNo)[.!?](?=\s|$)")
_PARTY_STATE = re.compile(r"^[RDI]-[A-Z][\w.\-]*$")  # "R-Utah", "D-N.Y."
AUXILIARIES = frozenset("may might have has had will would could should did does do is was".split())
_BOUNDARY = frozenset({";", ":", "—", "–", "(", ")"})
_CLAUSE_WORDS = frozenset("and but while because when if though although".split())
_RELATIVE = frozenset({"who", "which", "whose"})
PARTICIPLES = frozenset("""saying adding writing noting telling arguing warning explaining asking
insisting declaring tweeting stating claiming""".split())
_STATES = ("Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|"
           "Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo|D\\.C|N\\.[CDHJMY]|S\\.[CD]")
_STATE_ABBREV = re.compile(rf"^(?:{_STATES})\.$")
_SENTENCE_CUT = re.compile(rf".*(?:[a-z]{{2}}|\b[A-Z]{{3,}}|\b(?:{_STATES}))\.\s+")  # "ABSTRACT. Donald"
_APPOSITIVE = re.compile(r",[ \u00a0]+([^,.;:\"“”()\n]{3,120}?)(?=[,.;]|$)")
