"""Forms of the programme pages: starting a period, changing a part, hand-picking a case, an ad hoc sample.

The forms only read the fields; the services judge the values and refuse in Danish."""

from __future__ import annotations

from datetime import date

from django import forms

from sagstilsyn.core.danish_dates import DANISH_DATE_EXAMPLE, danish_date
from sagstilsyn.reviews.models.programmes import CASEWORKER_PARTS, DESIGN_CHOICES, REVIEWER_RULES
from sagstilsyn.reviews.programmes.adhoc import ADHOC_KIND_LABELS
from sagstilsyn.reviews.programmes.editing import PartSettings
from sagstilsyn.reviews.programmes.periods import Period, PeriodError, period_parse

REQUIRED = {"required": "Udfyld feltet", "invalid": "Skriv et helt tal"}


class PeriodForm(forms.Form):
    """Which period to start (måned 2026-12, kvartal 2026Q4 eller år 2026)."""

    period = forms.CharField(
        label="Periode",
        help_text="En måned (2026-12), et kvartal (2026Q4) eller et år (2026)",
        error_messages={"required": "Skriv perioden"},
    )

    def clean_period(self) -> Period:
        try:
            return period_parse(self.cleaned_data["period"])
        except PeriodError as error:
            raise forms.ValidationError(str(error).capitalize()) from error


class PartForm(forms.Form):
    """A part's settings (delprogrammets indstillinger)."""

    size = forms.IntegerField(label="Stikprøvestørrelse", min_value=0, error_messages=REQUIRED)
    stratum_size = forms.IntegerField(
        label="Antal pr. stratum", required=False, min_value=1, error_messages=REQUIRED
    )
    design = forms.ChoiceField(label="Udtræksdesign", choices=DESIGN_CHOICES)
    open_obligation = forms.BooleanField(label="Sager med en åben forpligtelse", required=False)
    decision_months = forms.IntegerField(
        label="Sager med en afgørelse i så mange måneder før perioden",
        required=False,
        min_value=1,
        max_value=120,
        error_messages=REQUIRED,
    )
    reviewer_rule = forms.ChoiceField(label="Bedømmer", choices=REVIEWER_RULES)
    level2_percent = forms.IntegerField(
        label="Andel til fornyet gennemgang (2. niveau), procent",
        min_value=0,
        max_value=100,
        error_messages=REQUIRED,
    )
    caseworker_part = forms.ChoiceField(label="Sagsbehandlerens rolle", choices=CASEWORKER_PARTS)
    review_days = forms.IntegerField(label="Dage til gennemgang", min_value=1, error_messages=REQUIRED)
    level2_days = forms.IntegerField(
        label="Dage til fornyet gennemgang", min_value=1, error_messages=REQUIRED
    )
    repair_days = forms.IntegerField(label="Dage til sagsgenopretning", min_value=1, error_messages=REQUIRED)
    questionnaire = forms.ChoiceField(label="Spørgeskema")
    hand_picking_allowed = forms.BooleanField(label="Håndplukkede sager er tilladt", required=False)
    active = forms.BooleanField(label="Aktiv", required=False)

    def __init__(self, *args: object, questionnaires: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["questionnaire"].choices = questionnaires  # type: ignore[attr-defined]

    def settings(self) -> PartSettings:
        data = self.cleaned_data
        questionnaire, _, version = data["questionnaire"].partition("@")
        return PartSettings(
            size=data["size"],
            stratum_size=data["stratum_size"],
            design=data["design"],
            open_obligation=data["open_obligation"],
            decision_months=data["decision_months"],
            reviewer_rule=data["reviewer_rule"],
            level2_share=data["level2_percent"] / 100,
            caseworker_part=data["caseworker_part"],
            review_days=data["review_days"],
            level2_days=data["level2_days"],
            repair_days=data["repair_days"],
            questionnaire=questionnaire,
            questionnaire_version=int(version) if version.isdigit() else None,
            hand_picking_allowed=data["hand_picking_allowed"],
            active=data["active"],
        )


def part_initial(settings: PartSettings) -> dict[str, object]:
    """The form's initial values from a part's settings."""
    values: dict[str, object] = {name: getattr(settings, name) for name in PartSettings.__dataclass_fields__}
    values["level2_percent"] = round(settings.level2_share * 100)
    values["questionnaire"] = f"{settings.questionnaire}@{settings.questionnaire_version}"
    return values


class HandPickForm(forms.Form):
    """A case to add to a sample by hand, with the reason."""

    case_ref = forms.CharField(
        label="Sagsnummer", max_length=80, error_messages={"required": "Skriv sagsnummeret"}
    )
    reason = forms.CharField(
        label="Begrundelse", widget=forms.Textarea, error_messages={"required": "Skriv begrundelsen"}
    )


class AdhocForm(forms.Form):
    """An ad hoc sample: kind, units, size, the reviewers' last day, the reviewer and an earlier audit."""

    kind = forms.ChoiceField(label="Slags", choices=sorted(ADHOC_KIND_LABELS.items()))
    units = forms.MultipleChoiceField(
        label="Enheder",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Vælg mindst én enhed"},
    )
    size = forms.IntegerField(label="Antal sager", min_value=1, error_messages=REQUIRED)
    closes_on = forms.CharField(
        label="Sidste dag for gennemgangen",
        help_text=f"Dato som {DANISH_DATE_EXAMPLE}",
        error_messages={"required": "Skriv datoen"},
    )
    reviewer = forms.ChoiceField(label="Bedømmer")
    follows = forms.ChoiceField(label="Opfølgning på tidligere revision", required=False)

    def __init__(
        self,
        *args: object,
        units: list[tuple[str, str]],
        reviewers: list[tuple[str, str]],
        earlier: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["units"].choices = units  # type: ignore[attr-defined]
        self.fields["reviewer"].choices = [("", "Vælg bedømmer"), *reviewers]  # type: ignore[attr-defined]
        self.fields["follows"].choices = [("", "Ingen"), *earlier]  # type: ignore[attr-defined]

    def clean_closes_on(self) -> date:
        try:
            return danish_date(self.cleaned_data["closes_on"])
        except ValueError as error:
            raise forms.ValidationError(f"Skriv datoen som {DANISH_DATE_EXAMPLE}") from error
