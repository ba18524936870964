"""Deterministic synthetic news corpus for benchmarks: wire copy, Markdown and Pelican forms.

Every article is ~600 words of wire-style prose about one or two countries (capital
datelines, cities, demonyms, officials) and one or two topics (politics, economy,
health, climate, sport…), built from seeded random choices, so the taggers do real
work and the same seed always gives the same bytes.

    python benchmarks/corpus.py --n 10000 --out /tmp/corpus-10k
    # -> /tmp/corpus-10k/{wire,markdown,pelican}/ and config.yaml (content: markdown)

Forms:
- ``wire/``: ``YYYY-MM-DD-slug.txt``, headline line, ``CITY – `` dateline, paragraphs and a
  Creative Commons footer (the date comes from the file name);
- ``markdown/``: ``YYYY-MM-DD-slug.md`` with YAML front matter (title, date, source, license);
- ``pelican/``: the same Markdown with Pelican's ``Key: value`` header, the generator's
  intended region as ``Category`` and regions + topics as ``Tags``.
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

# (country, capital, other cities, demonym, officials' titles)
COUNTRIES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("Iran", "Tehran", ("Isfahan", "Mashhad", "Tabriz", "Shiraz"), "Iranian"),
    ("Russia", "Moscow", ("Saint Petersburg", "Kazan", "Novosibirsk"), "Russian"),
    ("Armenia", "Yerevan", ("Gyumri", "Vanadzor"), "Armenian"),
    ("France", "Paris", ("Lyon", "Marseille", "Toulouse"), "French"),
    ("Germany", "Berlin", ("Hamburg", "Munich", "Cologne", "Frankfurt"), "German"),
    ("Kenya", "Nairobi", ("Mombasa", "Kisumu"), "Kenyan"),
    ("Nigeria", "Abuja", ("Lagos", "Kano", "Ibadan"), "Nigerian"),
    ("Brazil", "Brasília", ("São Paulo", "Rio de Janeiro", "Salvador"), "Brazilian"),
    ("Argentina", "Buenos Aires", ("Córdoba", "Rosario", "Mendoza"), "Argentine"),
    ("India", "New Delhi", ("Mumbai", "Bengaluru", "Chennai", "Kolkata"), "Indian"),
    ("Pakistan", "Islamabad", ("Karachi", "Lahore", "Peshawar"), "Pakistani"),
    ("China", "Beijing", ("Shanghai", "Shenzhen", "Wuhan"), "Chinese"),
    ("Japan", "Tokyo", ("Osaka", "Kyoto", "Sapporo"), "Japanese"),
    ("Indonesia", "Jakarta", ("Surabaya", "Bandung", "Medan"), "Indonesian"),
    ("Philippines", "Manila", ("Cebu", "Davao"), "Filipino"),
    ("Mexico", "Mexico City", ("Guadalajara", "Monterrey", "Tijuana"), "Mexican"),
    ("Canada", "Ottawa", ("Toronto", "Montreal", "Vancouver"), "Canadian"),
    ("Egypt", "Cairo", ("Alexandria", "Giza", "Luxor"), "Egyptian"),
    ("Turkey", "Ankara", ("Istanbul", "Izmir", "Bursa"), "Turkish"),
    ("Ukraine", "Kyiv", ("Kharkiv", "Odesa", "Lviv"), "Ukrainian"),
    ("Poland", "Warsaw", ("Kraków", "Gdańsk", "Wrocław"), "Polish"),
    ("Spain", "Madrid", ("Barcelona", "Valencia", "Seville"), "Spanish"),
    ("Italy", "Rome", ("Milan", "Naples", "Turin"), "Italian"),
    ("South Africa", "Pretoria", ("Johannesburg", "Cape Town", "Durban"), "South African"),
    ("Ethiopia", "Addis Ababa", ("Dire Dawa", "Mekelle"), "Ethiopian"),
    ("Ghana", "Accra", ("Kumasi", "Tamale"), "Ghanaian"),
    ("Colombia", "Bogotá", ("Medellín", "Cali", "Cartagena"), "Colombian"),
    ("Peru", "Lima", ("Arequipa", "Cusco"), "Peruvian"),
    ("Chile", "Santiago", ("Valparaíso", "Antofagasta"), "Chilean"),
    ("Australia", "Canberra", ("Sydney", "Melbourne", "Perth"), "Australian"),
    ("Vietnam", "Hanoi", ("Ho Chi Minh City", "Da Nang"), "Vietnamese"),
    ("Thailand", "Bangkok", ("Chiang Mai", "Phuket"), "Thai"),
    ("Bangladesh", "Dhaka", ("Chittagong", "Khulna"), "Bangladeshi"),
    ("Iraq", "Baghdad", ("Basra", "Mosul", "Erbil"), "Iraqi"),
    ("Syria", "Damascus", ("Aleppo", "Homs"), "Syrian"),
    ("Lebanon", "Beirut", ("Tripoli", "Sidon"), "Lebanese"),
    ("Jordan", "Amman", ("Irbid", "Aqaba"), "Jordanian"),
    ("Saudi Arabia", "Riyadh", ("Jeddah", "Mecca", "Dammam"), "Saudi"),
    ("Morocco", "Rabat", ("Casablanca", "Marrakesh", "Fez"), "Moroccan"),
    ("Tunisia", "Tunis", ("Sfax", "Sousse"), "Tunisian"),
    ("Senegal", "Dakar", ("Thiès", "Saint-Louis"), "Senegalese"),
    ("Uganda", "Kampala", ("Gulu", "Entebbe"), "Ugandan"),
    ("Tanzania", "Dodoma", ("Dar es Salaam", "Arusha"), "Tanzanian"),
    ("Venezuela", "Caracas", ("Maracaibo", "Valencia"), "Venezuelan"),
    ("Cuba", "Havana", ("Santiago de Cuba",), "Cuban"),
    ("Sweden", "Stockholm", ("Gothenburg", "Malmö"), "Swedish"),
    ("Norway", "Oslo", ("Bergen", "Trondheim"), "Norwegian"),
    ("Greece", "Athens", ("Thessaloniki", "Patras"), "Greek"),
    ("Serbia", "Belgrade", ("Novi Sad", "Niš"), "Serbian"),
    ("Georgia", "Tbilisi", ("Batumi", "Kutaisi"), "Georgian"),
    ("Kazakhstan", "Astana", ("Almaty", "Shymkent"), "Kazakh"),
    ("Afghanistan", "Kabul", ("Kandahar", "Herat"), "Afghan"),
    ("Nepal", "Kathmandu", ("Pokhara",), "Nepali"),
    ("Sri Lanka", "Colombo", ("Kandy", "Galle"), "Sri Lankan"),
    ("Malaysia", "Kuala Lumpur", ("Penang", "Johor Bahru"), "Malaysian"),
    ("South Korea", "Seoul", ("Busan", "Incheon"), "South Korean"),
    ("United Kingdom", "London", ("Manchester", "Birmingham", "Glasgow"), "British"),
    ("Ireland", "Dublin", ("Cork", "Galway"), "Irish"),
    ("Portugal", "Lisbon", ("Porto", "Coimbra"), "Portuguese"),
    ("Netherlands", "Amsterdam", ("Rotterdam", "Utrecht"), "Dutch"),
)

# topic -> (vocabulary phrases that make the topic visible to a tagger, headline nouns)
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "politics": (
        (
            "the parliament voted on the bill",
            "the election commission published the results",
            "the opposition party called for a referendum",
            "the foreign minister met his counterpart",
            "the government coalition faced a vote of no confidence",
            "diplomatic relations between the two countries",
            "the president signed the decree",
        ),
        ("talks", "vote", "election", "summit", "cabinet reshuffle"),
    ),
    "economy": (
        (
            "the central bank raised interest rates",
            "inflation rose to its highest level in a decade",
            "the stock market closed lower",
            "exports of oil and gas increased",
            "the budget deficit widened",
            "unemployment fell for the third quarter",
            "the trade agreement cut tariffs on imports",
        ),
        ("inflation", "budget", "trade deal", "currency slide", "investment plan"),
    ),
    "health": (
        (
            "the health ministry reported new cases of cholera",
            "hospitals were short of doctors and nurses",
            "a vaccination campaign against measles began",
            "the epidemic spread to rural districts",
            "the World Health Organization sent medical supplies",
        ),
        ("outbreak", "vaccination drive", "hospital strike", "health reform"),
    ),
    "environment": (
        (
            "floods displaced thousands of families",
            "the drought destroyed much of the harvest",
            "carbon emissions from coal plants",
            "deforestation in the river basin accelerated",
            "air pollution in the capital reached hazardous levels",
            "the climate change conference agreed on a fund",
        ),
        ("floods", "drought", "climate pledge", "pollution alert", "wildfire"),
    ),
    "education": (
        (
            "teachers went on strike over pay",
            "university students protested tuition fees",
            "the school curriculum was revised",
            "exam results were published for secondary schools",
        ),
        ("school reform", "teachers' strike", "university fees"),
    ),
    "crime": (
        (
            "police arrested several suspects",
            "the court sentenced the former mayor for corruption",
            "prosecutors charged the smuggling ring",
            "the trial of the journalists was postponed",
        ),
        ("arrests", "corruption trial", "court ruling"),
    ),
    "conflict": (
        (
            "the armed forces launched an offensive",
            "a ceasefire was announced after weeks of fighting",
            "refugees crossed the border to escape the war",
            "peace negotiations resumed under United Nations mediation",
            "a bomb attack killed soldiers at a checkpoint",
        ),
        ("ceasefire", "offensive", "peace talks", "border clashes"),
    ),
    "sport": (
        (
            "the national football team won the match",
            "the athletes qualified for the Olympic Games",
            "the coach announced the squad for the World Cup",
            "the marathon drew thousands of runners",
        ),
        ("victory", "cup final", "Olympic hopes", "derby"),
    ),
    "science": (
        (
            "researchers published the study in a scientific journal",
            "the space agency launched a satellite",
            "scientists discovered a new species",
            "the university laboratory tested the technology",
        ),
        ("satellite launch", "research breakthrough", "discovery"),
    ),
    "culture": (
        (
            "the film festival opened with a premiere",
            "the museum returned looted artefacts",
            "the novelist won a literary prize",
            "musicians performed at the heritage festival",
        ),
        ("festival", "exhibition", "book prize", "heritage site"),
    ),
    "labour": (
        (
            "workers at the port went on strike",
            "the trade union demanded higher wages",
            "the minimum wage was raised",
            "miners protested unsafe working conditions",
        ),
        ("strike", "wage deal", "union protest"),
    ),
    "technology": (
        (
            "the telecommunications regulator auctioned mobile spectrum",
            "the internet shutdown lasted three days",
            "the startup raised venture capital",
            "a cyber attack disrupted government websites",
        ),
        ("internet shutdown", "tech investment", "cyber attack"),
    ),
}

FIRST = (
    "Amina", "Kazem", "Olga", "Jean", "Anke", "Wanjiru", "Chinedu", "Lucas", "Sofía", "Priya",
    "Imran", "Li", "Haruto", "Siti", "Maria", "Carlos", "Fatima", "Mehmet", "Oksana", "Piotr",
    "Elena", "Thabo", "Abebe", "Kwame", "Camila", "Diego", "Hoa", "Somchai", "Rahim", "Layla",
)  # fmt: skip
LAST = (
    "Jalali", "Petrova", "Dubois", "Schmidt", "Otieno", "Okafor", "Silva", "Fernández", "Sharma",
    "Khan", "Wang", "Tanaka", "Rahman", "Santos", "Hernández", "Hassan", "Yılmaz", "Kovalenko",
    "Nowak", "García", "Rossi", "Nkosi", "Bekele", "Mensah", "Rodríguez", "Nguyen", "Saetang",
    "Haddad", "Al-Amin", "Moreno",
)  # fmt: skip
ROLES = (
    "minister of finance", "foreign minister", "opposition leader", "spokesperson for the ministry",
    "economist at the national university", "mayor", "union leader", "health official",
    "police spokesperson", "human rights lawyer", "farmer", "teacher", "shop owner", "analyst",
)  # fmt: skip
SOURCES = (
    ("Global Voices", "CC BY 3.0", "https://creativecommons.org/licenses/by/3.0/"),
    ("Mehr News Agency", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("Wire Commons", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
)
FILLER = (
    "Officials said the measures would take effect next month.",
    "The announcement followed weeks of speculation in local media.",
    "Critics said the plan did not go far enough.",
    "Residents interviewed on Tuesday described mixed feelings.",
    "The details of the agreement have not been made public.",
    "Observers expect further talks in the coming weeks.",
    "The figures could not be independently verified.",
    "Similar steps were taken two years ago with limited success.",
    "Local newspapers carried the story on their front pages.",
    "A final decision is expected before the end of the year.",
    "Several organisations welcomed the move in a joint statement.",
    "The ministry did not respond to a request for comment.",
)


@dataclass(frozen=True)
class Story:
    """One generated article, before it is written in a form."""

    slug: str
    date: datetime
    title: str
    dateline: str
    paragraphs: tuple[str, ...]
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    source: tuple[str, str, str]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def make_story(n: int, seed: int) -> Story:
    """Article number ``n`` of the corpus for ``seed``: the same input gives the same story."""
    rng = random.Random(f"{seed}:{n}")
    main = rng.choice(COUNTRIES)
    others = [c for c in COUNTRIES if c is not main]
    second = rng.choice(others) if rng.random() < 0.6 else None
    topic_names = sorted(TOPICS)
    topics = [rng.choice(topic_names)]
    if rng.random() < 0.5:
        topics.append(rng.choice([t for t in topic_names if t != topics[0]]))
    country, capital, cities, demonym = main
    city = capital if rng.random() < 0.6 else rng.choice(cities)
    start = datetime(2022, 1, 1, tzinfo=UTC)
    date = start + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
    noun = rng.choice(TOPICS[topics[0]][1])
    title = f"{demonym} {noun} " + (
        f"strains ties with {second[0]}" if second else f"dominates news in {city}"
    )
    title = title[0].upper() + title[1:]
    paragraphs: list[str] = []
    words = 0
    lead_person = _person(rng)
    lead = (
        f"{demonym} officials on {date.strftime('%A')} said that "
        f"{rng.choice(TOPICS[topics[0]][0])}, according to {lead_person}, "
        f"the {rng.choice(ROLES)}."
    )
    if second:
        lead += f" The news was closely followed in {second[1]}, the capital of {second[0]}."
    paragraphs.append(lead)
    words += len(lead.split())
    while words < 560:
        sentences = []
        for _ in range(rng.randint(3, 5)):
            kind = rng.random()
            if kind < 0.35:
                topic = rng.choice(topics)
                sentences.append(f"In {rng.choice(cities)}, {rng.choice(TOPICS[topic][0])}.")
            elif kind < 0.55:
                sentences.append(
                    f"“We will not accept this,” said {_person(rng)}, "
                    f"a {rng.choice(ROLES)} in {rng.choice((capital, *cities))}."
                )
            elif kind < 0.7 and second:
                sentences.append(
                    f"The {second[3]} embassy in {capital} said {rng.choice(FILLER).lower()}"
                )
            else:
                sentences.append(rng.choice(FILLER))
        para = " ".join(sentences)
        paragraphs.append(para)
        words += len(para.split())
    countries = (country, second[0]) if second else (country,)
    slug = f"{_slug(title)}-{n:06d}"
    return Story(
        slug=slug,
        date=date,
        title=title,
        dateline=city.upper(),
        paragraphs=tuple(paragraphs),
        countries=countries,
        topics=tuple(topics),
        source=rng.choice(SOURCES),
    )


def wire_text(story: Story) -> str:
    """The wire-copy form: headline, dateline, paragraphs, license footer."""
    name, code, _url = story.source
    body = [f"{story.dateline} – {story.paragraphs[0]}", *story.paragraphs[1:]]
    footer = f"All Content by {name} is licensed under a Creative Commons {code} License."
    return "\n\n".join([story.title, *body, footer]) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def markdown_text(story: Story) -> str:
    """The feedtool Markdown form, with YAML front matter."""
    name, code, _url = story.source
    head = [
        "---",
        f"title: {_quote(story.title)}",
        f"date: {story.date.isoformat()}",
        f"source: {_quote(name)}",
        f"license: {code}",
        "---",
        "",
    ]
    body = [f"{story.dateline} – {story.paragraphs[0]}", *story.paragraphs[1:]]
    return "\n".join(head) + "\n\n".join(body) + "\n"


def pelican_text(story: Story) -> str:
    """Pelican's Markdown form: ``Key: value`` metadata, category and tags from the story."""
    name, code, _url = story.source
    tags = ", ".join([*story.countries, *story.topics])
    head = [
        f"Title: {story.title}",
        f"Date: {story.date.strftime('%Y-%m-%d %H:%M')}",
        f"Slug: {story.slug}",
        f"Category: {story.countries[0]}",
        f"Tags: {tags}",
        f"Authors: {name}",
        f"License: {code}",
        "",
    ]
    body = [f"{story.dateline} – {story.paragraphs[0]}", *story.paragraphs[1:]]
    return "\n".join(head) + "\n" + "\n\n".join(body) + "\n"


