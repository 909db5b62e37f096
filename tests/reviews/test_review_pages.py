"""The reviewer's pages (issue 13 §4, §7, §8, §11; ADR 0028): Mine gennemgange, the review form saving
as the reviewer goes (htmx) and without JavaScript, hand-in, level 2 blind, the comparison with its
disagreements settled, and who may open a review beyond their units."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sagstilsyn.core.models import AccessLogEntry, Role, RoleAssignment, User
from sagstilsyn.law.calendar import today_local
from sagstilsyn.reviews.models import Answer, Disagreement, Review, ReviewStatus
from sagstilsyn.reviews.selectors_reviews import review_form
from sagstilsyn.reviews.services.reviews import answer_save, review_questions, review_submit
from sagstilsyn.web.navigation import menu_for
from tests.factories import make_municipality, make_staff, make_user
from tests.reviews.worlds import review_of, started_quarter, supervision_world, user

pytestmark = pytest.mark.django_db

LEVEL1_NOTE = "Notat fra første gennemgang: samtalen mangler i journalen"


def _url(name: str, review: Review) -> str:
    return reverse(f"reviews:{name}", kwargs={"review_id": review.pk})


def _as(client: Client, who: User) -> Client:
    client.force_login(who)
    return client


def _answer_all(
    review: Review, value: str, *, note: str = "Set i journalen", first: str | None = None
) -> None:
    for number, question in enumerate(review_questions(review)):
        chosen = first if number == 0 and first else value
        if chosen not in question.answers:
            chosen = question.answers[0]
        answer_save(review=review, question_id=question.id, answer=chosen, note=note, actor=review.reviewer)


def test_mine_lists_the_readers_open_reviews_by_deadline_with_the_overdue_marked(client: Client) -> None:
    reviews = started_quarter(supervision_world())
    review = review_of(reviews, part="enhed")
    mine = [r for r in reviews if r.reviewer_id == review.reviewer_id]
    Review.objects.filter(pk=review.pk).update(deadline=today_local() - timedelta(days=3))
    others = [
        r
        for r in reviews
        if r.reviewer_id != review.reviewer_id and r.case_id not in {m.case_id for m in mine}
    ]
    response = _as(client, review.reviewer).get(reverse("reviews:mine"))
    assert response.status_code == 200
    html = response.content.decode()
    for own in mine:
        assert own.case.source_ref in html
    assert others
    assert all(other.case.source_ref not in html for other in others)
    assert html.index(review.case.source_ref) < html.index("Afleverede gennemgange")
    assert "Overskredet" in html
    assert AccessLogEntry.objects.filter(user=review.reviewer, purpose="review_list").exists()


def test_mine_downloads_as_excel(client: Client) -> None:
    reviews = started_quarter(supervision_world())
    review = review_of(reviews, part="enhed")
    response = _as(client, review.reviewer).get(reverse("reviews:mine"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert str(sheet["A1"].value).startswith("Mine gennemgange")
    assert review.case.source_ref in cells
    assert AccessLogEntry.objects.filter(user=review.reviewer, purpose="review_list_xlsx").exists()


def test_the_form_shows_the_question_its_law_where_to_look_and_the_cases_facts(client: Client) -> None:
    review = review_of(started_quarter(supervision_world()), part="enhed")
    rows = review_form(review)
    response = _as(client, review.reviewer).get(_url("review", review))
    assert response.status_code == 200
    html = response.content.decode()
    assert rows[0].text in html
    assert "Hvor ser jeg efter" in html
    assert any(row.citations for row in rows)
    cited = next(row for row in rows if row.citations)
    assert cited.citations[0].label in html
    suggested = next(row for row in rows if row.suggested)
    assert f"Forslag fra sagens data: <strong>{suggested.suggested_label}</strong>" in html
    assert "Ikke bekræftet" in html
    assert f'id="svar-{suggested.id}-{suggested.suggested}" type="radio"' in html
    assert 'id="tidslinje"' in html
    assert 'id="forpligtelser"' in html
    assert "Gå til spørgsmålene" in html
    entry = AccessLogEntry.objects.get(user=review.reviewer, purpose="review_view")
    assert (entry.case_id, entry.child_id) == (review.case_id, review.case.child_id)


def test_an_answer_saved_with_htmx_keeps_the_suggestion_and_updates_the_navigator(client: Client) -> None:
    review = review_of(started_quarter(supervision_world()), part="enhed")
    rows = review_form(review)
    row = next(r for r in rows if r.suggested)
    other = next(value for value in row.choices if value[0] != row.suggested)[0]
    response = _as(client, review.reviewer).post(
        _url("answer", review),
        {"question": row.id, f"svar-{row.id}": other, f"note-{row.id}": "Set i journalen"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gemt kl. " in html
    assert f"<strong>{len(rows) - 1}</strong> af {len(rows)} mangler svar" in html
    assert 'id="mangler"' in html
    assert 'hx-swap-oob="true"' in html
    stored = Answer.objects.get(review=review, question=row.id)
    assert (stored.answer, stored.suggested_answer) == (other, row.suggested)
    assert stored.suggestion_basis


def test_a_bad_answer_is_refused_in_danish_and_nothing_is_saved(client: Client) -> None:
    review = review_of(started_quarter(supervision_world()), part="enhed")
    row = review_form(review)[0]
    response = _as(client, review.reviewer).post(
        _url("answer", review), {"question": row.id, f"svar-{row.id}": "måske"}
    )
    assert "Svaret blev ikke gemt" in response.content.decode()
    response = client.post(_url("answer", review), {"question": row.id, f"note-{row.id}": "kun en note"})
    assert "Vælg et svar, før noten kan gemmes." in response.content.decode()
    assert not Answer.objects.filter(review=review).exists()


def test_without_javascript_an_unconfirmed_suggestion_is_no_answer_and_hand_in_names_what_is_missing(
    client: Client,
) -> None:
    review = review_of(started_quarter(supervision_world()), part="enhed")
    rows = review_form(review)
    suggested = [row for row in rows if row.suggested]
    assert suggested, "the world's cases give suggestions"
    posted = {f"svar-{row.id}": row.suggested for row in suggested}
    response = _as(client, review.reviewer).post(_url("review", review), {**posted, "handling": "aflever"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gennemgangen kan ikke afleveres" in html
    assert f'href="#{rows[0].anchor}"' in html
    assert not Answer.objects.filter(review=review).exists()
    confirmed = {f"bekraeft-{suggested[0].id}": "1"}
    client.post(_url("review", review), {**posted, **confirmed, "handling": "gem"})
    assert list(Answer.objects.filter(review=review).values_list("question", flat=True)) == [suggested[0].id]


def test_without_javascript_the_whole_form_saves_and_hands_in(client: Client) -> None:
    review = review_of(started_quarter(supervision_world()), part="enhed")
    rows = review_form(review)
    posted: dict[str, str] = {"handling": "aflever"}
    for row in rows:
        posted[f"svar-{row.id}"] = "ja" if "ja" in dict(row.choices) else row.choices[0][0]
        posted[f"note-{row.id}"] = "Set i journalen"
    response = _as(client, review.reviewer).post(_url("review", review), posted)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED
    page = client.get(_url("review", review)).content.decode()
    assert "Gennemgangen er afleveret." in page
    assert 'type="radio"' not in page, "a handed-in review is read, not answered"


def _level_two(client: Client) -> tuple[Review, Review]:
    first = review_of(started_quarter(supervision_world()), part="center", level2=True)
    _answer_all(first, "ja", note=LEVEL1_NOTE)
    review_submit(review=first, actor=first.reviewer)
    return first, Review.objects.get(first_review=first)


def test_level_two_reads_blind(client: Client) -> None:
    first, second = _level_two(client)
    response = _as(client, second.reviewer).get(_url("review", second))
    assert response.status_code == 200
    html = response.content.decode()
    assert LEVEL1_NOTE not in html
    assert "Den første gennemgangs svar vises først, når du har afleveret" in html
    assert client.get(_url("review", first)).status_code == 404, "not level 1 either, while blind"
    assert client.get(_url("comparison", second)).status_code == 404
    assert _as(client, first.reviewer).get(_url("review", first)).status_code == 200


def test_the_comparison_shows_both_levels_and_a_third_lawyer_settles_the_disagreement(client: Client) -> None:
    first, second = _level_two(client)
    questions = review_questions(second)
    _answer_all(second, "ja", note="Fornyet: set", first="nej")
    review_submit(review=second, actor=second.reviewer)
    disagreement = Disagreement.objects.get(second_answer__review=second)

    page = _as(client, second.reviewer).get(_url("comparison", second)).content.decode()
    assert LEVEL1_NOTE in page
    assert "Fornyet: set" in page
    assert f'id="uenighed-{disagreement.pk}"' in page
    assert "review-compare--differs" in page
    assert "Afgør uenigheden" not in page, "not by one of the two reviewers"
    assert client.post(_url("comparison", second), {"uenighed": disagreement.pk}).status_code == 403

    resolver = user("jurist-b") if first.reviewer.username == "jurist-a" else user("jurist-a")
    _as(client, resolver)
    assert "Afgør uenigheden" in client.get(_url("comparison", first)).content.decode()
    refused = client.post(
        _url("comparison", first), {"uenighed": disagreement.pk, "svar": "nej", "begrundelse": " "}
    )
    assert "skriv en begrundelse" in refused.content.decode().lower()
    disagreement.refresh_from_db()
    assert disagreement.resolved_answer is None
    done = client.post(
        _url("comparison", first),
        {"uenighed": disagreement.pk, "svar": "nej", "begrundelse": "Samtalen mangler"},
    )
    assert done.status_code == 302
    disagreement = Disagreement.objects.get(pk=disagreement.pk)
    assert (disagreement.resolved_answer, disagreement.resolved_by_id) == ("nej", resolver.pk)
    after = client.get(_url("comparison", first)).content.decode()
    assert "Afgjort:" in after
    assert "Samtalen mangler" in after
    assert questions[0].text in after
    assert "Første gennemgang" in after
    assert "Fornyet gennemgang" in after
    assert AccessLogEntry.objects.filter(user=resolver, purpose="review_comparison").exists()


def test_a_reviewer_opens_the_case_of_their_review_beyond_their_units_and_only_that(client: Client) -> None:
    municipality = supervision_world()
    reviews = started_quarter(municipality)
    review = review_of(reviews, part="udveksling")
    reviewer = review.reviewer
    units = set(RoleAssignment.objects.filter(user=reviewer).values_list("unit_id", flat=True))
    assert review.case.unit_id not in units, "the partner unit reads it"
    foreign = next(
        r for r in reviews if r.reviewer_id != reviewer.pk and r.case.unit_id == review.case.unit_id
    )
    _as(client, reviewer)
    assert client.get(_url("review", review)).status_code == 200
    assert client.get(_url("review", foreign)).status_code == 404


def test_a_leader_of_the_cases_unit_reads_the_review_but_cannot_answer_it(client: Client) -> None:
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part="center")
    chief = make_staff(municipality, Role.AREA_CHIEF, review.case.unit, username="chef-ekstra")
    page = _as(client, chief).get(_url("review", review))
    assert page.status_code == 200
    assert 'type="radio"' not in page.content.decode()
    row = review_form(review)[0]
    answer = client.post(_url("answer", review), {"question": row.id, f"svar-{row.id}": row.choices[0][0]})
    assert answer.status_code == 404


def test_committee_members_and_other_municipalities_never_see_a_review(client: Client) -> None:
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part="enhed")
    member = make_user(municipality, Role.COMMITTEE_MEMBER, username="udvalg")
    assert _as(client, member).get(_url("review", review)).status_code == 403
    assert client.get(reverse("reviews:mine")).status_code == 403
    lejre = make_municipality("350", "Lejre Kommune")
    lawyer = make_user(lejre, Role.CENTRAL_LAWYER, username="lejre-jurist")
    assert _as(client, lawyer).get(_url("review", review)).status_code == 404


def test_an_external_reviewer_reads_only_until_the_sample_closes(client: Client) -> None:
    municipality = supervision_world()
    review = review_of(started_quarter(municipality), part="enhed")
    external = make_user(municipality, Role.EXTERNAL_REVIEWER, username="revisor")
    Review.objects.filter(pk=review.pk).update(reviewer=external)
    _as(client, external)
    assert client.get(_url("review", review)).status_code == 200
    assert review.case.source_ref in client.get(reverse("reviews:mine")).content.decode()
    assert client.get(reverse("cases:case_detail", kwargs={"pk": review.case_id})).status_code == 403
    sample = review.sample_row.sample if review.sample_row else None
    assert sample is not None
    sample.closed_at = timezone.now()
    sample.save(update_fields=["closed_at"])
    assert client.get(_url("review", review)).status_code == 404
    assert review.case.source_ref not in client.get(reverse("reviews:mine")).content.decode()


def test_the_menu_shows_mine_gennemgange_to_reviewers() -> None:
    municipality = supervision_world()
    labels = [link.label for link in menu_for(user("jurist-a"), path="/")]
    assert "Mine gennemgange" in labels
    assert "Mine gennemgange" not in [link.label for link in menu_for(user("sb-1"), path="/")]
    assert municipality
