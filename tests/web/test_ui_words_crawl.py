"""No developer words in the UI (issue 12 point 5): every page reachable from the menu and from the links
on those pages, as every demo log-in (and before log-in), shows no snake_case identifier, file path,
research note or English control text in its visible text.

The pages are rendered by Django's test client on the small demo; the visible text is what a browser
shows or reads out: the text of the document (not `<script>`, `<style>`, `<template>`, `hidden`
elements, nor `<head>` but for its `<title>`) and the attributes a user sees or hears (`title`, `alt`,
`placeholder`, `aria-label`, a button's `value`). The one exception is a rule's id shown small for the
lawyers on the rule catalogue's pages, marked `<span class="rule-id">` (skipped only on those pages).
"""

from __future__ import annotations

import io
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings as SettingsWrapper

from sagstilsyn.cases.importing.jobs import import_job_start
from sagstilsyn.core.models import User
from sagstilsyn.demo.people import DEMO_LOGINS
from sagstilsyn.law import load_catalogue
from tests.cases.data.helpers import EVENTS_CSV

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 6, 30)
#: Pages visited per log-in at most (the menu's pages and what they link to, breadth first).
MAX_PAGES = 150
#: Pages of one kind visited at most (one case page looks like the next, but only some have an
#: oversigtsskema).
MAX_PER_KIND = 6
MAX_PER_KIND_OF = {"/sager/#/": 40}
#: Pages with a rule's id for the lawyers (`<span class="rule-id">`).
RULE_PAGES = re.compile(r"^/regler/")
#: Pages that name a file's columns and values exactly as they are typed in the file (`<code
#: class="file-column">`): the column description and an import's errors.
FILE_PAGES = re.compile(r"^/indlaes/")
#: Addresses not followed: downloads, log-out, the API and its documentation's machine-readable parts.
NOT_FOLLOWED = re.compile(
    r"(\.xlsx|\.csv|\.json|\.pdf|\.yaml)$|/status/$|^/log-ud/|^/api/v\d/(?!docs)|^/static/"
)

#: Findings tolerated on a page while it is being fixed (page kind → words): empty, and it should stay so.
KNOWN_ELSEWHERE: dict[str, tuple[str, ...]] = {}

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
FILE_PATH = re.compile(
    r"\.ya?ml\b|\.md\b|\.py\b|\bdocs/|/work\b|\bsagstilsyn/|\brules/|domain\.md|citations\.md|rules-contract"
    r"|regelkontrakten|research",
    re.IGNORECASE,
)
#: A number of 1.000 or more written without its thousands separator (4 digits that are not a year). A
#: sample's number ("Stikprøve 1562") is an identifier, written as `samples frame SAMPLE_ID` takes it.
BARE_NUMBER = re.compile(r"(?<![\w\-/.:,])(?<!Stikprøve )(?:\d{5,}|(?!19\d\d|20\d\d)\d{4})(?![\w\-/.,:])")
#: English control words (whole words, as a user meets them on a button, link or heading).
ENGLISH = (
    "Submit", "Save", "Cancel", "Next", "Previous", "Prev", "Search", "Week", "Loading", "Close",
    "Delete", "Edit", "Login", "Log in", "Logout", "Log out", "Sign in", "Page", "Filter", "Download",
    "Upload", "Yes", "No", "True", "False", "None", "null", "undefined", "NaN", "Back", "Home", "Settings",
    "Error", "Not found", "Forbidden", "Server error", "Show", "Hide", "Open", "Done", "Status", "Due",
    "Overdue", "Unit", "Group", "User", "Username", "Password", "Menu",
)  # fmt: skip
ENGLISH_WORD = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])")
#: Danish words that are also on the English list.
DANISH_HOMOGRAPHS = {"Status", "Menu"}

