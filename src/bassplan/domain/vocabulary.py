"""The fixed vocabularies of the BASS model: array types, contact types, modalities,
perspectives, directions and colours, with the positions of each along an array axis.

Arrays are indexed in the order of the region's tuples: areas (A), sites (J),
specialties (S), contact types (C, in ``CONTACT_TYPES`` order) and single ages.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class ContactType(StrEnum):
    """A kind of hospital contact that demand is counted in."""

    ADMISSION = "admission"
    BED_DAY = "bed_day"
    FIRST_VISIT = "first_visit"
    FOLLOW_UP = "follow_up"
    CONSULT = "consult"
    DIALYSIS = "dialysis"  # one haemodialysis session at a dialysis unit


CONTACT_TYPES: tuple[ContactType, ...] = tuple(ContactType)
OUTPATIENT: tuple[ContactType, ...] = (ContactType.FIRST_VISIT, ContactType.FOLLOW_UP)
INPATIENT: tuple[ContactType, ...] = (ContactType.ADMISSION, ContactType.BED_DAY)
# bed days are admissions × days per admission at the admitting site, not a rate by age;
# dialysis rates may be left out of a rates table (no sessions), the others are required
NOT_RATED: tuple[ContactType, ...] = (ContactType.BED_DAY,)
OPTIONAL_RATED: tuple[ContactType, ...] = (ContactType.DIALYSIS,)


class Modality(StrEnum):
    """How an outpatient contact is delivered."""

    STRENGTH_POSITION = "strength_position"
    OUTREACH = "outreach"
    DIGITAL = "digital"


# positions along the contact-type (C) and modality (M) axes of the arrays
(C_ADMISSION, C_BED_DAY, C_FIRST_VISIT, C_FOLLOW_UP, C_CONSULT,
 C_DIALYSIS) = range(len(CONTACT_TYPES))
M_STRENGTH_POSITION, M_OUTREACH, M_DIGITAL = range(len(Modality))


class InpatientCover(StrEnum):
    """Who does a specialty's inpatient work (admissions and bed days) at an active acute
    site: its own team there, specialists rotating from the serving strength position,
    general internal medicine with the specialty's consults, or nobody."""

    NONE = "none"
    TEAM = "team"
    ROTATION = "rotation"
    CONSULTS = "consults"


# positions of the cover kinds, as stored in integer arrays (-1: not an active acute site)
V_NONE, V_TEAM, V_ROTATION, V_CONSULTS = range(len(InpatientCover))
INPATIENT_COVERS: tuple[InpatientCover, ...] = tuple(InpatientCover)


class Perspective(StrEnum):
    """The three BASS sustainability perspectives."""

    PROFESSIONAL = "professional"
    STAFF = "staff"
    ORGANISATIONAL = "organisational"


class Direction(StrEnum):
    """Whether a larger indicator value is better or worse."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class Colour(StrEnum):
    """Traffic-light status of one indicator value."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"
