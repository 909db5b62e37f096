"""The pages of findings and case repairs (issue 13 §4, §5, §7): the caseworker's "Fund på mine sager" with
its comment box per the part's caseworker rule, the leader's list and its Excel, the repair's page with
its forms, the weekly list's section of open repairs, learning points and action plans; each within the
reader's units, each read of a case logged."""

from __future__ import annotations

import pytest
from django.test import Client

from sagstilsyn.core.models import AccessLogEntry
from sagstilsyn.reviews.models import ActionPlan, CaseRepair, FindingComment, ProgrammePart, RepairStatus
from sagstilsyn.reviews.services.findings import repair_recheck
from tests.reviews.findings_helpers import caseworker_of, cells, finding_from_review, part_of, signer_for
from tests.reviews.worlds import user

pytestmark = pytest.mark.django_db


def as_user(client: Client, username: str) -> Client:
    client.force_login(user(username))
    return client


def test_my_findings_shows_the_finding_asks_for_a_comment_and_keeps_it(client: Client) -> None:
    review, finding = finding_from_review()
    ProgrammePart.objects.filter(pk=part_of(review).pk).update(caseworker_part="must_comment")
    caseworker = caseworker_of(review).username
    page = as_user(client, caseworker).get("/mine-fund/")
    text = page.content.decode()
    assert page.status_code == 200
    assert review.case.source_ref in text
    assert "Din bemærkning mangler" in text
    assert "Set i journalen" in text, "the reviewer's note"
    assert AccessLogEntry.objects.filter(purpose="my_findings", case_id=review.case_id).exists()
    empty = client.post("/mine-fund/", {"finding": finding.pk, "text": ""})
    assert empty.status_code == 400
    assert "Bemærkning: skriv noget" in empty.content.decode()
    saved = client.post("/mine-fund/", {"finding": finding.pk, "text": "Samtalen er holdt"})
    assert saved.status_code == 302
    assert FindingComment.objects.get().text == "Samtalen er holdt"
    assert "Din bemærkning mangler" not in client.get("/mine-fund/").content.decode()
    assert any("Samtalen er holdt" in str(v) for v in cells(client.get("/mine-fund/mine-fund.xlsx").content))


def test_my_findings_hides_the_findings_of_a_part_without_the_caseworker(client: Client) -> None:
    review, finding = finding_from_review()
    ProgrammePart.objects.filter(pk=part_of(review).pk).update(caseworker_part="none")
    caseworker = caseworker_of(review).username
    assert review.case.source_ref not in as_user(client, caseworker).get("/mine-fund/").content.decode()
    assert client.post("/mine-fund/", {"finding": finding.pk, "text": "Hej"}).status_code == 404
    assert as_user(client, "koord-nord").get("/mine-fund/").status_code == 403


def test_the_leaders_list_filters_and_exports_within_their_units(client: Client) -> None:
    review, _ = finding_from_review()
    leader = signer_for(review).username
    page = as_user(client, leader).get("/fund/")
    assert page.status_code == 200
    assert review.case.source_ref in page.content.decode()
    assert AccessLogEntry.objects.filter(purpose="findings_list", case_id=review.case_id).exists()
    closed = client.get("/fund/", {"status": "closed"}).content.decode()
    assert f">{review.case.source_ref}<" not in closed
    assert client.get("/fund/", {"periode": "2026Q9"}).status_code == 400
    other = "koord-syd" if review.case.unit.code != "BFE-SYD" else "koord-nord"
    assert review.case.source_ref not in as_user(client, other).get("/fund/").content.decode()
    assert review.case.source_ref in cells(as_user(client, leader).get("/fund/fund.xlsx").content)
    assert as_user(client, caseworker_of(review).username).get("/fund/").status_code == 403


