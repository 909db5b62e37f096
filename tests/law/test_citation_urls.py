"""Every citation's address leads to the law (and, where the address shows it, the paragraph) it cites.

Issue 9 found serviceloven citations linking to barnets lov pages, and a § 73 citation linking to § 72.
The checker reads the law, and the paragraph where visible, out of the addresses of the law-text sites
the catalogue uses; other sites (ministries, municipalities) say nothing about the law and are not
checked here. A law-text site with a law or act number the tables below do not know is an error, so a
new kind of address must be added to the tables before it is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import pytest

from sagstilsyn.law import load_catalogue

# retsinformation.dk ELI addresses /eli/lta/<year>/<number>: the acts the catalogue may point at.
ELI_ACTS: dict[tuple[int, int], str] = {
    (2022, 170): "serviceloven",  # LBK nr. 170 af 24/01/2022
    (2023, 721): "barnets_lov",  # LOV nr. 721 af 13/06/2023
    (2024, 890): "barnets_lov",  # LBK nr. 890 af 19/06/2024
    (2025, 282): "barnets_lov",  # LBK nr. 282 af 17/03/2025
    (2014, 433): "forvaltningsloven",  # LBK nr. 433 af 22/04/2014
    (2024, 261): "retssikkerhedsloven",  # LBK nr. 261 af 13/03/2024
    (2013, 606): "offentlighedsloven",  # LOV nr. 606 af 12/06/2013
    (2020, 145): "offentlighedsloven",  # LBK nr. 145 af 24/02/2020
    (2024, 434): "straffeloven",  # LBK nr. 434 af 25/04/2024
    (2019, 727): "forretningsorden_buu",  # BEK nr. 727 af 10/07/2019
}

# The first path segment on elov.dk, danskelove.dk and regelrytter.dk, and the law page on lovguiden.dk.
LAW_SLUGS: dict[str, str] = {
    "barnets-lov": "barnets_lov",
    "bekendtgørelse-af-barnets-lov": "barnets_lov",
    "serviceloven": "serviceloven",
    "forvaltningsloven": "forvaltningsloven",
    "retssikkerhedsloven": "retssikkerhedsloven",
    "retssikkerhedsloven-det-sociale-omrade": "retssikkerhedsloven",
    "offentlighedsloven": "offentlighedsloven",
    "straffeloven": "straffeloven",
    "bekendtgorelse-om-forretningsorden-for-born-og-unge-udvalgene": "forretningsorden_buu",
}

# Addresses on these sites that are not a law's text (guidance, bills, book excerpts) show no law.
NOT_LAW_TEXT = re.compile(r"^/(vej|prep_docs|https-)|/boger/")


@dataclass(frozen=True)
class Target:
    """What an address shows: a law (or an unknown one, as `?…`) and, where visible, paragraphs."""

    law: str
    paragraphs: tuple[str, ...] | None = None  # None: the address does not show the paragraph


def _paragraph(text: str) -> str:
    """'74a', '155 a' and '155a' are the same paragraph."""
    return re.sub(r"\s+", "", text).lower()


def _paragraphs(segment: str) -> tuple[str, ...]:
    """One paragraph ('91', '74a') or a danskelove range ('152-154', '66-69')."""
    found = re.fullmatch(r"(\d+)-(\d+)", segment)
    if found:
        return tuple(str(n) for n in range(int(found[1]), int(found[2]) + 1))
    return (_paragraph(segment),)


def _law(slug: str) -> str:
    return LAW_SLUGS.get(slug, f"?{slug}")


def target(url: str) -> Target | None:
    """The law (and paragraphs) an address shows, or None where its site does not show a law."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("admin.")
    path = unquote(parts.path)
    segments = [s for s in path.split("/") if s]
    if host == "retsinformation.dk":
        return _eli_target(path)
    if host not in {"lovguiden.dk", "elov.dk", "danskelove.dk", "regelrytter.dk"} or not segments:
        return None
    if NOT_LAW_TEXT.search(path):
        return None
    if host == "lovguiden.dk":
        if len(segments) < 2 or segments[0] != "loven":
            return None
        segments = segments[1:]
    return _slug_target(host, _law(segments[0]), segments[1:])


def _eli_target(path: str) -> Target | None:
    """retsinformation.dk's /eli/lta/YEAR/NUMBER names the act, never the paragraph."""
    eli = re.match(r"^/eli/lta/(\d{4})/(\d+)", path)
    if not eli:
        return None
    year, number = int(eli[1]), int(eli[2])
    return Target(ELI_ACTS.get((year, number), f"?eli {year}/{number}"))


def _slug_target(host: str, law: str, rest: list[str]) -> Target:
    """The paragraphs after the law's slug, as each site writes them."""
    if host == "elov.dk":
        return Target(law, _paragraphs(rest[1]) if len(rest) >= 2 and rest[0] == "paragraf" else None)
    if host == "regelrytter.dk" and rest:
        section = re.fullmatch(r"eli-lta-\d{4}-\d+-sec-(\w+)", rest[0])
        return Target(law, _paragraphs(section[1] if section else rest[0]))
    return Target(law, _paragraphs(rest[0]) if rest else None)


