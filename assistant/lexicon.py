"""The words Newsdesk reads questions and news sentences with: places, organisations,
roles, countries and their adjectives, and the words news writing uses for the same event.
General English and news vocabulary, by meaning; none is keyed to a particular question."""

from __future__ import annotations

import re

MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUMBER_WORDS = set("""one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred hundreds thousand thousands million millions billion billions trillion dozen dozens
half quarter third""".split())

PLACE_WORDS = set("""airport street avenue road square hospital prison jail base island islands river
mount mountain lake sea ocean bay coast palace cathedral church mosque temple stadium arena park
station bridge hall university college school village town city county province state region
district reservation range center centre facility port harbour harbor valley forest desert
gardens garden house building tower court camp""".split())
ORG_WORDS = set("""association party group company corporation corp inc ltd llc council ministry
department agency union command committee commission organisation organization institute
university bank network club team board bureau authority federation league forces army navy
police court service services foundation fund trust society alliance coalition""".split())
ROLE_WORDS = set("""minister president spokesperson spokesman spokeswoman director head chief
commissioner judge administrator physician doctor wife husband widow son daughter mother father
leader official chairman chairwoman chair secretary governor mayor officer professor senator
representative ambassador prosecutor attorney general commander founder ceo executive manager
coach captain editor reporter analyst researcher scientist member deputy adviser advisor envoy
spokesperson inspector superintendent sergeant constable lawyer candidate nominee owner
president-elect chancellor premier king queen prince princess pope cardinal bishop""".split())

GROUP_NOUNS = {"officials", "government", "authorities", "leaders", "military", "protesters",
                "residents", "critics", "experts", "lawmakers", "activists", "unions", "opposition",
                "players", "fans", "doctors", "scientists", "police", "spokespeople"}

QUESTION_WORDS = set("""what which who whom whose when where why how did does do was were is are
has have had will would can could should the a an of""".split())

COMMON_CAPS = set("""a an the in on at of for and but or so yet if as by to from with after before during
since according however also meanwhile moreover still then there this that these those it its he she
they we i you his her their our my your who what when where why how which while although whom whose
did does do was were is are has have had will would can could should and apart once under
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december mr mrs ms dr timeline chronology until unlike among
across despite within without through against toward towards around amid beyond regarding concerning
because though unless whether whereas instead thus therefore indeed perhaps nevertheless nonetheless
besides otherwise hence both either neither each every""".split())

ROLE_PREFIXES = {w[:5] for w in ("ukrainian", "russian", "american", "british", "countryman",
                                   "countrywoman", "former", "acting", "deputy", "senior")}

PARTICLES = {"bin", "ibn", "al", "el", "de", "da", "di", "du", "van", "von", "der", "del", "la", "le",
              "y", "dos", "das", "ben"}
GEO_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
              "new", "san", "los", "las", "saint", "st", "fort", "port", "lake", "cape", "great",
              "united", "republic", "kingdom", "chapel", "times", "post", "news", "day", "prize",
              "award", "cup", "championship", "championships", "games", "olympics", "marathon"}

# words ending like agent nouns ("agronomist", "legislator", "writer"): who someone is
AGENT = re.compile(r"[a-z]{3,}(?:ist|ian|er|or|eer|ant|ent|man|woman|person)s?$")
NOT_AGENTS = {"after", "under", "other", "never", "however", "former", "later", "over", "order",
               "whether", "another", "either", "neither", "rather", "further", "together", "number",
               "matter", "water", "power", "paper", "center", "centre", "border", "letter", "major",
               "minor", "prior", "senior", "junior", "interior", "exterior", "superior", "error",
               "floor", "door", "december", "november", "october", "september", "summer", "winter"}

NOUN_GROUPS = [set(g.split()) for g in [
    "street corner intersection junction avenue road boulevard lane highway square",
    "hospital clinic medical",
    "prison jail correctional penitentiary facility",
    "airport airfield",
    "storey storeys floor floors stories",
    "people persons passengers residents",
    "team club franchise",
    "company firm corporation group",
    "car vehicle model",
    "country state nation",
]]

GROUP_STOP = {"the", "a", "an", "of", "s", "and", "for", "in", "its", "their", "led", "to", "on"}

OPENERS = {"apart", "once", "besides", "according", "under", "during", "since", "given", "among",
            "excluding", "including", "except", "following", "prior", "between", "within", "about",
            "around", "nearly", "almost", "exactly", "precisely"}
NAME_GLUE = {"of", "the", "and", "de", "da", "di", "du", "van", "von", "der", "del", "bin", "al",
              "le", "la", "for", "in", "on", "at"}