CONFIG = """\
site:
  title: Benchmark News
  description: A synthetic corpus for benchmarks.
  base_url: https://bench.example.org/
  publisher: Benchmark Desk
paths:
  content: {content}
  output: site
feeds:
  limit: 50
  id_authority: bench.example.org,2026
"""


def write_corpus(
    n: int, out: Path, seed: int = 1, forms: tuple[str, ...] = ("wire", "markdown", "pelican")
) -> None:
    """Write ``n`` articles under ``out/<form>/`` and ``out/config.yaml`` (Markdown content)."""
    writers = {
        "wire": (wire_text, ".txt"),
        "markdown": (markdown_text, ".md"),
        "pelican": (pelican_text, ".md"),
    }
    for form in forms:
        (out / form).mkdir(parents=True, exist_ok=True)
    for i in range(n):
        story = make_story(i, seed)
        name = f"{story.date.strftime('%Y-%m-%d')}-{story.slug}"
        for form in forms:
            render, suffix = writers[form]
            (out / form / (name + suffix)).write_text(render(story), encoding="utf-8")
    (out / "config.yaml").write_text(CONFIG.format(content="markdown"), encoding="utf-8")
    (out / "config-wire.yaml").write_text(CONFIG.format(content="wire"), encoding="utf-8")


def main() -> None:
    """Command line: ``--n``, ``--out``, ``--seed``, ``--forms``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--forms", default="wire,markdown,pelican")
    args = parser.parse_args()
    write_corpus(args.n, args.out, args.seed, tuple(args.forms.split(",")))
    print(f"wrote {args.n} articles to {args.out}")


if __name__ == "__main__":
    main()