def mismatch(law: str, paragraph: str, url: str) -> str | None:
    """Why the address does not fit a citation of `law` § `paragraph`, or None when it fits."""
    if law == "serviceloven" and re.search(r"barnets[-_ ]?lov|/eli/lta/2025/282", unquote(url).lower()):
        return "en henvisning til serviceloven må ikke linke til barnets lov"
    shown = target(url)
    if shown is None:
        return None
    if shown.law != law:
        return f"adressen viser {shown.law}, ikke {law}"
    if shown.paragraphs is not None and _paragraph(paragraph) not in shown.paragraphs:
        return f"adressen viser § {'/'.join(shown.paragraphs)}, ikke § {paragraph}"
    return None


def _citations() -> list[tuple[str, str, str, str]]:
    rows = []
    for rule in load_catalogue().rules:
        for version in rule.versions:
            for citation in version.citations:
                where = f"{rule.id} {version.valid_from} {citation.label}"
                rows.append((where, citation.law, citation.paragraph, citation.url))
    return rows


def test_every_citation_url_leads_to_the_cited_law_and_paragraph() -> None:
    wrong = [
        f"{where}: {url} – {why}"
        for where, law, paragraph, url in _citations()
        if (why := mismatch(law, paragraph, url))
    ]
    assert not wrong, "\n".join(wrong)


def test_every_law_url_is_the_act_itself() -> None:
    for law in load_catalogue().laws.values():
        if law.id == "local":
            continue
        shown = target(law.url)
        assert shown == Target(law.id), (law.id, law.url)


def test_every_verified_citation_names_where_it_was_read() -> None:
    missing = [
        f"{rule.id} {version.valid_from} {citation.label}"
        for rule in load_catalogue().rules
        for version in rule.versions
        for citation in version.citations
        if citation.verified and not (citation.read_in or "").strip()
    ]
    assert not missing, "verified: true uden read_in:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    ("law", "paragraph", "url"),
    [
        # The pairs issue 9 found: serviceloven citations on barnets lov pages, a wrong paragraph.
        ("serviceloven", "140", "https://www.lovguiden.dk/loven/bekendtgørelse-af-barnets-lov/91"),
        ("serviceloven", "148", "https://www.lovguiden.dk/loven/bekendtgørelse-af-barnets-lov/156"),
        ("serviceloven", "48 a", "https://www.lovguiden.dk/loven/bekendtg%C3%B8relse-af-barnets-lov/6"),
        ("serviceloven", "155 a", "https://www.retsinformation.dk/eli/lta/2025/282"),
        ("serviceloven", "73", "https://danskelove.dk/serviceloven/72"),
        (
            "serviceloven",
            "75",
            "https://www.elov.dk/bekendtgorelse-om-forretningsorden-for-born-og-unge-udvalgene/paragraf/3/",
        ),
        ("barnets_lov", "138", "https://www.lovguiden.dk/loven/bekendtgørelse-af-barnets-lov/136"),
        ("barnets_lov", "52", "https://www.elov.dk/barnets-lov/paragraf/51/"),
        ("barnets_lov", "156", "https://www.regelrytter.dk/barnets-lov/155"),
        ("forvaltningsloven", "24", "https://danskelove.dk/forvaltningsloven/22"),
        ("retssikkerhedsloven", "66", "https://www.retsinformation.dk/eli/lta/2014/433"),
        ("straffeloven", "74 a", "https://www.retsinformation.dk/eli/lta/2099/1"),
        ("offentlighedsloven", "13", "https://danskelove.dk/ukendt-lov/13"),
    ],
)
def test_checker_flags_a_wrong_law_or_paragraph(law: str, paragraph: str, url: str) -> None:
    assert mismatch(law, paragraph, url) is not None


@pytest.mark.parametrize(
    ("law", "paragraph", "url"),
    [
        ("serviceloven", "155 b", "https://www.retsinformation.dk/eli/lta/2022/170"),
        ("barnets_lov", "91", "https://www.lovguiden.dk/loven/bekendtgørelse-af-barnets-lov/91"),
        ("barnets_lov", "91", "https://www.lovguiden.dk/loven/bekendtg%C3%B8relse-af-barnets-lov/91"),
        ("barnets_lov", "96", "https://regelrytter.dk/barnets-lov/eli-lta-2025-282-sec-96"),
        ("barnets_lov", "136", "https://regelrytter.dk/vej/2024-9471-sec-39"),
        ("serviceloven", "153", "https://danskelove.dk/serviceloven/152-154"),
        ("straffeloven", "74 a", "https://www.elov.dk/straffeloven/paragraf/74a/"),
        (
            "forretningsorden_buu",
            "3",
            "https://www.elov.dk/bekendtgorelse-om-forretningsorden-for-born-og-unge-udvalgene/paragraf/3/",
        ),
        (
            "serviceloven",
            "148",
            "https://sm.dk/arbejdsomraader/udsatte-boern-og-unge/saerlig-stoette-og-hjaelp/tilsyn",
        ),
    ],
)
def test_checker_accepts_a_fitting_or_unshowing_address(law: str, paragraph: str, url: str) -> None:
    assert mismatch(law, paragraph, url) is None
