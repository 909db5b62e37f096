"""The law core (lovkernen): pure Python, never imports Django.

from sagstilsyn.law import Event, load_catalogue, evaluate
obligations = evaluate(events, as_of=..., catalogue=load_catalogue())
"""

from sagstilsyn.law.engine import EventError, default_catalogue, evaluate, validate_event
from sagstilsyn.law.loader import CatalogueError, CatalogueProblem, load_catalogue
from sagstilsyn.law.model import (
    STATUSES,
    Catalogue,
    Citation,
    Event,
    EventType,
    Law,
    Obligation,
    Rule,
    RuleVersion,
)

__all__ = [
    "STATUSES",
    "Catalogue",
    "CatalogueError",
    "CatalogueProblem",
    "Citation",
    "Event",
    "EventError",
    "EventType",
    "Law",
    "Obligation",
    "Rule",
    "RuleVersion",
    "default_catalogue",
    "evaluate",
    "load_catalogue",
    "validate_event",
]
