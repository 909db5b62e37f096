"""The ledelsestilsyn's stored data, one module per part (programmes and samples; reviews and answers).

Danish glossary: see docs/glossary.md, section Ledelsestilsyn. Models hold data and constraints only;
business logic lives in services and selectors."""

from sagstilsyn.reviews.models.programmes import (
    Programme as Programme,
)
from sagstilsyn.reviews.models.programmes import (
    ProgrammePart as ProgrammePart,
)
from sagstilsyn.reviews.models.programmes import (
    Sample as Sample,
)
from sagstilsyn.reviews.models.programmes import (
    SampleFrameCase as SampleFrameCase,
)
from sagstilsyn.reviews.models.programmes import (
    SampleRow as SampleRow,
)
