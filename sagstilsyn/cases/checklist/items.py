"""The oversigtsskema for placement cases, as data.

Copenhagen's action plan of August 2016 (seed 001) introduced an oversigtsskema — a tick-box form in
every placement case — so that the legal and procedural steps are documented: the conversation with
the child, the bisidder, guidance of the parents on consent and rights (free legal aid), a børnefaglig
undersøgelse before a planned placement, the plan, the reasons for the choice of placement site, the
samvær decision (støttet or overvåget) and the follow-up. Supervisory visits (BL § 156, stk. 5) are
added because they are checked with every placement. The fields of Copenhagen's own form are not
known; this is a reconstruction (domain.md §3.4).

Each item says how it is ticked:

- ``obligations``: from the stored obligations of the listed rules for the current placement;
- ``event_before_placement``: an event of the listed types on or before the placement decision;
- ``manual``: by hand, with a note, because it needs judgment.

Every item may also be marked by hand with a note (e.g. to document an acute placement where the
investigation ran in parallel); a manual tick never hides what the data show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

AutoKind = Literal["obligations", "event_before_placement", "manual"]

#: The measures (event attribute `measure`) that make a case a placement case.
PLACEMENT_MEASURES: frozenset[str] = frozenset({"placement_with_consent", "placement_without_consent"})
#: The event types that carry the measure.
PLACEMENT_EVENT_TYPES: tuple[str, ...] = ("measure_decided", "measure_started")
#: Barnets lov replaced the child provisions of serviceloven on this day (LOV nr. 721 af 13/06/2023). The
#: schema's terms follow the law in force on the day of the placement decision: "samtale med barnet" and
#: "barnets synspunkter", "barnets plan" from this day; "børnesamtale", "handleplan" before.
BARNETS_LOV_FROM = date(2024, 1, 1)
#: How far before the placement decision a børnefaglig undersøgelse may lie and still belong to it when
#: the case has no earlier decision about a measure (ADR 0021).
INVESTIGATION_LOOKBACK_MONTHS = 12


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    number: int
    text: str
    help: str
    rule_ids: tuple[str, ...]
    auto: AutoKind
    #: Rules whose obligations decide the item (auto == "obligations").
    auto_rules: tuple[str, ...] = ()
    #: Event types that tick the item (auto == "event_before_placement").
    events: tuple[str, ...] = ()
    #: A classification the hand mark must choose (value, Danish label).
    choices: tuple[tuple[str, str], ...] = ()
    #: The wording under serviceloven, for a placement decided before BARNETS_LOV_FROM ("" = the same).
    text_before_2024: str = ""
    help_before_2024: str = ""

    @property
    def is_manual(self) -> bool:
        return self.auto == "manual"

    def wording(self, decided: date) -> tuple[str, str]:
        """The item's text and help in the terms of the law in force on the placement decision's day."""
        if decided < BARNETS_LOV_FROM:
            return self.text_before_2024 or self.text, self.help_before_2024 or self.help
        return self.text, self.help


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        id="child_views",
        number=1,
        text="Samtale med barnet: barnets synspunkter er indhentet før afgørelsen om anbringelse",
        help=(
            "Samtale eller anden direkte kontakt med barnet om anbringelsen, eller en dokumenteret "
            "undtagelse (alder, modenhed, sagens karakter)."
        ),
        text_before_2024="Børnesamtale: der er holdt en børnesamtale før afgørelsen om anbringelse",
        help_before_2024=(
            "Børnesamtale med barnet om den konkrete anbringelse (servicelovens § 48), eller en "
            "dokumenteret undtagelse (alder, modenhed, sagens karakter)."
        ),
        rule_ids=("child_views_before_decision",),
        auto="obligations",
        auto_rules=("child_views_before_decision",),
    ),
    ChecklistItem(
        id="bisidder",
        number=2,
        text="Barnet er vejledt om retten til en bisidder",
        help="Det skal fremgå af sagen, hvornår og hvordan barnet er oplyst om retten til en bisidder.",
        rule_ids=("bisidder_informed",),
        auto="manual",
    ),
    ChecklistItem(
        id="parents_rights",
        number=3,
        text="Forældrene er vejledt om informeret samtykke og deres rettigheder, herunder gratis advokat",
        help=(
            "Vejledning om samtykkets betydning og om retten til gratis advokatbistand og til at udtale "
            "sig før børne- og ungeudvalgets afgørelse (barnets lov § 140 og § 142, stk. 2)."
        ),
        help_before_2024=(
            "Vejledning om samtykkets betydning og om retten til gratis advokatbistand og til at udtale "
            "sig før børn og unge-udvalgets afgørelse (servicelovens § 72 og § 74, stk. 2)."
        ),
        rule_ids=("legal_aid_and_hearing", "placement_with_consent_conditions"),
        auto="manual",
    ),
    ChecklistItem(
        id="investigation",
        number=4,
        text="Børnefaglig undersøgelse er afsluttet før anbringelsen",
        help=(
            "En (supplerende) børnefaglig undersøgelse, der peger på et anbringelsesgrundlag. Den skal "
            "høre til denne anbringelse: afsluttet efter sagens forrige afgørelse om en foranstaltning og "
            "højst 12 måneder før afgørelsen om anbringelse. Ved akut anbringelse kan undersøgelsen "
            "gennemføres sideløbende – markér da punktet med en note."
        ),
        rule_ids=(
            "placement_with_consent_conditions",
            "placement_without_consent_recommendation",
            "investigation_deadline",
        ),
        auto="event_before_placement",
        events=("investigation_completed",),
    ),
    ChecklistItem(
        id="plan",
        number=5,
        text="Barnets plan foreligger rettidigt",
        help=(
            "Ved anbringelse uden samtykke før afgørelsen; ved anbringelse med samtykke senest 3 måneder "
            "efter. For en ung over 16 år er det ungeplanen. Planen skal journaliseres."
        ),
        text_before_2024="Handleplan foreligger rettidigt",
        help_before_2024=(
            "Handleplanen skal foreligge før afgørelsen om anbringelse (servicelovens § 140). Planen "
            "skal journaliseres."
        ),
        rule_ids=("placement_plan", "youth_plan_placement", "youth_plan"),
        auto="obligations",
        auto_rules=("placement_plan", "youth_plan_placement"),
    ),
    ChecklistItem(
        id="placement_site",
        number=6,
        text="Valget af anbringelsessted er truffet som en begrundet afgørelse",
        help=(
            "Begrundelsen skal vise barnets behov, at plejefamilie er overvejet, skolegang og "
            "søskendes anbringelse, og at valget følger planen."
        ),
        rule_ids=("placement_site_reasons",),
        auto="manual",
    ),
    ChecklistItem(
        id="contact",
        number=7,
        text="Samvær: der er truffet afgørelse, og samværet er klassificeret som støttet eller overvåget",
        help=(
            "Støttet samvær kræver samtykke fra forældremyndighedsindehaveren (og den unge over 15 år). "
            "Overvåget samvær kræver afgørelse i børne- og ungeudvalget for en bestemt periode."
        ),
        rule_ids=("contact_decision",),
        auto="manual",
        choices=(
            ("supported", "Støttet samvær (med samtykke)"),
            ("supervised", "Overvåget samvær (børne- og ungeudvalget, med slutdato)"),
            ("unsupervised", "Samvær uden støtte eller overvågning"),
            ("suspended", "Samvær afbrudt (børne- og ungeudvalget)"),
        ),
    ),
    ChecklistItem(
        id="follow_up",
        number=8,
        text="Der er fulgt op på anbringelsen rettidigt",
        help="Første opfølgning senest 3 måneder efter iværksættelsen og derefter løbende.",
        rule_ids=("first_follow_up", "follow_up_interval", "follow_up_plan_reasoned"),
        auto="obligations",
        auto_rules=("first_follow_up", "follow_up_interval"),
    ),
    ChecklistItem(
        id="supervisory_visits",
        number=9,
        text="Tilsynsbesøg med samtale med barnet mindst to gange om året",
        text_before_2024="Tilsynsbesøg med børnesamtale mindst to gange om året",
        help="Personrettet tilsyn på anbringelsesstedet, om muligt uden anbringelsesstedets personale.",
        rule_ids=("supervisory_visits",),
        auto="obligations",
        auto_rules=("supervisory_visits",),
    ),
)

ITEMS_BY_ID: dict[str, ChecklistItem] = {item.id: item for item in CHECKLIST}