SKIPPED_TAGS = {"script", "style", "template", "noscript", "svg"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
SHOWN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")


@dataclass
class _Page:
    texts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


class VisibleText(HTMLParser):
    """The text a user sees or hears on a page, and the addresses of its links."""

    def __init__(self, *, skip_rule_ids: bool, skip_file_columns: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_rule_ids = skip_rule_ids
        self.skip_file_columns = skip_file_columns
        self.page = _Page()
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.in_head = False
        self.in_title = False

    @property
    def hidden(self) -> bool:
        return any(hides for _, hides in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "").split()
        hides = (
            tag in SKIPPED_TAGS
            or "hidden" in values
            or values.get("aria-hidden") == "true"
            or (self.skip_rule_ids and "rule-id" in classes)
            or (self.skip_file_columns and "file-column" in classes)
        )
        if tag == "head":
            self.in_head = True
        if tag == "title":
            self.in_title = True
        if tag == "a" and "href" in values and "download" not in values:
            self.page.links.append(values["href"])
        if not (self.hidden or hides or self.in_head):
            for name in SHOWN_ATTRIBUTES:
                if values.get(name):
                    self.page.texts.append(values[name])
            button = tag in {"input", "button"} and values.get("type") in {"submit", "button", "reset"}
            if button and values.get("value"):
                self.page.texts.append(values["value"])
        if tag not in VOID_TAGS:
            self.stack.append((tag, hides))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "title":
            self.in_title = False
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not self.hidden and (not self.in_head or self.in_title):
            self.page.texts.append(data)


def visible_text(
    html: str, *, skip_rule_ids: bool = False, skip_file_columns: bool = False
) -> tuple[str, list[str]]:
    parser = VisibleText(skip_rule_ids=skip_rule_ids, skip_file_columns=skip_file_columns)
    parser.feed(html)
    parser.close()
    text = " ".join(" ".join(part.split()) for part in parser.page.texts)
    return text, parser.page.links


def developer_words(text: str) -> list[str]:
    """What a page's visible text must not hold, each with a little of its context."""
    found: list[str] = []
    for kind, pattern in (
        ("snake_case", SNAKE_CASE),
        ("fil/note", FILE_PATH),
        ("engelsk", ENGLISH_WORD),
        ("tal uden tusindtalsskilletegn", BARE_NUMBER),
    ):
        for match in pattern.finditer(text):
            if kind == "engelsk" and match.group(0) in DANISH_HOMOGRAPHS:
                continue
            start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
            found.append(f"{kind}: {match.group(0)!r} i »…{text[start:end]}…«")
    return found


def _kind(path: str) -> str:
    """Pages of one kind: the path with its numbers and a rule's id replaced (/sager/12/ → /sager/#/)."""
    return re.sub(r"^/regler/[\w-]+/", "/regler/*/", re.sub(r"\d+", "#", path))


def crawl(client: Client, start: list[str], visited: list[str] | None = None) -> dict[str, list[str]]:
    """Visit the pages reachable from `start` (same origin, GET), breadth first; each page's findings."""
    queue = deque(start)
    seen: set[str] = set()
    per_kind: dict[str, int] = {}
    findings: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or NOT_FOLLOWED.search(path):
            continue
        kind = _kind(path)
        if per_kind.get(kind, 0) >= MAX_PER_KIND_OF.get(kind, MAX_PER_KIND):
            continue
        seen.add(url)
        per_kind[kind] = per_kind.get(kind, 0) + 1
        response = client.get(url)
        if visited is not None:
            visited.append(f"{response.status_code} {url}")
        if response.status_code in {301, 302}:
            queue.append(response["Location"])
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        text, links = visible_text(
            response.content.decode(),
            skip_rule_ids=bool(RULE_PAGES.match(path)),
            skip_file_columns=bool(FILE_PAGES.match(path)),
        )
        tolerated = KNOWN_ELSEWHERE.get(kind, ())
        problems = [p for p in developer_words(text) if not any(f"'{word}'" in p for word in tolerated)]
        if problems:
            findings[url] = problems
        for link in links:
            address = urldefrag(link).url
            parts = urlsplit(address)
            if parts.scheme or parts.netloc or not address:
                continue  # another site, or the page itself
            if not address.startswith("/"):
                continue
            queue.append(address)
    return findings


def report(findings: dict[str, list[str]]) -> str:
    lines = []
    for url, problems in findings.items():
        lines.append(url)
        lines.extend(f"  {problem}" for problem in problems[:8])
        if len(problems) > 8:
            lines.append(f"  … og {len(problems) - 8} mere")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def demo(module_db: DjangoDbBlocker) -> None:
    """The small demo (60 children), with a run of the scheduled jobs for the jobs page."""
    with module_db.unblock(), override_settings(DEBUG=True):
        out = io.StringIO()
        call_command(
            "demo", "load", "--children", "60", "--seed", "7", "--as-of", AS_OF.isoformat(), stdout=out
        )
        call_command("jobs", "run-due", stdout=out, stderr=out)
    with module_db.unblock(), override_settings(IMPORT_INLINE=True):
        admin = User.objects.get(username="administrator")
        assert admin.municipality is not None
        for data, dry_run in ((EVENTS_CSV.read_bytes(), True), (b"ikke en fil", False)):
            import_job_start(
                municipality=admin.municipality, actor=admin, data=data, filename="h.csv", dry_run=dry_run
            )


@pytest.fixture(autouse=True)
def demo_settings(settings: SettingsWrapper) -> None:
    settings.DEBUG = False  # the error pages as users see them


def test_the_parser_sees_what_a_user_sees() -> None:
    """The parser keeps visible text and shown attributes, skips scripts, hidden elements and (on the
    rule pages only) the lawyers' rule ids; the checks find each kind of developer word."""
    html = (
        "<html><head><title>Sager</title><script>var x_y = 1;</script></head><body>"
        '<p>Synlig tekst <span hidden>skjult_tekst</span><a href="/sager/" title="Åbn sagen">sag</a></p>'
        '<span class="rule-id">child_views_before_decision</span><input type="submit" value="Gem">'
        "<br><img alt='Logo'></body></html>"
    )
    text, links = visible_text(html, skip_rule_ids=True)
    assert text == "Sager Synlig tekst Åbn sagen sag Gem Logo"
    assert links == ["/sager/"]
    assert "child_views_before_decision" in visible_text(html)[0]
    column = '<p>Kolonnen <code class="file-column">case_id</code> mangler</p>'
    assert visible_text(column, skip_file_columns=True)[0] == "Kolonnen mangler"
    assert "case_id" in visible_text(column)[0]
    assert [p.split(":")[0] for p in developer_words("department_leader fil rules/x.yaml Næste Next")] == [
        "snake_case",
        "fil/note",
        "fil/note",
        "engelsk",
    ]
    assert developer_words("Status: Ingen sager. Nej, ingen.") == []
    assert [p.split(":")[0] for p in developer_words("4711 sager, 29272 frister")] == [
        "tal uden tusindtalsskilletegn",
        "tal uden tusindtalsskilletegn",
    ]
    assert developer_words("1.927 sager i 2025, BARN-00009, 07.05.2025 kl. 17:40, § 155") == []


def test_no_developer_words_on_the_rule_pages(demo: None) -> None:
    """Every rule's page (the crawl above visits a few of them per log-in)."""
    client = Client()
    client.force_login(User.objects.get(username="omraadejurist"))
    findings: dict[str, list[str]] = {}
    for rule in load_catalogue().rules:
        url = f"/regler/{rule.id}/"
        response = client.get(url)
        assert response.status_code == 200, url
        problems = developer_words(visible_text(response.content.decode(), skip_rule_ids=True)[0])
        if problems:
            findings[url] = problems
    assert not findings, "Udviklerord på regelkatalogets sider:\n" + report(findings)


@pytest.mark.parametrize("username", [None] + [person.username for person in DEMO_LOGINS])
def test_no_developer_words_on_any_page(demo: None, username: str | None) -> None:
    client = Client()
    if username is not None:
        client.force_login(User.objects.get(username=username))
    # The menu's pages and the error pages: 404, 403 (pages outside the role), 400 (a bad parameter).
    start = ["/", "/regler/", "/side-der-ikke-findes/", "/api/v1/docs", "/job/", "/indlaes/", "/adgang/"]
    start += ["/administration/"]
    start += ["/sager/?side=abc", "/frister/?uge=abc"]
    if username is None:
        start.append("/log-ind/")
    visited: list[str] = []
    findings = crawl(client, start, visited)
    if username == "administrator":  # the crawl reaches the pages behind the menu's pages
        kinds = {_kind(urlsplit(line.split(" ", 1)[1]).path) for line in visited}
        assert {"/sager/#/", "/sager/#/oversigtsskema/", "/indlaes/#/", "/job/", "/frister/"} <= kinds
        assert {"/administration/", "/administration/enheder/", "/administration/medarbejdere/"} <= kinds
        assert {"/administration/api-klienter/", "/indlaes/kolonner/"} <= kinds
    if username == "koordinator":  # an overrun deadline's begrundelse, reached from the case page
        kinds = {_kind(urlsplit(line.split(" ", 1)[1]).path) for line in visited}
        assert {"/frister/#/begrundelse/", "/sager/#/oversigtsskema/"} <= kinds
    assert not findings, f"Udviklerord i brugerfladen for {username or 'en ikke-logget-ind'}:\n" + report(
        findings
    )
