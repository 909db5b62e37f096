"""The ledelsestilsyn's stored data, one module per part (programmes and samples; reviews and answers).

Danish glossary: see docs/glossary.md, section Ledelsestilsyn. Models hold data and constraints only;
business logic lives in services and selectors."""

from sagstilsyn.reviews.models.findings import (
    ActionPlan,
    ActionPlanPillar,
    ActionPlanStatus,
    CaseRepair,
    Finding,
    FindingComment,
    LearningPoint,
    RepairStatus,
)
from sagstilsyn.reviews.models.programmes import Programme, ProgrammePart, Sample, SampleFrameCase, SampleRow
from sagstilsyn.reviews.models.reviews import (
    Answer,
    AnswerValue,
    CalibrationCase,
    Disagreement,
    QuestionnaireSeal,
    Review,
    ReviewLevel,
    ReviewStatus,
)

__all__ = [
    "ActionPlan",
    "ActionPlanPillar",
    "ActionPlanStatus",
    "Answer",
    "AnswerValue",
    "CalibrationCase",
    "CaseRepair",
    "Disagreement",
    "Finding",
    "FindingComment",
    "LearningPoint",
    "Programme",
    "ProgrammePart",
    "QuestionnaireSeal",
    "RepairStatus",
    "Review",
    "ReviewLevel",
    "ReviewStatus",
    "Sample",
    "SampleFrameCase",
    "SampleRow",
]
