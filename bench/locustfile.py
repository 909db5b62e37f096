"""The simulated users of bench/load.py (locust): one class per role, walking the pages of that role.

Started by bench/load.py, which passes the log-ins (SAGSTILSYN_LOAD_ACCOUNTS, a JSON object of class name
to user names), the users per class (SAGSTILSYN_LOAD_WEIGHTS), the password (SAGSTILSYN_LOAD_PASSWORD)
and the administrators' dry-run upload (SAGSTILSYN_LOAD_UPLOAD). Every user logs in once through the
log-in form, with the CSRF token the form carries. A request fails when it is not 200 or lands on the
log-in page (the session was lost). Requests are named by page, not by address, so the table has one
row per page.

Two-factor log-in: when the log-in answers with anything but the start page, `second_factor` is asked
to finish it. Where log-in asks for a code (django-otp, ADR 0016), bench/load.py set up a code app for
every bench log-in and passes the keys (SAGSTILSYN_LOAD_OTP_KEYS, a JSON file); `second_factor` then
types the code of the moment into the code page, as a user would. Without a key the log-in fails and
says on which page it ended.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from locust import HttpUser, TaskSet, between
from locust.clients import HttpSession

from bench.load import totp

ACCOUNTS: dict[str, list[str]] = json.loads(os.environ.get("SAGSTILSYN_LOAD_ACCOUNTS", "{}"))
WEIGHTS: dict[str, int] = json.loads(os.environ.get("SAGSTILSYN_LOAD_WEIGHTS", "{}"))
PASSWORD = os.environ.get("SAGSTILSYN_LOAD_PASSWORD", "")
UPLOAD = os.environ.get("SAGSTILSYN_LOAD_UPLOAD", "")

LOGIN = "/log-ind/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/sager/(\d+)/"')
UNIT_SELECT = re.compile(r'name="unit">(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
RULE_LINK = re.compile(r'href="/regler/([a-z0-9_-]+)/"')
JOB_ID = re.compile(r"/indlaes/(\d+)/")
#: Case list filters a user picks from ({unit} is one of the units the page offers).
FILTERS = (
    "?overdue=1", "?status=overdue", "?status=open", "?group=children", "?page=3",
    "?unit={unit}", "?unit={unit}&overdue=1",
)  # fmt: skip
_counters: dict[str, Iterator[int]] = {}


OTP_PAGE = "/log-ind/kode/"
OTP_KEYS: dict[str, str] = (
    json.loads(Path(os.environ["SAGSTILSYN_LOAD_OTP_KEYS"]).read_text(encoding="utf-8"))
    if os.environ.get("SAGSTILSYN_LOAD_OTP_KEYS")
    else {}
)


def second_factor(client: HttpSession, response: Any, username: str) -> bool:
    """Finish a log-in that asked for a code (two-factor, ADR 0016) with the code of the bench user's
    code app (bench/load.py set one up and kept its key); True when it reached the start page."""
    key = OTP_KEYS.get(username)
    token = CSRF.search(response.text or "")
    if key is None or token is None or OTP_PAGE not in (response.url or ""):
        return False
    for attempt in range(2):
        answer = client.post(
            OTP_PAGE,
            data={"csrfmiddlewaretoken": token.group(1), "code": totp(key, time.time()), "next": "/"},
            headers={"Referer": response.url},
            name="log-ind (kode)",
        )
        if answer.status_code == 200 and OTP_PAGE not in (answer.url or ""):
            return LOGIN not in (answer.url or "")
        if attempt == 0:
            # A code is taken once: this one was (an earlier log-in). Wait for the next, as a user would.
            time.sleep(30 - time.time() % 30 + 1)
    return False


class Sagstilsyn(HttpUser):
    """A logged-in user of Sagstilsyn; subclasses give the role's pages and their weights."""

    abstract = True
    wait_time = between(2, 8)
    role_class: ClassVar[str] = ""
    pages: ClassVar[dict[Callable[[Sagstilsyn], None], int]] = {}

    def on_start(self) -> None:
        self.case_ids: list[int] = []
        self.placement_ids: list[int] = []
        self.unit_ids: list[int] = []
        self.rule_ids: list[str] = []
        self.job_ids: list[int] = []
        names = ACCOUNTS.get(self.role_class) or [""]
        number = next(_counters.setdefault(self.role_class, itertools.count()))
        self.username = names[number % len(names)]
        self.log_in()

    def log_in(self) -> None:
        form = self.client.get(LOGIN, name="log-ind (formular)")
        token = CSRF.search(form.text)
        with self.client.post(
            LOGIN,
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.username,
                "password": PASSWORD,
            },
            headers={"Referer": f"{self.host}{LOGIN}"},
            name="log-ind (indsend)",
            catch_response=True,
        ) as response:
            if (
                response.status_code == 200
                and (response.url or "").rstrip("/") == (self.host or "").rstrip("/")
            ) or second_factor(self.client, response, self.username):
                response.success()
            else:
                response.failure(
                    f"{self.username} kom ikke ind: endte på {response.url} ({response.status_code})"
                )

    def page(self, path: str, name: str) -> str:
        """GET a page; a failure unless 200 and not the log-in page. Returns the body ('' if binary)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                why = f": {response.error!r}"[:300] if response.status_code == 0 else ""
                response.failure(f"status {response.status_code}{why}")
                return ""
            if response.url and LOGIN in response.url:
                response.failure("sendt til log-ind: sessionen er tabt")
                return ""
            kind = response.headers.get("Content-Type", "")
            return response.text if kind.startswith("text/") else ""

    # -- the pages ----------------------------------------------------------------------------------------

    def home(self) -> None:
        self.page("/", "forside")

    def case_list(self) -> None:
        choice = random.choice(("", *FILTERS))  # noqa: S311 - a simulated user's choice
        if "{unit}" in choice and not self.unit_ids:
            choice = ""
        path = "/sager/" + choice.format(unit=random.choice(self.unit_ids) if self.unit_ids else "")  # noqa: S311
        text = self.page(path, "sagsliste" + (" (filter)" if choice else ""))
        found = [int(x) for x in CASE_LINK.findall(text)]
        if found:
            self.case_ids = found
        if not self.unit_ids:
            units = UNIT_SELECT.search(text)
            self.unit_ids = [int(x) for x in OPTION.findall(units.group(1))] if units else []

    def case_page(self) -> None:
        if not self.case_ids:
            self.case_list()
        if not self.case_ids:
            return
        case_id = random.choice(self.case_ids)  # noqa: S311
        text = self.page(f"/sager/{case_id}/", "sagsside")
        if f"/sager/{case_id}/oversigtsskema/" in text and case_id not in self.placement_ids:
            self.placement_ids = [*self.placement_ids[-19:], case_id]

    def checklist(self) -> None:
        if not self.placement_ids:
            self.case_page()
            return
        case_id = random.choice(self.placement_ids)  # noqa: S311
        self.page(f"/sager/{case_id}/oversigtsskema/", "oversigtsskema")

    def followup(self) -> None:
        self.page("/frister/", "frister")

    def followup_unit(self) -> None:
        if not self.unit_ids:
            self.case_list()
        unit = f"?enhed={random.choice(self.unit_ids)}" if self.unit_ids else ""  # noqa: S311
        self.page(f"/frister/{unit}", "frister (enhed)")

    def followup_xlsx(self) -> None:
        self.page("/frister/frister.xlsx", "frister.xlsx")

    def case_list_xlsx(self) -> None:
        if not self.unit_ids:
            self.case_list()
        unit = f"&unit={random.choice(self.unit_ids)}" if self.unit_ids else ""  # noqa: S311
        self.page(f"/sager/sagsliste.xlsx?overdue=1{unit}", "sagsliste.xlsx (filter)")

    def units_xlsx(self) -> None:
        self.page("/enheder.xlsx", "enheder.xlsx")

    def rules(self) -> None:
        text = self.page("/regler/", "regelkatalog")
        self.rule_ids = sorted(set(RULE_LINK.findall(text))) or self.rule_ids

    def rule(self) -> None:
        if not self.rule_ids:
            self.rules()
        if self.rule_ids:
            self.page(f"/regler/{random.choice(self.rule_ids)}/", "regel")  # noqa: S311

    def catalogue_xlsx(self) -> None:
        self.page("/regler/regelkatalog.xlsx", "regelkatalog.xlsx")

    def jobs(self) -> None:
        self.page("/job/", "planlagte job")

    def job_runs_xlsx(self) -> None:
        self.page("/job/koersler.xlsx", "koersler.xlsx")

    def upload(self) -> None:
        """The upload page, a dry run of a few of the population's events, and the import job's page."""
        text = self.page("/indlaes/", "indlæs (formular)")
        token = CSRF.search(text)
        if not token or not UPLOAD:
            return
        with (
            Path(UPLOAD).open("rb") as handle,
            self.client.post(
                "/indlaes/",
                data={"csrfmiddlewaretoken": token.group(1), "source": "bench", "dry_run": "on"},
                files={"file": ("proeve.csv", handle, "text/csv")},
                headers={"Referer": f"{self.host}/indlaes/"},
                name="indlæs (prøvekørsel)",
                catch_response=True,
            ) as response,
        ):
            job = JOB_ID.search(response.url or "")
            if response.status_code != 200 or not job:
                response.failure(f"status {response.status_code}, endte på {response.url}")
                return
        self.job_ids = [*self.job_ids[-9:], int(job.group(1))]

    def import_job(self) -> None:
        if not self.job_ids:
            self.upload()
            return
        job_id = random.choice(self.job_ids)  # noqa: S311
        self.page(f"/indlaes/{job_id}/", "indlæsningsjob")
        self.page(f"/indlaes/{job_id}/status/", "indlæsningsjob (status)")


def _tasks(pages: dict[Callable[[Sagstilsyn], None], int]) -> list[TaskSet | Callable[..., Any]]:
    """Pages by weight as locust's task list (each page as often as its weight, as locust does with a
    dict)."""
    return [page for page, weight in pages.items() for _ in range(weight)]


S = Sagstilsyn
#: Pages of a leader over units (faglig koordinator, afdelingsleder, områdechef, områdejurist).
LEADER: dict[Callable[[Sagstilsyn], None], int] = {
    S.home: 3, S.case_list: 4, S.case_page: 4, S.checklist: 1, S.followup: 2, S.followup_unit: 2,
    S.followup_xlsx: 1, S.case_list_xlsx: 1, S.units_xlsx: 1,
}  # fmt: skip
#: Pages of a lawyer over every unit (centerjurist, central jurist).
LAWYER: dict[Callable[[Sagstilsyn], None], int] = {
    S.home: 2, S.case_list: 4, S.case_page: 4, S.checklist: 2, S.followup_unit: 2, S.followup: 1,
    S.rules: 1, S.rule: 2, S.units_xlsx: 1,
}  # fmt: skip


class Caseworker(Sagstilsyn):
    role_class = "Caseworker"
    weight = WEIGHTS.get(role_class, 1)
    tasks = _tasks({S.home: 3, S.case_list: 3, S.case_page: 5, S.checklist: 1, S.followup: 3, S.rule: 1})


class Coordinator(Sagstilsyn):
    role_class = "Coordinator"
    weight = WEIGHTS.get(role_class, 1)
    tasks = _tasks(LEADER)


class DepartmentLeader(Sagstilsyn):
    role_class = "DepartmentLeader"
    weight = WEIGHTS.get(role_class, 1)
    tasks = _tasks(LEADER)


class AreaChief(Sagstilsyn):
    role_class = "AreaChief"
    weight = WEIGHTS.get(role_class, 1)
    tasks = _tasks(LEADER)


class AreaLawyer(Sagstilsyn):
    role_class = "AreaLawyer"
    weight = WEIGHTS.get(role_class, 1)
    tasks = _tasks(LAWYER)


class CentreLawyer(Sagstilsyn):
    role_class = "CentreLawyer"
    weight = WEIGHTS.get(role_class, 1)
    tasks = _tasks(LAWYER)


class CentralLawyer(Sagstilsyn):
    role_class = "CentralLawyer"
    weight = WEIGHTS.get(role_class, 1)
    tasks = _tasks(LAWYER)


class Administrator(Sagstilsyn):
    role_class = "Administrator"
    weight = WEIGHTS.get(role_class, 1)
    tasks = _tasks(
        {
            S.home: 2,
            S.jobs: 2,
            S.job_runs_xlsx: 1,
            S.upload: 1,
            S.import_job: 2,
            S.case_list: 1,
            S.units_xlsx: 1,
        }
    )


class CommitteeMember(Sagstilsyn):
    role_class = "CommitteeMember"
    weight = WEIGHTS.get(role_class, 1)
    tasks = _tasks({S.home: 3, S.rules: 2, S.rule: 3, S.catalogue_xlsx: 1})
