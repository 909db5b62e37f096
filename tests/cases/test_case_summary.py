"""The case page's summary (overblik): overdue first with days overdue, the next deadlines, a tally of
statuses by urgency, muted Ikke relevant, plain Danish dates ("senest 7. maj 2025")."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from sagstilsyn.cases.models import Case, Obligation
from sagstilsyn.cases.overrun.services import overrun_reason_record
from sagstilsyn.cases.selectors.cases import (
    UPCOMING_SHOWN,
    ObligationRow,
    case_obligations,
    case_summary,
)
from sagstilsyn.core.models import Municipality, Role
from sagstilsyn.law.calendar import COPENHAGEN, long_date, today_local
from tests.factories import case_of, event, make_municipality, make_unit, make_user, record

ROW = ObligationRow(
    id=1,
    case_id=1,
    rule_id="investigation_deadline",
    trigger_event_id=1,
    title="Børnefaglig undersøgelse inden 4 måneder",
    statutory=True,
    law_name="Barnets lov",
    citation_label="Barnets lov § 20, stk. 3",
    citation_url="",
    citation_verified=True,
    more_citations=0,
    due_day=date(2025, 5, 7),
    due_at=None,
    status="open",
    status_label="Åben",
    status_badge="badge-info",
    satisfied_by=None,
    released_by=None,
    explanation="",
    warnings=(),
)


def _row(
    number: int, status: str, *, days_overdue: int | None = None, due: date | None = None
) -> ObligationRow:
    return replace(
        ROW,
        id=number,
        title=f"Regel {number}",
        status=status,
        due_day=due or date(2025, 5, number),
        days_overdue=days_overdue,
    )


def test_summary_puts_the_most_overdue_first_and_cuts_the_next_deadlines() -> None:
    rows = [
        _row(1, "overdue", days_overdue=3),
        _row(2, "met"),
        _row(3, "overdue", days_overdue=40),
        _row(4, "not_applicable"),
        *[_row(10 + n, "open") for n in range(UPCOMING_SHOWN + 2)],
        _row(30, "met_late"),
    ]
    summary = case_summary(obligations=rows)
    assert [row.id for row in summary.overdue] == [3, 1]
    assert summary.history == ()
    assert [row.id for row in summary.upcoming] == [10 + n for n in range(UPCOMING_SHOWN)]
    assert summary.upcoming_more == 2
    assert [(item.label, item.count) for item in summary.tally] == [
        ("Overskredet", 2),
        ("Åben", UPCOMING_SHOWN + 2),
        ("Overholdt for sent", 1),
        ("Overholdt", 1),
        ("Ikke relevant", 1),
    ]
    assert summary.tally[-1].badge == "badge-muted"
    assert not summary.empty


def test_obligations_that_can_no_longer_be_met_are_history_not_work() -> None:
    rows = [
        _row(1, "overdue", days_overdue=30),
        _row(2, "overdue", days_overdue=3),
        _row(3, "open"),
        _row(4, "open"),
    ]
    reason = "Afgørelsen er truffet, så barnets synspunkter kan ikke længere indhentes før den."
    summary = case_summary(obligations=rows, lapsed={1: reason, 4: "Sagen er lukket."})
    assert [row.id for row in summary.overdue] == [2]
    assert [row.id for row in summary.upcoming] == [3]
    assert [(row.id, row.lapse_reason) for row in summary.history] == [(1, reason), (4, "Sagen er lukket.")]
    assert [(item.label, item.count) for item in summary.tally][:2] == [("Overskredet", 2), ("Åben", 2)]


def test_summary_of_a_case_without_obligations_is_empty() -> None:
    summary = case_summary(obligations=[])
    assert summary.empty
    assert summary.tally == ()


def test_rows_say_senest_in_long_danish_and_count_days_overdue() -> None:
    assert ROW.due_text == "senest 7. maj 2025"
    assert replace(ROW, due_at=datetime(2024, 12, 21, 13, 0, tzinfo=COPENHAGEN)).due_text == (
        "senest 21. december 2024 kl. 13.00"
    )
    assert replace(ROW, status="overdue", days_overdue=1).overdue_text == "1 dag over fristen"
    assert replace(ROW, status="overdue", days_overdue=1050).overdue_text == "1.050 dage over fristen"
    assert replace(ROW, days_until_due=0).due_in_text == "i dag"
    assert replace(ROW, days_until_due=1).due_in_text == "i morgen"
    assert replace(ROW, days_until_due=12).due_in_text == "om 12 dage"
    assert ROW.overdue_text == ""


pytestmark = pytest.mark.django_db


@pytest.fixture
def copenhagen() -> Municipality:
    municipality = make_municipality()
    make_unit(municipality, "BFE-NORD")
    return municipality


def _mixed_case(municipality: Municipality) -> Case:
    """Overdue (investigation), open (follow-up, plan), not applicable (child's views excepted)."""
    today = today_local()
    placement = {"measure": "placement_with_consent"}
    common: dict[str, Any] = {"case_id": "2025-0001", "child_id": "BARN-2025-0001", "unit": "BFE-NORD"}
    record(
        municipality,
        event("s1", "need_noticed", today - timedelta(days=160), **common),
        event("s2", "child_views_exception", today - timedelta(days=12), **common),
        event("s3", "measure_decided", today - timedelta(days=10), attrs=placement, **common),
        event("s4", "measure_started", today - timedelta(days=5), attrs=placement, **common),
    )
    return case_of(municipality, "2025-0001")


def test_an_open_obligation_past_its_deadline_shows_as_overdue(copenhagen: Municipality) -> None:
    case = _mixed_case(copenhagen)
    rows = {row.rule_id: row for row in case_obligations(case=case)}
    follow_up = rows["first_follow_up"]
    assert follow_up.status == "open"
    assert follow_up.days_until_due is not None
    assert follow_up.days_until_due > 0
    later = datetime.combine(follow_up.due_day + timedelta(days=3), datetime.min.time(), tzinfo=COPENHAGEN)
    moved = {row.rule_id: row for row in case_obligations(case=case, now=later)}["first_follow_up"]
    assert (moved.status, moved.status_label, moved.status_badge) == ("overdue", "Overskredet", "badge-error")
    assert moved.days_overdue == 3


def test_case_page_opens_with_the_summary(client: Client, copenhagen: Municipality) -> None:
    case = _mixed_case(copenhagen)
    client.force_login(make_user(copenhagen, Role.CASEWORKER))
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    rows = {row.rule_id: row for row in case_obligations(case=case)}
    overdue = rows["investigation_deadline"]
    assert overdue.status == "overdue"
    summary = html[html.index('id="overblik"') : html.index('id="forpligtelser"')]
    # Overdue with days overdue, linked to its row in the table.
    assert f'href="#forpligtelse-{overdue.id}"' in summary
    assert f'id="forpligtelse-{overdue.id}"' in html
    assert f"Senest {long_date(overdue.due_day)}" in summary
    assert overdue.overdue_text in summary
    # The next deadlines.
    assert f'href="#forpligtelse-{rows["first_follow_up"].id}"' in summary
    # The tally by urgency: Overskredet, Åben, ..., Ikke relevant last and muted.
    tally = re.findall(r'class="badge ([a-z-]+)">([^<]+)<', summary)
    labels = [label for _, label in tally]
    assert labels.index("Overskredet") < labels.index("Åben") < labels.index("Ikke relevant")
    assert ("badge-muted", "Ikke relevant") in tally
    # Plain Danish: no short dates or "udløsningen" in the summary and the obligations.
    obligations = html[html.index('id="forpligtelser"') : html.index('id="tidslinje"')]
    for text in (summary, obligations):
        assert "udløsning" not in text
        assert "samme dag som 0" not in text
    assert not re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", summary + obligations)
    # No placeholder for corrective actions (they come with the reviews).
    assert "korrigerende" not in html.lower()


def test_the_summary_shows_each_overdue_deadlines_reason_with_a_link(
    client: Client, copenhagen: Municipality
) -> None:
    case = _mixed_case(copenhagen)
    worker = make_user(copenhagen, Role.CASEWORKER, case.unit)
    overdue = Obligation.objects.get(case=case, rule_id="investigation_deadline")
    client.force_login(worker)
    url = reverse("cases:case_detail", args=[case.pk])
    link = reverse("cases:overrun_reason", args=[overdue.pk])

    html = unescape(client.get(url).content.decode())
    summary = html[html.index('id="overblik"') : html.index('id="forpligtelser"')]
    without = summary.count("Ingen begrundelse endnu")
    assert without >= 1
    assert f'href="{link}?next={url}%23forpligtelse-{overdue.pk}"' in summary

    overrun_reason_record(user=worker, obligation=overdue, text="Afventer lægeerklæring fra hospitalet")
    html = unescape(client.get(url).content.decode())
    summary = html[html.index('id="overblik"') : html.index('id="forpligtelser"')]
    assert "Afventer lægeerklæring fra hospitalet" in summary
    assert "ikke kvitteret" in summary
    assert summary.count("Ingen begrundelse endnu") == without - 1
    table = html[html.index('id="forpligtelser"') : html.index('id="tidslinje"')]
    assert "Afventer lægeerklæring fra hospitalet" in table


def test_a_lawyer_reads_the_reason_but_is_not_offered_to_give_one(
    client: Client, copenhagen: Municipality
) -> None:
    case = _mixed_case(copenhagen)
    client.force_login(make_user(copenhagen, Role.CENTRE_LAWYER))
    html = unescape(client.get(reverse("cases:case_detail", args=[case.pk])).content.decode())
    assert "Giv begrundelse" not in html
    assert "Ingen begrundelse for overskridelsen endnu" in html


def test_the_summary_lists_history_apart_with_the_reason_it_lapsed(rf: Any) -> None:
    reason = "Afgørelsen er truffet, så barnets synspunkter kan ikke længere indhentes før den."
    rows = [_row(1, "overdue", days_overdue=30), _row(2, "overdue", days_overdue=3)]
    summary = case_summary(obligations=rows, lapsed={1: reason})
    html = unescape(
        render_to_string(
            "cases/includes/case_summary.html",
            {"summary": summary, "may_give_reason": False},
            request=rf.get("/sager/1/"),
        )
    )
    history = html[html.index("Kan ikke længere opfyldes (1)") :]
    work = html[: html.index("Kan ikke længere opfyldes")]
    assert reason in history
    assert 'href="#forpligtelse-1"' in history
    assert 'href="#forpligtelse-1"' not in work
    assert 'href="#forpligtelse-2"' in work


def test_the_case_page_moves_a_lapsed_deadline_to_history(client: Client, copenhagen: Municipality) -> None:
    common: dict[str, Any] = {"case_id": "2025-0002", "child_id": "BARN-2025-0002", "unit": "BFE-NORD"}
    record(
        copenhagen,
        event(
            "h1",
            "measure_decided",
            today_local() - timedelta(days=10),
            attrs={"measure": "support"},
            **common,
        ),
    )
    case = case_of(copenhagen, "2025-0002")
    views = Obligation.objects.get(case=case, rule_id="child_views_before_decision")
    assert views.status == "overdue"
    client.force_login(make_user(copenhagen, Role.CASEWORKER))
    html = unescape(client.get(reverse("cases:case_detail", args=[case.pk])).content.decode())
    summary = html[html.index('id="overblik"') : html.index('id="forpligtelser"')]
    work, history = summary.split("Kan ikke længere opfyldes (1)")
    assert f'href="#forpligtelse-{views.pk}"' in history
    assert f'href="#forpligtelse-{views.pk}"' not in work
    assert "barnets synspunkter kan ikke længere indhentes" in history
    assert "Ingen overskredne frister." in work
    assert re.search(r'class="badge badge-error">Overskredet</strong> 1', summary)  # still counted
