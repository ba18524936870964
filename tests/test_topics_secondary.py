"""Topic tagging: how an article's weaker (secondary) subjects are chosen, the rule file's
loader, and secondary subjects that wire stories often carry."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from feedtool.tagging.base import TagText
from feedtool.tagging.topics import TopicRule, TopicSettings, TopicTagger, load_rules

TAGGER = TopicTagger()
TOP = {f"medtop:{n:02d}000000" for n in range(1, 18)}
SPORT, ECONOMY = "medtop:15000000", "medtop:04000000"

# Invented words, so that the scores below come from these rules alone.
RULES = {SPORT: TopicRule(strong=("quixblat",)), ECONOMY: TopicRule(strong=("flurbnic",))}


def _tops(tagger: TopicTagger, title: str, lead: str, body: str = "") -> set[str]:
    return {t.id for t in tagger.tag(TagText(title, None, lead, body)) if t.id in TOP}


def _tagger(**kwargs: float) -> TopicTagger:
    return TopicTagger(TopicSettings(threshold=1.0, rules=RULES, **kwargs))  # type: ignore[arg-type]


# The main subject: 'quixblat' in the title (3 x 2) and lead (3 x 1.5 x 0.5) = 8.25.
TITLE, LEAD = "Quixblat news", "A quixblat day."
# Only in the body: 3 + 1.5 + 0.75 + 0.375 = 5.625, about 0.68 of the main subject.
BODY_ONLY = "Flurbnic. Flurbnic. Flurbnic. Flurbnic."


def test_a_weaker_subject_only_in_the_body_needs_body_only_relative() -> None:
    assert _tops(_tagger(), TITLE, LEAD, BODY_ONLY) == {SPORT}
    assert _tops(_tagger(body_only_relative=0.6), TITLE, LEAD, BODY_ONLY) == {SPORT, ECONOMY}


def test_a_weaker_subject_named_in_the_lead_needs_only_min_relative() -> None:
    # 'flurbnic' in the lead (3 x 1.5) and again in the body (3 x 0.5): 6.0, about 0.73.
    lead = "A quixblat day, and flurbnic."
    assert _tops(_tagger(), TITLE, lead, "Flurbnic.") == {SPORT, ECONOMY}
    assert _tops(_tagger(min_relative=0.8), TITLE, lead, "Flurbnic.") == {SPORT}


def test_the_strongest_subject_is_kept_even_when_only_the_body_names_it() -> None:
    assert _tops(_tagger(), "News", "A day.", BODY_ONLY) == {ECONOMY}


def test_on_equal_strength_the_branch_with_specific_evidence_is_kept() -> None:
    """Four subjects of equal score and room for three: the one resting only on a
    medium (generic) phrase gives way, whatever its id."""
    rules = {
        "medtop:01000000": TopicRule(medium=("zorbly", "zorblax", "zorbit")),
        "medtop:09000000": TopicRule(strong=("quennic", "quennax")),
        "medtop:14000000": TopicRule(strong=("plimvat", "plimvax")),
        "medtop:16000000": TopicRule(strong=("traxwel", "traxwax")),
    }
    tagger = TopicTagger(TopicSettings(threshold=1.0, max_leaves=3, rules=rules))
    # In the lead (x 1.5): three medium phrases, 3 x 2 x 1.5 = 9.0; two strong, 2 x 3 x 1.5.
    lead = "Zorbly zorblax zorbit, quennic quennax, plimvat plimvax, traxwel traxwax."
    scores = {t.id: t.score for t in tagger.tag(TagText("Qwv", None, lead, ""))}
    assert len(set(scores.values())) == 1, scores
    assert set(scores) == {"medtop:09000000", "medtop:14000000", "medtop:16000000"}


def _strict(**kwargs: float) -> TopicTagger:
    """A threshold that the title alone (3 x 2 = 6.0) does not reach."""
    return TopicTagger(TopicSettings(threshold=8.0, rules=RULES, **kwargs))  # type: ignore[arg-type]


def test_a_brief_keeps_its_headline_subject_below_the_threshold() -> None:
    assert _tops(_strict(), "Quixblat news", "A day.") == {SPORT}
    assert _tops(_strict(headline_fallback=0.0), "Quixblat news", "A day.") == set()
    assert _tops(_strict(headline_fallback=0.8), "Quixblat news", "A day.") == set()


def test_the_fallback_needs_the_title_or_lead_and_only_fills_an_empty_result() -> None:
    # Named only in the body: still no topic.
    assert _tops(_strict(), "News", "A day.", "Quixblat. Quixblat. Quixblat.") == set()
    # A subject reaching the threshold: the weaker one named in the lead is not added.
    found = _tops(_strict(), "Quixblat news", "A quixblat day, and flurbnic.")
    assert found == {SPORT}
    # Two named below the threshold, both above the fallback's share: only the stronger.
    assert _tops(_strict(headline_fallback=0.5), "Quixblat news", "Flurbnic.") == {SPORT}
    assert _tops(_strict(headline_fallback=0.5), "News", "Flurbnic.") == {ECONOMY}


# A companion pair of invented words: 'quixblat' makes the weather branch the main subject,
# 'flurbnic' (lead only, 3 x 1.5 = 4.5) the disaster branch at 4.5 / 8.25, about 0.55.
WEATHER, DISASTER = "medtop:17000000", "medtop:03000000"
PAIR = {WEATHER: TopicRule(strong=("quixblat",)), DISASTER: TopicRule(strong=("flurbnic",))}


def _paired(**kwargs: object) -> TopicTagger:
    return TopicTagger(TopicSettings(threshold=1.0, rules=PAIR, min_relative=0.6, **kwargs))  # type: ignore[arg-type]


def test_a_companion_of_the_main_subject_needs_only_its_share() -> None:
    lead = "A quixblat day, and flurbnic."
    assert _tops(_paired(), TITLE, lead) == {WEATHER, DISASTER}
    assert _tops(_paired(companions={}), TITLE, lead) == {WEATHER}
    assert _tops(_paired(companions={WEATHER: {DISASTER: 0.6}}), TITLE, lead) == {WEATHER}


def test_a_companion_must_be_named_at_the_top_and_follow_the_main_subject() -> None:
    # Only in the body: the usual bar (body_only_relative) applies.
    assert _tops(_paired(), TITLE, LEAD, "Flurbnic.") == {WEATHER}
    # The pair is one-way: weather behind a disaster story needs min_relative.
    rules = {WEATHER: TopicRule(strong=("flurbnic",)), DISASTER: TopicRule(strong=("quixblat",))}
    tagger = TopicTagger(TopicSettings(threshold=1.0, rules=rules, min_relative=0.6))
    assert _tops(tagger, TITLE, "A quixblat day, and flurbnic.") == {DISASTER}


def test_companions_take_known_top_level_ids() -> None:
    with pytest.raises(ValueError, match="unknown topic id"):
        TopicTagger(TopicSettings(companions={WEATHER: {"medtop:99000000": 0.3}}))
    with pytest.raises(ValueError, match="top-level"):
        TopicTagger(TopicSettings(companions={WEATHER: {"medtop:20000148": 0.3}}))


def test_body_only_relative_is_documented_with_its_default() -> None:
    field = TopicSettings.__dataclass_fields__["body_only_relative"]
    assert field.default == 0.8
    assert "title" in field.metadata["help"]


def test_rules_load_the_same_with_libyaml_and_pure_python() -> None:
    text = (
        resources.files("feedtool.tagging")
        .joinpath("data/topics_rules.yaml")
        .read_text(encoding="utf-8")
    )
    pure = yaml.load(text, Loader=yaml.SafeLoader)
    fast = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert fast == pure
    rules = load_rules()
    assert set(rules) == set(pure)
    for topic, rule in rules.items():
        for kind in ("strong", "medium", "weak", "negative", "cues"):
            phrases = getattr(rule, kind)
            assert phrases == tuple(pure[topic].get(kind, ())), (topic, kind)
            assert all(isinstance(p, str) and p for p in phrases), (topic, kind)


# (title, lead, topics that must be present, topics that must be absent)
CASES = [
    (
        "New comedy tops the weekend box office",
        "The comedy grossed $40 million in its opening weekend, the studio said, ahead of a "
        "horror film that opened in 2,000 theatres.",
        {"medtop:01000000", ECONOMY},
        set(),
    ),
    (
        "Weekly flights between the two capitals to double",
        "The number of direct flights between the two capitals will rise to ten a week, the "
        "civil aviation authority said.",
        {ECONOMY},
        {"medtop:10000000"},
    ),
    (
        "Heavy snow and flash floods hit the north",
        "Flash floods swept away cars and heavy snow closed roads, and rescue teams reached "
        "stranded drivers.",
        {"medtop:17000000", "medtop:03000000"},
        set(),
    ),
    (
        "Security firm says spam and malware rose this year",
        "Spammers sent more junk email than ever, and malware spread through botnets of hacked "
        "computers, a security firm said.",
        {"medtop:02000000", "medtop:13000000"},
        set(),
    ),
    (
        "Thousands of nurses emigrate every year, official says",
        "A brain drain of skilled workers: nurses leave for jobs abroad over low pay and "
        "working conditions, an official said.",
        {"medtop:09000000"},
        set(),
    ),
    (
        "Families get ready for New Year celebrations",
        "Families decorate their homes with Christmas trees and lights for the festive season "
        "and the New Year's Eve fireworks.",
        {"medtop:10000000"},
        set(),
    ),
    (
        "Theme park opens new roller coaster",
        "The theme park's new roller coaster and water slides are its biggest new attractions "
        "this summer.",
        {"medtop:10000000"},
        set(),
    ),
    (
        "Cable company in talks on mobile phone deal",
        "The cable company would offer mobile phone services over a wireless carrier's mobile "
        "network, adding telephony to its broadband package.",
        {ECONOMY, "medtop:13000000"},
        set(),
    ),
    (
        "Governments warn citizens against travelling to areas hit by tsunami",
        "The State Department issued travel warnings, urging citizens to postpone all "
        "non-essential travel to the areas devastated by the tsunami.",
        {"medtop:03000000", "medtop:11000000"},
        {"medtop:10000000"},
    ),
    (
        "Holidaymakers travel across the country for Nowruz",
        "With the Persian New Year, holidaymakers travel to resorts and to visit relatives "
        "during the Nowruz holidays.",
        {"medtop:10000000"},
        {"medtop:12000000"},
    ),
    (
        "President's speech draws mixed reactions from bloggers",
        "The president's address to the Muslim world was praised by some bloggers and "
        "criticised by others, who said the government's policy had not changed.",
        {"medtop:11000000"},
        {"medtop:12000000"},
    ),
    (
        "Longer maternity leave causes media outcry",
        "A law that extends paid maternity leave from 120 to 180 days was signed by the "
        "president; companies will get tax breaks.",
        {"medtop:09000000"},
        {"medtop:01000000"},
    ),
    (
        "Maids in the Gulf: 'Domestic workers have no rights'",
        "Migrant domestic workers say their employers take their passports under the "
        "kafala sponsorship system.",
        {"medtop:09000000"},
        set(),
    ),
    (
        "Bus plunges into ravine",
        "At least 20 passengers died when the bus fell into a ravine on a mountain road.",
        {"medtop:03000000"},
        set(),
    ),
    (
        "Chipmaker unveils a faster processor",
        "The company said its new chips are twice as fast as the previous generation.",
        {"medtop:13000000"},
        set(),
    ),
    (
        "Refugees open a school while they wait for resettlement",
        "Refugees who cannot work or travel started classes for their children.",
        {"medtop:14000000", "medtop:05000000"},
        set(),
    ),
    (
        "Pilgrims mark the holy day while observing health protocols",
        "Worshippers wore face masks and kept social distancing in the mosques.",
        {"medtop:12000000", "medtop:07000000"},
        set(),
    ),
    (
        "Teachers stage sickout over pay",
        "Teachers called in sick in a sickout to protest low pay and crumbling buildings, "
        "closing most of the city's schools.",
        {"medtop:09000000"},
        set(),
    ),
    (
        "Sculptor of the famous bull statue objects to a new statue",
        "The sculptor says the new bronze statue changes the meaning of his work.",
        {"medtop:01000000"},
        set(),
    ),
    (
        "Medical professionals end unsuccessful strike",
        "After striking for 27 days, the doctors ended their protest over pay; the strikers "
        "won no concession.",
        {"medtop:09000000"},
        {"medtop:15000000"},
    ),
    (
        "Crowds queue for the rare corpse flower",
        "Thousands queued at the botanic garden to see the rare plant in bloom.",
        {"medtop:06000000"},
        set(),
    ),
    (
        "Carmaker to close its plant",
        "The carmaker said it would close the plant, cutting 900 jobs.",
        {"medtop:04000000"},
        {"medtop:06000000"},
    ),
    (
        "Lake's water level rises after heavy rains",
        "The salt lake, which had lost most of its water to drought and dams, is recovering.",
        {"medtop:06000000"},
        set(),
    ),
    (
        "Tourism official invites the world to spend Christmas in the country",
        "Tourism officials hope to lure foreign tourists, who bring a boost to the economy.",
        {"medtop:10000000", "medtop:04000000"},
        set(),
    ),
    (
        "Collectors' passions vary from buttons to beer bottles",
        "Stamp collectors and coin collectors swap memorabilia at flea markets.",
        {"medtop:10000000"},
        set(),
    ),
    (
        "Heavy snow blankets the north",
        "Heavy snowfall closed schools; roads were closed and villagers were stranded "
        "as temperatures fell below freezing.",
        {"medtop:17000000", "medtop:03000000"},
        set(),
    ),
    (
        "Murderer of film director nabbed",
        "The murderer of the slain movie director has been apprehended, police said.",
        {"medtop:02000000"},
        set(),
    ),
    (
        "Small-town bookstore thrives on bargains",
        "Customers drive hours to buy used books at low prices from the bookstore.",
        {"medtop:04000000"},
        set(),
    ),
    (
        "Man piggybacks his 100-year-old father to the polling station",
        "A man who carried his father on his back to vote in the election went viral.",
        {"medtop:08000000", "medtop:11000000"},
        set(),
    ),
    (
        "Jobless rate climbs as factories shed staff",
        "The unemployment rate rose to 6 percent last month, the jobs report showed.",
        {"medtop:09000000", "medtop:04000000"},
        set(),
    ),
    (
        "Tropical storm makes landfall, knocking out power",
        "The storm surge swept away homes and downed power lines along the coast.",
        {"medtop:17000000", "medtop:03000000"},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("title", "lead", "present", "absent"), CASES, ids=[c[0][:40] for c in CASES]
)
def test_secondary_subjects_of_wire_stories(
    title: str, lead: str, present: set[str], absent: set[str]
) -> None:
    found = _tops(TAGGER, title, lead)
    assert present <= found, found
    assert not absent & found, found


# Words of one topic inside another's phrase (title, lead, topic that must be absent).
TRAPS = [
    (
        "Jury recommends the death penalty",
        "The jury recommended the death penalty for the murder of his wife.",
        SPORT,
    ),
    (
        "President rings the school bell",
        "The president rang the bell to open the school year.",
        SPORT,
    ),
    (
        "Computer virus spreads by email",
        "A computer virus spread through email attachments, the security company said.",
        "medtop:07000000",
    ),
    (
        "Force only as a last resort, minister says",
        "The defence minister said military force would be used only as a last resort.",
        "medtop:10000000",
    ),
    (
        "Minister resigns over housing scandal",
        "The minister resigned, a spokesman said in an email, after reports on the scandal.",
        "medtop:13000000",
    ),
    (
        "Ceasefire offer is a bargaining chip, analysts say",
        "The rebels use the ceasefire offer as a bargaining chip in the talks.",
        "medtop:13000000",
    ),
    (
        "Rescued animals need more space",
        "The wildlife rescue centre cares for rescued animals such as bears and gibbons.",
        "medtop:03000000",
    ),
    (
        "Game of Thrones sets an Emmy nominations record",
        "The fantasy drama's final season won 32 nominations; fans of the series cheered.",
        SPORT,
    ),
    (
        "Tax collectors seize a company's assets",
        "The tax collectors seized the assets over unpaid taxes.",
        "medtop:10000000",
    ),
    (
        "Rebels attack a prison as troops pull back",
        "Rebels stormed the prison after army troops withdrew; soldiers and the military "
        "said fighting went on.",
        "medtop:11000000",
    ),
    (
        "Ruling party wins the election",
        "The ruling party won a majority of seats in parliament.",
        "medtop:02000000",
    ),
]


@pytest.mark.parametrize(("title", "lead", "absent"), TRAPS, ids=[t[0][:40] for t in TRAPS])
def test_words_inside_other_phrases_do_not_make_a_subject(
    title: str, lead: str, absent: str
) -> None:
    assert absent not in _tops(TAGGER, title, lead)