# Words news writing uses for the same event, each group one meaning: a question's word
# matches any of its group in a sentence ("died" ~ "lost their lives", "on board" ~
# "aboard"). General news vocabulary, by meaning, not by story.
SYNONYMS = [
    "die died dies dead death deaths killed kill fatalities fatal perished toll|lost their lives|death toll",
    "injure injured injuries injury wounded hurt",
    "arrest arrested arrests detain detained detention custody apprehended",
    "board aboard passengers",
    "destroy destroyed wreck wrecked damaged razed flattened collapsed",
    "fine fined penalty",
    "pick picked choose chose chosen draft drafted select selected",
    "win won winner victory beat defeated elected",
    "lose lost losing defeat",
    "start started begin began triggered sparked|broke out",
    "buy bought acquire acquired acquisition purchase purchased",
    "sell sold sale",
    "pay paid price cost",
    "build built construct constructed",
    "storey storeys floor floors stories",
    "born native|birth",
    "resign resigned quit",
    "leave left depart departed",
    "find found discover discovered uncover uncovered locate located",
    "fire blaze flames",
    "attack strike assault raid bombing",
    "launch launched fired",
    "sentence sentenced jailed term",
    "suspend suspended halt halted postpone postponed cancel cancelled",
    "vote votes voters ballots turnout",
    "route distance journey",
    "flight journey trip crossing",
    "take took taken lasted last",
    "rule ruling ruled verdict decision",
    "ban banned bar barred prohibit prohibited",
    "hold held host hosted",
    "cause caused reason blamed",
    "succeed successor|take over",
    "name named nicknamed called dubbed",
    "proportion share percentage percent",
    "shortage shortages lack",
    "protest protests protesters demonstration demonstrations rally",
    "meet met meeting summit talks",
    "agreement deal pact accord treaty",
    "relate related cousin brother sister son daughter nephew uncle father mother",
    "carry carrying carried bring bringing brought transport transporting cargo freight",
    "burst broke broken rupture ruptured",
    "mps lawmakers legislators deputies parliamentarians|members of parliament",
    "fall fell fallen drop dropped decline declined decrease decreased plunge plunged",
    "rise rose risen increase increased grow grew jump jumped climb climbed soar soared",
    "global globally worldwide world|around the world|across the globe",
    "case cases infected infection infections|tested positive",
    "tally total count",
    "coronavirus covid virus sars",
    "american americans|united states",
]

# each group as (its words, its phrases): "die died ...|lost their lives" -> (("die", ...), ("lost their lives",))
SYNONYM_GROUPS = [(tuple(words.split()), tuple(phrases)) for words, *phrases in (g.split("|") for g in SYNONYMS)]

DEMONYMS = [{"us", "usa", "american", "americans", "america", "united states", "washington"},
            {"uk", "british", "britain", "united kingdom", "england", "english"},
            {"greece", "greek", "greeks"}, {"france", "french"}, {"netherlands", "dutch", "holland"},
            {"switzerland", "swiss"}, {"spain", "spanish"}, {"ireland", "irish"}, {"wales", "welsh"},
            {"scotland", "scottish", "scots"}, {"philippines", "filipino", "philippine"},
            {"thailand", "thai"}, {"china", "chinese"}, {"japan", "japanese"}, {"denmark", "danish"},
            {"sweden", "swedish"}, {"finland", "finnish"}, {"norway", "norwegian"}, {"poland", "polish"},
            {"turkey", "turkish"}, {"iraq", "iraqi"}, {"israel", "israeli"}, {"pakistan", "pakistani"},
            {"bangladesh", "bangladeshi"}, {"yemen", "yemeni"}, {"kuwait", "kuwaiti"},
            {"saudi arabia", "saudi"}, {"new zealand", "kiwi"}, {"vatican", "holy see"},
            {"belarus", "belarusian"}, {"slovakia", "slovak"}, {"czech republic", "czech", "czechia"},
            {"portugal", "portuguese"}, {"lebanon", "lebanese"}, {"vietnam", "vietnamese"},
            {"congo", "congolese"}, {"sudan", "sudanese"}, {"peru", "peruvian"},
            # of two words, which would read as a person's name ("Puerto Rican")
            {"puerto rico", "puerto rican", "puerto ricans"}, {"south africa", "south african", "south africans"},
            {"north korea", "north korean", "north koreans"}, {"south korea", "south korean", "south koreans"},
            {"costa rica", "costa rican"}, {"sri lanka", "sri lankan"}, {"latin america", "latin american"},
            {"saudi arabian"}, {"sierra leone", "sierra leonean"}, {"el salvador", "salvadoran"}]
DEMONYM = {w: group for group in DEMONYMS for w in group}
