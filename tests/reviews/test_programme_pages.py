"""The programme and sample pages (issue 13 §7): overview, period start, part editing, ad hoc samples,
the sample page with its redraw, hand-picking and closing."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from sagstilsyn.core.models import AccessLogEntry, Municipality, Role, Unit, User
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import ProgrammePart, Review, Sample
from sagstilsyn.reviews.programmes.export import EXPORT_COLUMNS
from tests.factories import make_staff
from tests.reviews.worlds import started_quarter, supervision_world, user

pytestmark = pytest.mark.django_db


def _admin(municipality: Municipality, client: Client) -> User:
    admin = make_staff(municipality, Role.ADMINISTRATOR, username="admin")
    client.force_login(admin)
    return admin


def _sheet(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_an_administrator_starts_a_quarter_and_a_second_start_draws_nothing(client: Client) -> None:
    municipality = supervision_world()
    _admin(municipality, client)
    page = client.post("/tilsyn/start/", {"period": "2026-10"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "2026-10 er startet" in text
    assert Sample.objects.count() > 0
    assert text.count("/stikproever/") == Sample.objects.count()
    again = client.post("/tilsyn/start/", {"period": "2026-10"}).content.decode()
    assert "Intet nyt blev udtrukket" in again


def test_a_period_that_is_none_is_refused_in_danish(client: Client) -> None:
    municipality = supervision_world()
    _admin(municipality, client)
    text = client.post("/tilsyn/start/", {"period": "2026Q5"}).content.decode()
    assert "kvartal 5 findes ikke" in text
    assert not Sample.objects.exists()


def test_the_overview_shows_progress_per_part_and_reviewer_and_downloads_both(client: Client) -> None:
    municipality = supervision_world()
    _admin(municipality, client)
    reviews = started_quarter(municipality)
    page = client.get("/tilsyn/", {"periode": "2026Q4"}).content.decode()
    assert "<progress" in page
    assert "20 sager pr. enhed" in page
    assert "Bedømmere" in page
    parts = _sheet(client.get("/tilsyn/delprogrammer.xlsx", {"periode": "2026Q4"}).content)
    assert str(parts[0][0]).startswith("Tilsynets fremdrift, 4. kvartal 2026")
    header = parts[1]
    assigned = sum(int(str(row[header.index("Tildelt")])) for row in parts[2:])
    assert assigned == len(reviews)
    people = _sheet(client.get("/tilsyn/bedoemmere.xlsx", {"periode": "2026Q4"}).content)
    assert sum(int(str(row[2])) for row in people[2:]) == len(reviews)


def test_a_unit_leader_sees_only_their_units_reviewers(client: Client) -> None:
    municipality = supervision_world()
    started_quarter(municipality)
    client.force_login(user("chef-syd"))
    people = _sheet(client.get("/tilsyn/bedoemmere.xlsx", {"periode": "2026Q4"}).content)
    names = {row[1] for row in people[2:]}
    assert names
    reviewers = set(
        Review.objects.filter(case__unit__code="BFE-SYD").values_list("reviewer__username", flat=True)
    )
    assert names == reviewers


def test_a_caseworker_may_not_open_the_overview(client: Client) -> None:
    municipality = supervision_world()
    client.force_login(user("sb-1"))
    assert client.get("/tilsyn/").status_code == 403
    assert municipality


def test_a_part_change_is_saved_from_the_next_period_and_shown_in_the_history(client: Client) -> None:
    municipality = supervision_world()
    _admin(municipality, client)
    part = ProgrammePart.objects.get(code="doegnvagt")
    page = client.get(f"/tilsyn/delprogram/{part.pk}/").content.decode()
    assert "Historik" in page
    assert "Standardprogrammet" in page
    form = {
        "size": "7",
        "stratum_size": "",
        "design": "srs",
        "open_obligation": "on",
        "decision_months": "12",
        "reviewer_rule": "area",
        "level2_percent": "0",
        "caseworker_part": "sees",
        "review_days": "30",
        "level2_days": "30",
        "repair_days": "30",
        "questionnaire": f"{part.questionnaire}@{part.questionnaire_version}",
        "active": "on",
    }
    saved = client.post(f"/tilsyn/delprogram/{part.pk}/", form, follow=True)
    text = saved.content.decode()
    assert "Ændringen er gemt og gælder fra" in text
    assert ProgrammePart.objects.filter(code="doegnvagt").count() == 2
    assert "Administrator" in text or "admin" in text
    unchanged = client.post(f"/tilsyn/delprogram/{part.pk}/", form).content.decode()
    assert "Intet er ændret" in unchanged
    bad = client.post(f"/tilsyn/delprogram/{part.pk}/", {**form, "size": "0"}).content.decode()
    assert "Stikprøvens størrelse skal være mindst 1" in bad
    assert ProgrammePart.objects.filter(code="doegnvagt").count() == 2


def test_the_sample_page_shows_the_draw_logs_the_cases_and_redraws_the_same(client: Client) -> None:
    municipality = supervision_world()
    admin = _admin(municipality, client)
    started_quarter(municipality)
    sample = Sample.objects.filter(part__code="center").get()
    page = client.get(f"/stikproever/{sample.pk}/").content.decode()
    assert sample.seed in page
    assert sample.frame_hash in page
    assert "Sager med en åben forpligtelse ved periodens start eller en afgørelse om foranstaltning" in page
    logged = AccessLogEntry.objects.filter(user=admin, purpose="sample_view").count()
    assert logged == sample.rows.count()
    redraw = client.get(f"/stikproever/{sample.pk}/", {"genudtraek": "1"}).content.decode()
    assert "Genudtrækningen giver de samme sager" in redraw
    Sample.objects.filter(pk=sample.pk).update(seed="0" * 32)
    changed = client.get(f"/stikproever/{sample.pk}/", {"genudtraek": "1"}).content.decode()
    assert "Genudtrækningen giver ikke de samme sager" in changed


def test_the_sample_rows_download_in_the_contracts_columns(client: Client) -> None:
    municipality = supervision_world()
    _admin(municipality, client)
    started_quarter(municipality)
    sample = Sample.objects.filter(part__code="center").get()
    rows = _sheet(client.get(f"/stikproever/{sample.pk}/raekker.xlsx").content)
    assert rows[1] == EXPORT_COLUMNS
    assert len(rows) - 2 == sample.rows.count()
    assert {row[0] for row in rows[2:]} == {sample.pk}


def test_a_leader_of_another_unit_does_not_find_the_sample(client: Client) -> None:
    municipality = supervision_world()
    started_quarter(municipality)
    sample = Sample.objects.get(part__code="doegnvagt")  # Døgnvagten's cases only
    client.force_login(user("chef-syd"))
    assert client.get(f"/stikproever/{sample.pk}/").status_code == 404
    client.force_login(user("chef-dv"))
    assert client.get(f"/stikproever/{sample.pk}/").status_code == 200


def test_an_administrator_hand_picks_a_case_where_the_part_allows_it(client: Client) -> None:
    municipality = supervision_world()
    _admin(municipality, client)
    ProgrammePart.objects.filter(code="center").update(hand_picking_allowed=True)
    started_quarter(municipality)
    sample = Sample.objects.get(part__code="center")
    taken = set(sample.rows.values_list("case__source_ref", flat=True))
    ref = next(f"D-{n}" for n in range(3) if f"D-{n}" not in taken)
    refused = client.post(f"/stikproever/{sample.pk}/haandpluk/", {"case_ref": ref, "reason": ""})
    assert "Skriv begrundelsen" in refused.content.decode()
    page = client.post(
        f"/stikproever/{sample.pk}/haandpluk/",
        {"case_ref": ref, "reason": "Bekymring fra skolen"},
        follow=True,
    ).content.decode()
    assert f"Sagen {ref} er taget med som håndplukket" in page
    assert "Håndplukket" in page
    assert sample.rows.filter(hand_picked=True, case__source_ref=ref).exists()


def test_an_external_audit_is_drawn_and_closed_from_the_pages(client: Client) -> None:
    municipality = supervision_world()
    _admin(municipality, client)
    auditor = make_staff(municipality, Role.EXTERNAL_REVIEWER, username="revisor")
    assert "Ny enkeltstående stikprøve" in client.get("/tilsyn/enkeltstaaende/").content.decode()
    unit = Unit.objects.get(code="BFE-SYD")
    closes = (today_local() + timedelta(days=10)).strftime("%d.%m.%Y")
    form = {
        "kind": "ekstern",
        "units": [str(unit.pk)],
        "size": "2",
        "closes_on": closes,
        "reviewer": str(auditor.pk),
    }
    bad = client.post("/tilsyn/enkeltstaaende/", {**form, "closes_on": "i morgen"}).content.decode()
    assert "Skriv datoen som 15.12.2026" in bad
    drawn = client.post("/tilsyn/enkeltstaaende/", form, follow=True)
    text = drawn.content.decode()
    assert "Ekstern revision er udtrukket" in text
    sample = Sample.objects.get(part__programme__code="ekstern")
    assert Review.objects.filter(sample_row__sample=sample, reviewer=auditor).count() == 2
    unconfirmed = client.post(f"/stikproever/{sample.pk}/luk/").content.decode()
    assert "Bekræft" in unconfirmed
    closed = client.post(f"/stikproever/{sample.pk}/luk/", {"bekraeft": "1"}, follow=True).content.decode()
    assert "Stikprøven er lukket" in closed
    sample.refresh_from_db()
    assert sample.closed_at is not None