def test_the_repair_page_marks_done_and_rechecks_and_hides_from_other_units(client: Client) -> None:
    review, finding = finding_from_review()
    url = f"/genopretninger/{finding.repair.pk}/"
    owner = caseworker_of(review).username
    page = as_user(client, owner).get(url)
    assert page.status_code == 200
    assert "Meld sagsgenopretningen udført" in page.content.decode()
    assert "Gem den fornyede kontrol" not in page.content.decode(), "the owner does not sign off"
    assert client.post(url, {"action": "done", "note": ""}).status_code == 400
    assert client.post(url, {"action": "done", "note": "Samtalen er holdt"}).status_code == 302
    assert CaseRepair.objects.get().status == RepairStatus.DONE
    reviewer_page = as_user(client, review.reviewer.username).get(url).content.decode()
    assert "Gem den fornyede kontrol" not in reviewer_page, "the reviewer does not sign off"
    signer = signer_for(review).username
    assert "Gem den fornyede kontrol" in as_user(client, signer).get(url).content.decode()
    assert client.post(url, {"action": "recheck", "answer": "ja", "note": ""}).status_code == 302
    assert CaseRepair.objects.get().status == RepairStatus.CLOSED
    assert AccessLogEntry.objects.filter(purpose="case_repair", case_id=review.case_id).exists()
    other = "sb-3" if review.case.unit.code != "BFE-SYD" else "sb-1"
    assert as_user(client, other).get(url).status_code == 404
    assert as_user(client, owner).get("/genopretninger/999999/").status_code == 404


def test_open_repairs_show_on_the_weekly_list_until_closed(client: Client) -> None:
    review, finding = finding_from_review()
    owner = caseworker_of(review).username
    text = as_user(client, owner).get("/frister/").content.decode()
    assert "Sagsgenopretninger" in text
    assert f'data-repair="{finding.repair.pk}"' in text
    leader_text = as_user(client, signer_for(review).username).get("/frister/").content.decode()
    assert f'data-repair="{finding.repair.pk}"' in leader_text
    other = "sb-3" if review.case.unit.code != "BFE-SYD" else "sb-1"
    assert (
        f'data-repair="{finding.repair.pk}"' not in as_user(client, other).get("/frister/").content.decode()
    )
    repair_recheck(repair=finding.repair, answer="ja", note="", actor=signer_for(review))
    assert (
        f'data-repair="{finding.repair.pk}"' not in as_user(client, owner).get("/frister/").content.decode()
    )


def test_an_overdue_repair_is_marked_on_the_weekly_list(client: Client) -> None:
    review, finding = finding_from_review()
    CaseRepair.objects.filter(pk=finding.repair.pk).update(deadline="2020-01-01")
    text = as_user(client, caseworker_of(review).username).get("/frister/").content.decode()
    row = text[text.index(f'data-repair="{finding.repair.pk}"') :]
    assert "Overskredet" in row[: row.index("</tr>")]


def test_learning_points_page_counts_and_a_leader_makes_and_ends_a_plan(client: Client) -> None:
    review, _ = finding_from_review()
    leader = signer_for(review).username
    as_user(client, leader)
    assert client.post("/laeringspunkter/").status_code == 302
    page = client.get("/laeringspunkter/").content.decode()
    assert "Lav handleplan" in page
    point_id = int(page.split("/laeringspunkter/")[-1].split("/handleplan/")[0].split('"')[-1])
    form = f"/laeringspunkter/{point_id}/handleplan/"
    assert client.get(form).status_code == 200
    bad = client.post(form, {"title": "", "actions": "", "target": "abc", "window_start": "31.02.2027"})
    assert bad.status_code == 400
    assert "Mål: skriv en andel i procent" in bad.content.decode()
    assert not ActionPlan.objects.exists()
    good = client.post(
        form,
        {
            "title": "Børnesamtaler",
            "actions": "Tjekliste",
            "baseline": "",
            "target": "90",
            "window_start": "1.1.2027",
            "window_end": "31.3.2027",
        },
    )
    assert good.status_code == 302
    plan = ActionPlan.objects.get()
    assert plan.target == 0.9
    assert "Børnesamtaler" in client.get("/handleplaner/").content.decode()
    assert client.post("/handleplaner/", {"afslut": plan.pk}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "ended"
    for url in ("/laeringspunkter/laeringspunkter.xlsx", "/handleplaner/handleplaner.xlsx"):
        assert client.get(url)["Content-Type"].startswith("application/vnd.openxmlformats")
    assert as_user(client, "jurist-a").get(form).status_code == 403, "a lawyer leads no unit"
    other = "koord-syd" if review.case.unit.code != "BFE-SYD" else "koord-nord"
    assert as_user(client, other).get(form).status_code == 404
