"""The JSON shapes of API v1: field names in English as in data-contract.md, descriptions in Danish."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, WithJsonSchema

from sagstilsyn.core.child_name import CHILD_NAME_MAX

#: The most events one request may carry; send larger loads in several requests.
MAX_EVENTS = 5000

IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date", "example": "2010-05-17"})]
IsoMoment = Annotated[
    str,
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
            "example": "2024-10-31",
        }
    ),
]


class EventIn(Schema):
    """Én hændelse fra fagsystemet (datakontrakten §1)."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(
        ...,
        min_length=1,
        max_length=120,
        description="Hændelsens id i fagsystemet, entydigt pr. kilde. Sendes samme id igen, "
        "opdateres hændelsen; den bliver aldrig dubleret.",
        examples=["DUBU-884211"],
    )
    case_id: str = Field(
        ...,
        min_length=1,
        max_length=80,
        description="Sagens nummer i fagsystemet.",
        examples=["SAG-2024-0042"],
    )
    child_id: str = Field(
        ...,
        min_length=1,
        max_length=80,
        description="Barnets id i fagsystemet (aldrig et CPR-nummer).",
        examples=["BARN-1187"],
    )
    cpr: str | None = Field(
        None,
        max_length=11,
        description="Barnets CPR-nummer, DDMMÅÅ-NNNN eller DDMMÅÅNNNN. Gemmes krypteret og gentages "
        "aldrig i svar, fejl, log eller adresser.",
    )
    child_name: str | None = Field(
        None,
        max_length=CHILD_NAME_MAX,
        description="Barnets navn, fx 'Ida Holm'. Valgfrit; gemmes krypteret som CPR-nummeret, vises kun "
        "for dem, der må se barnets sag, og gentages aldrig i svar, fejl, log eller adresser.",
    )
    birth_date: IsoDate | None = Field(None, description="Barnets fødselsdato (ISO-dato).")
    unit: str = Field(
        ...,
        min_length=1,
        max_length=40,
        description="Enhedens kode i kommunen (fx BFE-NORD, DOEGNVAGTEN). Enheden skal findes i "
        "API-klientens egen kommune.",
        examples=["BFE-NORD"],
    )
    group: Literal["investigation", "children", "youth"] | None = Field(
        None, description="Gruppen: investigation (undersøgelse), children (børn) eller youth (unge)."
    )
    caseworker: str | None = Field(
        None, max_length=150, description="Sagsbehandlerens brugernavn; skal findes i kommunen."
    )
    type: str = Field(
        ...,
        min_length=1,
        max_length=60,
        description="Hændelsestypen: et id fra regelkataloget (regelkontrakten §4).",
        examples=["need_noticed"],
    )
    at: IsoMoment = Field(
        ...,
        description="Hvornår: ISO-dato, eller ISO-tidspunkt med UTC-forskydning (fx "
        "2024-12-20T14:00:00+01:00) for typer, hvis regler tæller timer. Et tidspunkt uden "
        "forskydning afvises.",
    )
    attributes: dict[str, Any] = Field(
        default_factory=dict,
        description='Hændelsens egenskaber, fx {"notifier": "school", "abuse": false}; '
        "hvilke en type tager, står i regelkataloget. Sandhedsværdier som JSON true/false.",
    )


class EventsIn(Schema):
    """En samling hændelser, der indlæses samlet: alt eller intet."""

    model_config = ConfigDict(extra="forbid")

    events: list[EventIn] = Field(
        ...,
        min_length=1,
        max_length=MAX_EVENTS,
        description=f"Hændelserne (mindst 1, højst {MAX_EVENTS} pr. kald).",
    )
    dry_run: bool = Field(False, description="true: kontrollér og beregn, men gem intet (prøvekørsel).")


class EventsResultOut(Schema):
    """Hvad indlæsningen gjorde."""

    message: str = Field(..., description="Resultatet i en sætning på dansk.")
    dry_run: bool = Field(..., description="true, hvis intet blev gemt (prøvekørsel).")
    events: int = Field(..., description="Antal hændelser i kaldet.")
    events_created: int = Field(..., description="Nye hændelser.")
    events_updated: int = Field(..., description="Ændrede hændelser (samme event_id, nyt indhold).")
    events_unchanged: int = Field(..., description="Uændrede hændelser (allerede indlæst).")
    cases_created: int = Field(..., description="Nye sager.")
    cases_moved: int = Field(..., description="Sager, der har skiftet enhed, gruppe eller sagsbehandler.")
    children_created: int = Field(..., description="Nye børn.")
    cases_recomputed: int = Field(..., description="Sager, hvis frister blev genberegnet.")
    obligations: int = Field(..., description="Antal frister (forpligtelser) i de genberegnede sager.")


class ErrorOut(Schema):
    """Én fejl i én hændelse."""

    index: int | None = Field(
        ..., description="Hændelsens plads i events (fra 0); null, hvis fejlen gælder hele kaldet."
    )
    field: str = Field(
        ..., description="Feltet, fx at, unit eller attributes.measure; tomt, hvis det gælder hele kaldet."
    )
    value: str | None = Field(
        ..., description="Den afviste værdi; udeladt (null) for CPR-numre og hvor den ikke kan vises."
    )
    message: str = Field(..., description="Hvad der er galt, på dansk.")


class RejectedOut(Schema):
    """Kaldet er afvist, og intet er gemt."""

    message: str = Field(..., description="Altid »Intet er indlæst.«", examples=["Intet er indlæst."])
    errors: list[ErrorOut] = Field(..., description="Alle fejl, sorteret efter index og felt.")


class MessageOut(Schema):
    """En meddelelse på dansk."""

    message: str


class EventOut(Schema):
    """En hændelse, som Sagstilsyn har gemt den (uden CPR-nummer)."""

    event_id: str
    case_id: str
    child_id: str
    unit: str
    group: str | None
    caseworker: str | None
    type: str
    at: str = Field(..., description="ISO-dato, eller ISO-tidspunkt med forskydning.")
    attributes: dict[str, Any]
    recorded_at: datetime = Field(..., description="Hvornår Sagstilsyn senest gemte hændelsen.")


class HealthOut(Schema):
    """Tjenestens tilstand."""

    status: str = Field(..., examples=["ok"])
    database: str = Field(..., examples=["ok"])
    api_version: str = Field(..., examples=["1"])
